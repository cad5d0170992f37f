import git from 'isomorphic-git';
import { durableGitFs } from '../fs/durable';
import { type GitRepo, reading } from './repo';

/** A commit as a sentence names it: its id and the first line of its message. */
export type CommitSummary = { oid: string; subject: string };

/** How far back to look for the commit a plan was made on; further back reads as "not found". */
const HISTORY_LIMIT = 200;

/**
 * The commits on `to` that `from` does not have, newest first (all of them, up to the limit,
 * when `from` is null: the repo had no commit yet). Null when `from` is not in `to`'s history:
 * the branch was switched or rewritten since.
 */
export async function commitsSince(
  repo: GitRepo,
  from: string | null,
  to: string,
): Promise<CommitSummary[] | null> {
  const log = await reading(repo, () =>
    git.log({
      fs: durableGitFs,
      dir: repo.root,
      gitdir: repo.gitdir,
      ref: to,
      depth: HISTORY_LIMIT,
      cache: repo.cache,
    }),
  );
  const summaries = log.map((entry) => ({
    oid: entry.oid,
    subject: entry.commit.message.split('\n', 1)[0]?.trim() ?? '',
  }));
  if (from === null) return summaries;
  const at = summaries.findIndex((c) => c.oid === from);
  return at === -1 ? null : summaries.slice(0, at);
}
