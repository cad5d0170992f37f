import type { Answers } from '../../../common/answers';
import type { Facts } from '../../../common/facts';
import { renderHost } from './host';
import { requiredInputs } from './inputs';
import { renderScaffold } from './scaffold';
import type { GeneratedFile } from './types';

export { hostNameProblem } from '../../../common/host-name';
export { answerRuleIssues } from './answer-rules';
export { machineBlockers } from './blockers';
export { answerChoices, ignoredAnswerIssues } from './choices';
export type { FlakeHost } from './flake-hosts';
export { renderHardwareConfiguration } from './hardware-configuration';
export { nixosStateVersion, renderHost } from './host';
export { hostKind, inputsReferencedBy, requiredInputs } from './inputs';
export { KEYBOARD_LAYOUTS, keyboardProblems } from './keyboard';
export { hostNotices } from './notices';
export {
  APPLE_SILICON_RELEASE,
  RELEASES,
  type Release,
  type ReleaseChoice,
  releaseOfFlake,
} from './releases';
export { bootFileSystems, runtimeMountReason } from './runtime-mounts';
export { renderFlake, renderScaffold } from './scaffold';
export { sshKeyIssues, sshKeyProblem } from './ssh-keys';
export { type GeneratedFile, type HostKind, INPUT_NAMES, type InputName } from './types';
export {
  type AnswersValidation,
  answersForMachine,
  answersRefusal,
  defaultAnswers,
  validateAnswers,
} from './validate';

/** A whole new repo for one machine: the scaffold with the inputs it needs, then its host. */
export function renderRepo(facts: Facts, answers: Answers): GeneratedFile[] {
  const host = renderHost(facts, answers);
  const scaffold = renderScaffold(requiredInputs(facts, answers), answers.channel, host);
  return [...scaffold, ...host].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
