import type { PlannedFile } from '../../../../common/plan';

/**
 * The user's own files (a foreign flake.nix) the plan edits in place while they hold changes not
 * yet committed: the write commits each file whole, so those changes would ride along unseen.
 */
export function uncommittedUserFiles(files: readonly PlannedFile[]): string[] {
  return files
    .filter((f) => f.managed === false && f.action !== 'unchanged' && f.committed === false)
    .filter((f) => f.diskSha256 !== null)
    .map((f) => f.path);
}
