import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import git from 'isomorphic-git';
import { NixstrapFailure } from '../../../../common/result';
import {
  durableGitFs,
  makeDirsDurably,
  removeFile,
  renamePath,
  replaceUnderLock,
  TEMP_MARK,
  writeFileDurably,
} from '../fs/durable';
import { errnoOf, readFailure } from '../fs/errors';
import { lstatOrNull } from '../fs/read';

/** A git repository Nixstrap reads and writes: its work tree and its git folder. */
export type GitRepo = { root: string; gitdir: string; cache: object };

/**
 * The work tree holding `dir` (the nearest folder up with a `.git`), or null when `dir` is not
 * inside a git repository. A `.git` Nixstrap may not look at is an error, not "no repository".
 */
export async function findWorkTree(dir: string): Promise<string | null> {
  let current = resolve(dir);
  for (;;) {
    if ((await lstatOrNull(join(current, '.git'))) !== null) return current;
    const parent = dirname(current);
    if (parent === current) return null;
    current = parent;
  }
}

/** The repository whose work tree is `root`; `.git` may be a folder or a `gitdir:` file. */
export async function openRepo(root: string): Promise<GitRepo> {
  const dotgit = join(root, '.git');
  const stat = await lstatOrNull(dotgit);
  if (stat?.isFile()) {
    const text = await readFile(dotgit, 'utf8').catch((error) => {
      throw readFailure(dotgit, error);
    });
    const target = /^gitdir:\s*(.+)$/m.exec(text)?.[1]?.trim();
    if (target)
      return { root, gitdir: isAbsolute(target) ? target : join(root, target), cache: {} };
  }
  return { root, gitdir: dotgit, cache: {} };
}

/**
 * A new, empty repository at `root`, made in a temp folder and renamed into place, so an
 * interrupted start never leaves a half-made `.git`.
 */
export async function initRepo(root: string): Promise<GitRepo> {
  const temp = join(root, `.git${TEMP_MARK}${process.pid}-${randomBytes(4).toString('hex')}`);
  for (const dir of ['objects/info', 'objects/pack', 'refs/heads', 'refs/tags', 'info']) {
    await makeDirsDurably(join(temp, dir));
  }
  const caseBlind = process.platform === 'darwin' || process.platform === 'win32';
  await writeFileDurably(
    join(temp, 'config'),
    `[core]\n\trepositoryformatversion = 0\n\tfilemode = ${process.platform !== 'win32'}\n\tbare = false\n\tlogallrefupdates = true\n${caseBlind ? '\tignorecase = true\n' : ''}`,
  );
  await writeFileDurably(join(temp, 'HEAD'), 'ref: refs/heads/main\n');
  await renamePath(temp, join(root, '.git'));
  return openRepo(root);
}

/** The author git itself would use for this repo (its `user.name`/`user.email`), else Nixstrap. */
export async function configuredAuthor(
  repo: GitRepo | null,
): Promise<{ name: string; email: string }> {
  const read = async (path: string) =>
    repo === null
      ? undefined
      : await git
          .getConfig({ fs: durableGitFs, dir: repo.root, gitdir: repo.gitdir, path })
          .catch(() => undefined);
  const name = await read('user.name');
  const email = await read('user.email');
  return {
    name: typeof name === 'string' && name.trim() ? name : 'Nixstrap',
    email: typeof email === 'string' && email.trim() ? email : 'nixstrap@localhost',
  };
}

/** Where HEAD points: the branch (null when detached) and its commit (null before the first). */
export type Head = { ref: string | null; oid: string | null };

export async function readHead(repo: GitRepo): Promise<Head> {
  const text = (
    await readFile(join(repo.gitdir, 'HEAD'), 'utf8').catch((error) => {
      throw readFailure(join(repo.gitdir, 'HEAD'), error);
    })
  ).trim();
  const symbolic = /^ref:\s*(\S+)$/.exec(text)?.[1];
  if (!symbolic) return { ref: null, oid: /^[0-9a-f]{40}$/.test(text) ? text : null };
  return { ref: symbolic, oid: await readRef(repo, symbolic) };
}

