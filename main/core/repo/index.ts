export { type ApplyOptions, applyPlan } from './apply';
export { checkRepo } from './check';
export { listHosts } from './hosts';
export { computePlan, type PlanRequest } from './plan';
