import type { ClosureChanges } from '../../../common/rebuild';
import { type Closures, queryClosures } from './query';
import { parseStoreName } from './store-name';

/** Package name → its versions in one closure (a closure may hold two versions of a name). */
function versionsByName(paths: readonly string[]): Map<string, Set<string>> {
  const byName = new Map<string, Set<string>>();
  for (const path of paths) {
    if (path.endsWith('.drv')) continue;
    const { name, version } = parseStoreName(path);
    let versions = byName.get(name);
    if (!versions) {
      versions = new Set();
      byName.set(name, versions);
    }
    versions.add(version);
  }
  return byName;
}

function label(versions: Set<string>): string {
  return [...versions]
    .filter((v) => v !== '')
    .sort()
    .join(', ');
}

function size(paths: readonly string[], narSize: ReadonlyMap<string, number>): number {
  let total = 0;
  for (const path of paths) total += narSize.get(path) ?? 0;
  return total;
}

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

/**
 * What moving from one closure to another changes, as nvd shows it: packages added and
 * removed by name, names whose versions differ, and both closure sizes. `before` is null
 * when nothing is installed yet.
 */
export function diffClosures(
  before: readonly string[] | null,
  after: readonly string[],
  narSize: ReadonlyMap<string, number>,
): ClosureChanges {
  const old = versionsByName(before ?? []);
  const now = versionsByName(after);
  const changes: ClosureChanges = {
    added: [],
    removed: [],
    changed: [],
    sizeBefore: before ? size(before, narSize) : null,
    sizeAfter: size(after, narSize),
  };
  for (const [name, versions] of now) {
    const previous = old.get(name);
    if (!previous) changes.added.push({ name, version: label(versions) });
    else if (label(previous) !== label(versions)) {
      changes.changed.push({ name, from: label(previous), to: label(versions) });
    }
  }
  for (const [name, versions] of old) {
    if (!now.has(name)) changes.removed.push({ name, version: label(versions) });
  }
  changes.added.sort(byName);
  changes.removed.sort(byName);
  changes.changed.sort(byName);
  return changes;
}

/** Closure changes between two store paths (`from` null: a first install), read from the store. */
export async function closureChanges(from: string | null, to: string): Promise<ClosureChanges> {
  const closures: Closures = await queryClosures(from ? [from, to] : [to]);
  return diffClosures(
    from ? (closures.paths.get(from) ?? []) : null,
    closures.paths.get(to) ?? [],
    closures.narSize,
  );
}