/** The commit a ref names, or null when it does not exist yet. */
export async function readRef(repo: GitRepo, ref: string): Promise<string | null> {
  try {
    return await git.resolveRef({ fs: durableGitFs, dir: repo.root, gitdir: repo.gitdir, ref });
  } catch (error) {
    if ((error as { code?: string }).code === 'NotFoundError') return null;
    throw error;
  }
}

/**
 * Points `ref` (or a detached HEAD, for null) at `oid`, only if it still points at `expected`:
 * another program's commit in between is refused, not overwritten.
 */
export async function updateRef(
  repo: GitRepo,
  ref: string | null,
  oid: string,
  expected: string | null,
): Promise<void> {
  const file = join(repo.gitdir, ref ?? 'HEAD');
  await makeDirsDurably(dirname(file));
  try {
    await replaceUnderLock(file, async () => {
      const now = ref === null ? (await readHead(repo)).oid : await readRef(repo, ref);
      if (now !== expected) {
        throw new NixstrapFailure(
          'REPO_BUSY',
          `${ref ?? 'HEAD'} moved while Nixstrap was writing (someone committed), so Nixstrap's commit was not made.`,
          'Review the plan again and write once nothing else is committing.',
        );
      }
      return `${oid}\n`;
    });
  } catch (error) {
    if (errnoOf(error) === 'EEXIST') throw gitBusy(`${file}.lock`);
    throw error;
  }
}

export function gitBusy(lock: string): NixstrapFailure {
  return new NixstrapFailure(
    'REPO_BUSY',
    `git is busy in this repo (${lock} exists), so Nixstrap wrote nothing.`,
    'Wait for the other git command to finish; if none is running, delete that lock file.',
  );
}

export async function deleteRef(repo: GitRepo, ref: string): Promise<void> {
  await removeFile(join(repo.gitdir, ref));
}

/** One entry of a tree as isomorphic-git reads it, with git's own mode spelling. */
export type StoredEntry = { mode: string; path: string; oid: string; type: string };

/** The entries of the tree `oid` (loose or packed). */
export async function readTreeEntries(repo: GitRepo, oid: string): Promise<StoredEntry[]> {
  const { tree } = await git.readTree({
    fs: durableGitFs,
    dir: repo.root,
    gitdir: repo.gitdir,
    oid,
    cache: repo.cache,
  });
  return tree.map((e) => ({ ...e, mode: e.mode.replace(/^0+/, '') }));
}

export async function readBlobContent(repo: GitRepo, oid: string): Promise<Buffer> {
  const { blob } = await git.readBlob({
    fs: durableGitFs,
    dir: repo.root,
    gitdir: repo.gitdir,
    oid,
    cache: repo.cache,
  });
  return Buffer.from(blob);
}

export async function commitTree(repo: GitRepo, commit: string): Promise<string> {
  const { commit: parsed } = await git.readCommit({
    fs: durableGitFs,
    dir: repo.root,
    gitdir: repo.gitdir,
    oid: commit,
    cache: repo.cache,
  });
  return parsed.tree;
}

/** Stages `paths` (relative to the work tree) as they are on disk, in one write of the index. */
export async function stagePaths(repo: GitRepo, paths: readonly string[]): Promise<void> {
  if (paths.length === 0) return;
  await git.add({
    fs: durableGitFs,
    dir: repo.root,
    gitdir: repo.gitdir,
    filepath: [...paths],
    force: true,
    cache: repo.cache,
  });
}

/** Puts the index entries of `paths` back to `commit` (or out of the index, before any commit). */
export async function unstagePaths(
  repo: GitRepo,
  paths: readonly string[],
  commit: string | null,
): Promise<void> {
  for (const filepath of paths) {
    const args = { fs: durableGitFs, dir: repo.root, gitdir: repo.gitdir, filepath };
    if (commit === null) await git.remove(args);
    else await git.resetIndex({ ...args, ref: commit, cache: repo.cache });
  }
}
