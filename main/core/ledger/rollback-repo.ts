import * as fs from 'node:fs';
import git from 'isomorphic-git';
import { findWorkTree } from '../repo/git/repo';

/** What a repo says of a commit a generation was built from. */
export interface RepoCommit {
  /**
   * Whether the commit is still in the repo (a rebase or a deleted branch may have dropped it);
   * null when there is no repo to ask.
   */
  inRepo: boolean | null;
  /** The commit the work tree is on, when the commit is in the repo; null without one. */
  head: string | null;
}

/** Whether `commit` is still in the repo at `repo`, and its work tree's commit: one look at it. */
export async function readRepoCommit(repo: string, commit: string): Promise<RepoCommit> {
  const root = await findWorkTree(repo);
  if (!root) return { inRepo: null, head: null };
  try {
    const oid = await git.expandOid({ fs, dir: root, oid: commit });
    await git.readCommit({ fs, dir: root, oid });
  } catch {
    return { inRepo: false, head: null };
  }
  return {
    inRepo: true,
    head: await git.resolveRef({ fs, dir: root, ref: 'HEAD' }).catch(() => null),
  };
}

/** The commit branch `name` of the repo points at; null when there is no such branch. */
export async function branchCommit(repo: string, name: string): Promise<string | null> {
  const root = await findWorkTree(repo);
  if (!root) return null;
  return git.resolveRef({ fs, dir: root, ref: `refs/heads/${name}` }).catch(() => null);
}

/** The branch a rollback to generation N leaves the repo on. */
export function rollbackBranch(number: number): string {
  return `nixstrap/rollback-${number}`;
}

/**
 * Moves the config repo back to the commit a generation was built from, on a new branch, so
 * the next rebuild builds what is running instead of undoing the rollback. The branch the
 * user was on stays as it was. Returns a sentence saying what happened (or why not).
 */
export async function moveRepoTo(repo: string, commit: string, number: number): Promise<string> {
  const root = await findWorkTree(repo);
  if (!root) return `${repo} is not a git repository; it was left as it is.`;
  const changed = (await git.statusMatrix({ fs, dir: root })).filter(
    ([, head, workdir, stage]) =>
      !(head === 1 && workdir === 1 && stage === 1) && head + workdir + stage > 0,
  );
  if (changed.length) {
    return `${repo} has uncommitted changes (${changed.length} file(s)); it was left as it is so nothing is lost. Commit or stash them, then check out ${commit.slice(0, 12)} by hand.`;
  }
  let oid: string;
  try {
    oid = await git.expandOid({ fs, dir: root, oid: commit });
  } catch {
    return `Commit ${commit.slice(0, 12)} is no longer in ${repo}; the repo was left as it is.`;
  }
  const branch = rollbackBranch(number);
  const existing = await git.resolveRef({ fs, dir: root, ref: branch }).catch(() => null);
  if (existing && existing !== oid) {
    return `The branch ${branch} already exists at another commit; the repo was left as it is.`;
  }
  if (!existing) await git.branch({ fs, dir: root, ref: branch, object: oid });
  await git.checkout({ fs, dir: root, ref: branch });
  return `${repo} is now on the new branch ${branch} at ${oid.slice(0, 12)}, the commit generation ${number} was built from.`;
}
