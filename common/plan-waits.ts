import type { PlannedFile } from './plan';
import { shellCommand } from './shell-word';

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

/**
 * Why writing the plan has to wait, or null: one sentence, the same in the CLI's notes and on the
 * plan screen, which shows it beside the Write button it holds back.
 */
export function writeWaitsFor(repo: string, files: readonly PlannedFile[]): string | null {
  const uncommitted = uncommittedUserFiles(files);
  if (uncommitted.length === 0) return null;
  return `${uncommitted.join(', ')} ${uncommitted.length > 1 ? 'have' : 'has'} changes you have not committed, and writing would commit them with Nixstrap's edit, so writing waits until they are committed or stashed. To stash them: \`${shellCommand(['git', '-C', repo, 'stash'])}\``;
}
