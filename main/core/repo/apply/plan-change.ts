import type { Plan } from '../../../../common/plan';
import { fileFingerprint } from '../plan/plan-id';

/**
 * What differs between the plan the user reviewed and the plan made now, as a clause for a
 * sentence (", because flake.nix and 2 more files changed"); empty when the reviewed plan is
 * not known.
 */
export function describeChanges(reviewed: Plan | undefined, now: Plan): string {
  if (!reviewed) return ': the repo or the answers changed since';
  const before = new Map(reviewed.files.map((f) => [f.path, f]));
  const changed: string[] = [];
  for (const f of now.files) {
    const old = before.get(f.path);
    before.delete(f.path);
    if (!old || fileFingerprint(old) !== fileFingerprint(f)) changed.push(f.path);
  }
  changed.push(...before.keys());
  if (changed.length === 0) return ': the repo changed since';
  const shown = changed.slice(0, 3).join(', ');
  const more = changed.length > 3 ? ` and ${changed.length - 3} more` : '';
  return ` (changed since: ${shown}${more})`;
}
