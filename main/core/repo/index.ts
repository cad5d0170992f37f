export { type ApplyOptions, applyPlan, applyReviewedPlan } from './apply/apply';
export { unfinishedWrite } from './apply/settle';
export {
  uncommitted,
  uncommittedBeside,
  unseenByGit,
  untrackedFiles,
  workTreeState,
} from './git/status';
export { checkRepo } from './inspect/check';
export { assertConfiguration, assertRepoExists, listHosts } from './inspect/hosts';
export { inspectRepo } from './inspect/inspect';
export { type HostBeyondLink, hostsBeyondLinks } from './inspect/linked-outside';
export { assertPathText, pathTextProblem } from './inspect/repo-path';
export { computePlan, type PlanRequest } from './plan/compute';
export { journeyFor } from './plan/journey';
