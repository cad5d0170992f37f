export { type ApplyOptions, applyPlan } from './apply';
export { checkRepo } from './check';
export { unseenByGit, untrackedFiles, workTreeState } from './git';
export { listHosts } from './hosts';
export { journeyFor } from './journey';
export { computePlan, type PlanRequest } from './plan';
