import { resolve } from 'node:path';
import { configuredAuthor } from '../git/repo';
import { commitTarget } from '../git/target';
import { withRepoLock } from './lock';
import { settleInterruptedApply } from './settle';
import { writeAndCommit } from './transaction';

/**
 * Writes files Nixstrap made outside a plan (an encrypted secrets file) and commits them,
 * with the same guarantees as an apply: journaled, all or nothing, nothing written outside the
 * repo, and the user's staged work left staged. Returns the commit.
 */
export async function commitRepoFiles(
  folder: string,
  files: readonly { path: string; content: string }[],
  message: string,
): Promise<string> {
  const repo = resolve(folder);
  return withRepoLock(repo, async () => {
    await settleInterruptedApply(repo);
    const target = await commitTarget('add-host', repo);
    const author = { ...(await configuredAuthor(target.repo)), when: new Date() };
    const { commit } = await writeAndCommit({
      target,
      files,
      message: () => message,
      author,
      backup: null,
    });
    return commit;
  });
}
