import type { ApplyResult } from './plan';

/** The plan's notice for a repo on a detached HEAD: the commit it will make is on no branch. */
export function detachedHeadNotice(repo: string, baseCommit: string): string {
  return `${repo} is on no branch (a detached HEAD at ${baseCommit.slice(0, 12)}), so Nixstrap's commit will be on none either: \`git switch -c NAME\` after the write puts it on a branch of its own, before a checkout leaves it behind.`;
}

/** The same notice once the commit is made: it is on no branch now. */
function detachedHeadCommitted(repo: string, commit: string): string {
  return `${repo} is on no branch (a detached HEAD), so Nixstrap's commit ${commit.slice(0, 12)} is on none either: \`git switch -c NAME\` puts it on a branch of its own, before a checkout leaves it behind.`;
}

/**
 * The plan's notices as told after its write (Done screen, CLI): the detached HEAD's speaks of
 * the commit made, and goes when nothing was committed; the others stand as they are.
 */
export function noticesAfterWrite(result: Pick<ApplyResult, 'plan' | 'commit'>): string[] {
  const { plan, commit } = result;
  const planned = plan.baseCommit ? detachedHeadNotice(plan.repo, plan.baseCommit) : null;
  return plan.warnings.flatMap((warning) => {
    if (warning !== planned) return [warning];
    return commit ? [detachedHeadCommitted(plan.repo, commit)] : [];
  });
}
