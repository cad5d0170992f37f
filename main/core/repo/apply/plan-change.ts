import type { Plan, PlannedFile } from '../../../../common/plan';
import { NixstrapFailure } from '../../../../common/result';
import { andList } from '../../../../common/words';
import { type CommitSummary, commitsSince } from '../git/history';
import { commitTarget } from '../git/target';
import { fileFingerprint } from '../plan/plan-id';

const named = (paths: readonly string[]) => andList(paths, 3);

const edited = (paths: readonly string[]) =>
  `${named(paths)} ${paths.length > 1 ? 'were' : 'was'} edited in the work tree`;

const short = (oid: string) => oid.slice(0, 7);
const quoted = (c: CommitSummary) =>
  `${short(c.oid)} "${c.subject.length > 60 ? `${c.subject.slice(0, 59)}…` : c.subject}"`;

/** A file of either plan whose planned write or state on disk differs in the other. */
type Differing = { path: string; old?: PlannedFile; now?: PlannedFile };

function differingFiles(reviewed: Plan, now: Plan): Differing[] {
  const before = new Map(reviewed.files.map((f) => [f.path, f]));
  const out: Differing[] = [];
  for (const f of now.files) {
    const old = before.get(f.path);
    before.delete(f.path);
    if (!old || fileFingerprint(old) !== fileFingerprint(f))
      out.push({ path: f.path, old, now: f });
  }
  for (const [path, old] of before) out.push({ path, old });
  return out;
}

/** What moved the repo's branch since the review, as a clause, or null when it did not move. */
async function commitsClause(reviewed: Plan, now: Plan): Promise<string | null> {
  const from = reviewed.baseCommit ?? null;
  const to = now.baseCommit ?? null;
  if (reviewed.baseCommit === undefined || from === to) return null;
  const { repo, head } = await commitTarget(now.journey, now.repo);
  if (repo === null) return null;
  const branch = head.ref?.replace(/^refs\/heads\//, '') ?? 'the detached HEAD';
  if (to === null) {
    // `git checkout --orphan` or a deleted branch: the files are the same, their commit is gone.
    return from === null
      ? null
      : `${branch} has no commit yet, and the plan was made on ${short(from)} (a switch to a new branch)`;
  }
  const landed = await commitsSince(repo, from, to);
  if (landed === null) {
    const tip = (await commitsSince(repo, null, to))?.commits[0];
    return `${branch} moved${from ? ` from ${short(from)}` : ''} to ${tip ? quoted(tip) : short(to)}, which does not build on it (a branch switch or a rewritten history)`;
  }
  const { commits, more } = landed;
  const [newest] = commits;
  if (newest === undefined) return null;
  if (more)
    return `more than ${commits.length} commits landed on ${branch}, the newest ${quoted(newest)}`;
  return commits.length === 1
    ? `commit ${quoted(newest)} landed on ${branch}`
    : `${commits.length} commits landed on ${branch}, the newest ${quoted(newest)}`;
}

/**
 * Why the plan made now is not the plan the user reviewed, as one sentence and a hint: commits
 * that landed on the branch (named), files edited in the work tree (named), or answers that
 * now make other content; each told from what the two plans recorded.
 */
export async function planChangedFailure(
  reviewed: Plan | undefined,
  now: Plan,
): Promise<NixstrapFailure> {
  const refuse = (why: string, hint: string) =>
    new NixstrapFailure(
      'PLAN_CHANGED',
      `The plan is no longer the one you reviewed: since then, ${why}, so nothing was written.`,
      hint,
    );
  if (!reviewed) {
    return refuse('the repo or the answers changed', 'Review the new plan, then write it.');
  }
  const differing = differingFiles(reviewed, now);
  const diskMoved = differing.filter(
    (d) => (d.old?.diskSha256 ?? null) !== (d.now?.diskSha256 ?? null),
  );
  const differs =
    differing.length > 0 ? ` (the plan now differs in ${named(differing.map((d) => d.path))})` : '';
  const commits = await commitsClause(reviewed, now);
  if (commits !== null) {
    // Files whose disk moved and that no commit holds were edited by hand besides.
    const byHand = diskMoved.filter((d) => d.now?.committed === false).map((d) => d.path);
    const also = byHand.length > 0 ? ` and ${edited(byHand)}` : '';
    return refuse(
      `${commits}${also}${differs}`,
      'Review the plan again: it now starts from what is on the branch, then write it.',
    );
  }
  if (diskMoved.length > 0) {
    return refuse(
      edited(diskMoved.map((d) => d.path)),
      'Review the plan again: its differences now include those edits, then write it.',
    );
  }
  if (differing.length > 0) {
    return refuse(
      `the answers changed, so Nixstrap would now write ${named(differing.map((d) => d.path))} differently`,
      'Review the plan for the answers as they are now, then write it.',
    );
  }
  return refuse('the repo changed', 'Review the new plan, then write it.');
}
