import { formatBytes } from './bytes';
import type { DeletePlan } from './generations';

/**
 * What is said once a deletion's links are gone, by its run's terminal, the CLI and the app's
 * result alike: nothing was collected, so the store still holds them until a garbage collection,
 * and how much that frees at most where the store told us.
 */
export function garbageSentence(plan: Pick<DeletePlan, 'delete' | 'freedBytes'>): string {
  const size =
    plan.freedBytes === null
      ? ''
      : ` (up to ${formatBytes(plan.freedBytes)} that no kept generation shares)`;
  const whose = plan.delete.length === 1 ? 'Its' : 'Their';
  return `${whose} store paths stay until a garbage collection: \`nix-collect-garbage\` (or \`nix-store --gc\`) frees the space${size}.`;
}
