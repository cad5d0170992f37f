// Kept apart from plan.ts, whose schemas need zod: the CLI's formatting calls this, and `help`
// loads no dependency at all (test/integration/cli-loading).
import type { Plan } from './plan';

/**
 * Whether the plan changes a host already in the repo (its folder held files before: a setup
 * run again, or a machine coming back to its host) rather than making a new one.
 */
export function updatesExistingHost(plan: Pick<Plan, 'files' | 'hostDir'>): boolean {
  return plan.files.some((f) => f.path.startsWith(`${plan.hostDir}/`) && f.action !== 'create');
}
