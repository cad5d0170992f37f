export { type DetectorTiming, detectFacts, detectWithTimings } from './detect-facts';
export { openFixture } from './fixture-probe';
export { createLiveProbe } from './live-probe';
export type { CommandResult, MachineInfo, Probe } from './probe';
export { DETECTION_ENV_VARS, isAllowedCommand, isSecretPath } from './probe-rules';
export { createRecordingProbe, type RecordingProbe } from './recording-probe';
