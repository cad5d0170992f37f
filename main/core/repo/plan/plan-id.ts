import type { Plan } from '../../../../common/plan';
import { sha256 } from '../manifest';

/**
 * The id of a plan: a hash over what it would do and the disk it was made against (each
 * file's path, action, content, disk content and whether that is committed), so the same
 * plan made again on an unchanged repo has the same id and any change gives another.
 */
export function planId(plan: Omit<Plan, 'id' | 'warnings' | 'nextCommand'>): string {
  const files = plan.files.map((f) => [
    f.path,
    f.action,
    sha256(f.content),
    f.diskSha256 ?? null,
    f.committed ?? false,
    f.managed ?? true,
  ]);
  const what = [plan.journey, plan.repo, plan.hostName, plan.hostDir, plan.layout, files];
  return sha256(JSON.stringify(what)).slice(0, 32);
}
