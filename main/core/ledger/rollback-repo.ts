import * as fs from 'node:fs';
import git from 'isomorphic-git';
import { findWorkTree } from '../repo/git/repo';

/**
 * Whether `commit` is still in the repo at `repo` (a rebase or a deleted branch may have
 * dropped it); null when there is no repo to ask.
 */
export async function commitInRepo(repo: string, commit: string): Promise<boolean | null> {
  const root = await findWorkTree(repo);
  if (!root) return null;
  try {
    const oid = await git.expandOid({ fs, dir: root, oid: commit });
    await git.readCommit({ fs, dir: root, oid });
    return true;
  } catch {
    return false;
  }
}

/** The commit the repo's work tree is on; null when it is no git repo or has no commit yet. */
export async function headCommit(repo: string): Promise<string | null> {
  const root = await findWorkTree(repo);
  if (!root) return null;
  return git.resolveRef({ fs, dir: root, ref: 'HEAD' }).catch(() => null);
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
