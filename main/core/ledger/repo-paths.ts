import fs from 'node:fs';
import path from 'node:path';

/** A folder with its symbolic links resolved, or null when it cannot be (it is gone). */
function realPath(folder: string): string | null {
  try {
    return fs.realpathSync.native(folder);
  } catch {
    return null;
  }
}

/**
 * The paths a repo folder's rows may be recorded under: as given, and with its symbolic links
 * resolved, the path rows are recorded by. A repo reached through a link (a home folder's
 * `nixos-config` pointing into a synced folder) then finds its rows whichever way it is named.
 */
export function repoPaths(repo: string): string[] {
  const given = path.resolve(repo);
  const real = realPath(given);
  // A repo that is gone has no links left to resolve; its rows keep the path they had.
  return real === null || real === given ? [given] : [given, real];
}

/** The path a repo's rows are recorded under: its real path, else the path as given. */
export function recordedRepoPath(repo: string): string {
  return repoPaths(repo).at(-1) as string;
}

/**
 * Of the paths rows were stored under, those that name the same folder as `repo` now: rows
 * recorded through a link before they were recorded by real path. They keep the path they were
 * written with (no migration rewrites them), so a lookup resolves them as it reads.
 */
export function sameRepoPaths(stored: readonly string[], repo: string): string[] {
  const real = recordedRepoPath(repo);
  return stored.filter((other) => other === real || realPath(other) === real);
}
