import git from 'isomorphic-git';
import { durableGitFs } from '../fs/durable';
import { type GitRepo, reading } from './repo';

/** A commit as a sentence names it: its id and the first line of its message. */
export type CommitSummary = { oid: string; subject: string };

/** The newest commits of a range, and whether older ones of it were left unread. */
export type CommitRange = { commits: CommitSummary[]; more: boolean };

/** The first line of a commit message, as `git log --oneline` shows it. */
function subjectOf(message: string): string {
  return message.split('\n', 1)[0]?.trim() ?? '';
}

/** The subject of commit `oid`: what a generation built from it is called by. */
export async function commitSubject(repo: GitRepo, oid: string): Promise<string> {
  const { commit } = await reading(repo, () =>
    git.readCommit({
      fs: durableGitFs,
      dir: repo.root,
      gitdir: repo.gitdir,
      oid,
      cache: repo.cache,
    }),
  );
  return subjectOf(commit.message);
}

/** How many commits a sentence is told from; older ones are only counted as "more". */
const HISTORY_LIMIT = 200;

/**
 * The commits on `to` that `from` does not have, newest first, at most the limit (all of them
 * when `from` is null: the repo had no commit yet). Null when `from` is not in `to`'s history:
 * the branch was switched or rewritten since. A `from` further back than the limit is looked
 * for in the whole history, so many commits are not mistaken for a rewrite.
 */
export async function commitsSince(
  repo: GitRepo,
  from: string | null,
  to: string,
): Promise<CommitRange | null> {
  const where = { fs: durableGitFs, dir: repo.root, gitdir: repo.gitdir, cache: repo.cache };
  // One past the limit tells a range of exactly the limit from a longer one.
  const log = await reading(repo, () => git.log({ ...where, ref: to, depth: HISTORY_LIMIT + 1 }));
  const summaries = log.map((entry) => ({
    oid: entry.oid,
    subject: subjectOf(entry.commit.message),
  }));
  const at = from === null ? -1 : summaries.findIndex((c) => c.oid === from);
  if (at !== -1) return { commits: summaries.slice(0, at), more: false };
  const longer = summaries.length > HISTORY_LIMIT;
  const range = { commits: summaries.slice(0, HISTORY_LIMIT), more: longer };
  if (from === null) return range;
  if (!longer) return null;
  const builtOn = await reading(repo, () =>
    git.isDescendent({ ...where, oid: to, ancestor: from, depth: -1 }),
  );
  return builtOn ? range : null;
}
