import { relative, resolve, sep } from 'node:path';
import git from 'isomorphic-git';
import { durableGitFs } from '../fs/durable';
import { errnoOf } from '../fs/errors';
import { damagedIndex, findWorkTree, gitFailure } from './repo';

/** The git work tree holding `dir`, and `dir`'s path in it (posix, `''` or ending in `/`). */
export type GitPlace = { root: string; prefix: string };

/** Where `dir` sits in its git work tree, or null outside git. */
export async function gitPlaceOf(dir: string): Promise<GitPlace | null> {
  const root = await findWorkTree(dir);
  if (root === null) return null;
  const rel = relative(root, resolve(dir)).split(sep).join('/');
  return { root, prefix: rel ? `${rel}/` : '' };
}

/**
 * The files git's index holds (tracked or staged), relative to the work tree: what a flake
 * sees. Read from the index alone, so a big untracked work tree (a home) costs nothing.
 */
export async function indexedFiles(root: string): Promise<string[]> {
  try {
    return await git.listFiles({ fs: durableGitFs, dir: root, cache: {} });
  } catch (error) {
    const denied = ['EACCES', 'EPERM'].includes(errnoOf(error) ?? '');
    if (denied) throw gitFailure("read git's index", root, error);
    throw damagedIndex(root, 'Nixstrap cannot tell which files git tracks, all a flake sees');
  }
}

/**
 * A test of whether git ignores a path (relative to the work tree; a folder's path ends in
 * `/`), for one walk: each ignore file is read once, not once for every path tested.
 */
export function gitIgnoreTest(root: string): (path: string) => Promise<boolean> {
  const reads = new Map<string, Promise<unknown>>();
  const once =
    <A extends unknown[], T>(name: string, read: (...args: A) => Promise<T>) =>
    (...args: A): Promise<T> => {
      const key = JSON.stringify([name, ...args]);
      let result = reads.get(key) as Promise<T> | undefined;
      if (result === undefined) {
        result = read(...args);
        reads.set(key, result);
      }
      return result;
    };
  const { readFile, stat, lstat } = durableGitFs.promises;
  const fs = {
    promises: {
      ...durableGitFs.promises,
      readFile: once('readFile', readFile),
      stat: once('stat', stat),
      lstat: once('lstat', lstat),
    },
  };
  return async (path) => {
    try {
      return await git.isIgnored({ fs, dir: root, filepath: path });
    } catch (error) {
      throw gitFailure("read the repo's .gitignore files", root, error);
    }
  };
}
