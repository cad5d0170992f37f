import type { ClosureChanges } from '../common';

export type PackageChangeKind = 'added' | 'removed' | 'changed';

/** A package as a change lists it: its name, and its version or how its version moves. */
export interface PackageLine {
  name: string;
  version: string;
}

/**
 * The packages a new system adds, removes and upgrades, told the same way wherever a change is
 * shown; a version Nix does not know is a `?`, so an upgrade never reads as a bare arrow.
 */
export function packageLines(changes: ClosureChanges): Record<PackageChangeKind, PackageLine[]> {
  return {
    added: changes.added,
    removed: changes.removed,
    changed: changes.changed.map(({ name, from, to }) => ({
      name,
      version: `${from || '?'} \u2192 ${to || '?'}`,
    })),
  };
}
