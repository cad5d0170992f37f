export { addHostEntry } from './host-entry';
export { type FlakeHostEntry, flakeDiscoversHosts, flakeHostEntries } from './hosts-site';
export { addInputs, bindInputsInOutputs } from './inputs';
export type { NewHostEntry } from './model-entry';
export { assertEditParses, assertRepoFlakeParses } from './parse';
export { declaredInputs, inputDefinitions } from './source';
