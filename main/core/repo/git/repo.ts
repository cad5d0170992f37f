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

/** A git operation that failed, as one sentence; the cause is named, not dumped. */
export function gitFailure(what: string, repo: string, error: unknown): NixstrapFailure {
  if (error instanceof NixstrapFailure) return error;
  const code = (error as { code?: string } | undefined)?.code;
  const cause =
    code === 'NotFoundError'
      ? 'an object git needs is missing'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission was denied'
        : 'git data there is damaged or unreadable';
  return new NixstrapFailure(
    'GIT_FAILED',
    `Nixstrap could not ${what} in ${repo}: ${cause}.`,
    '`git status` and `git fsck` in that folder show what git thinks of it; nothing was written.',
  );
}

/** Runs an isomorphic-git read, turning its failure into a sentence. */
export async function reading<T>(repo: GitRepo, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw gitFailure("read the repo's git history", repo.root, error);
  }
}

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
    const gitdir = target ? (isAbsolute(target) ? target : join(root, target)) : null;
    if (gitdir === null || !(await lstatOrNull(gitdir))?.isDirectory()) {
      throw new NixstrapFailure(
        'GIT_FAILED',
        `${dotgit} points at a git folder that is not there (${target ?? 'it names none'}), so Nixstrap cannot use this repo.`,
        'Check the path in that .git file, or clone the repo again.',
      );
    }
    // A linked worktree keeps its branches in another git folder, which the reader here does
    // not follow: refusing beats committing without a parent.
    if ((await lstatOrNull(join(gitdir, 'commondir'))) !== null) {
      throw new NixstrapFailure(
        'GIT_FAILED',
        `${root} is a linked git worktree, and Nixstrap commits only in a repository's main work tree.`,
        'Choose the main checkout of this repository (`git worktree list` shows it).',
      );
    }
    return { root, gitdir, cache: {} };
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
  const symbolic = /^ref:\s*(refs\/\S+)$/.exec(text)?.[1];
  if (symbolic) return { ref: symbolic, oid: await readRef(repo, symbolic) };
  if (/^[0-9a-f]{40}$/.test(text)) return { ref: null, oid: text };
  throw new NixstrapFailure(
    'GIT_FAILED',
    `git's HEAD in ${repo.root} is damaged (it names neither a branch nor a commit), so Nixstrap will not commit there.`,
    '`git status` in that folder shows the problem; `git symbolic-ref HEAD refs/heads/main` points it at a branch again.',
  );
}

/** The commit a ref names, or null when it does not exist yet. */
export async function readRef(repo: GitRepo, ref: string): Promise<string | null> {
  try {
    return await git.resolveRef({ fs: durableGitFs, dir: repo.root, gitdir: repo.gitdir, ref });
  } catch (error) {
    if ((error as { code?: string }).code === 'NotFoundError') return null;
    throw gitFailure("read the repo's git history", repo.root, error);
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
  const { tree } = await reading(repo, () =>
    git.readTree({ fs: durableGitFs, dir: repo.root, gitdir: repo.gitdir, oid, cache: repo.cache }),
  );
  return tree.map((e) => ({ ...e, mode: e.mode.replace(/^0+/, '') }));
}

export async function readBlobContent(repo: GitRepo, oid: string): Promise<Buffer> {
  const { blob } = await reading(repo, () =>
    git.readBlob({ fs: durableGitFs, dir: repo.root, gitdir: repo.gitdir, oid, cache: repo.cache }),
  );
  return Buffer.from(blob);
}

export async function commitTree(repo: GitRepo, commit: string): Promise<string> {
  const { commit: parsed } = await reading(repo, () =>
    git.readCommit({
      fs: durableGitFs,
      dir: repo.root,
      gitdir: repo.gitdir,
      oid: commit,
      cache: repo.cache,
    }),
  );
  return parsed.tree;
}

/**
 * Refuses a repo whose index git could not read (a zero-byte index from an earlier crash):
 * a commit would have to rewrite it, and undoing would have nothing sound to go back to.
 */
export async function assertIndexReadable(repo: GitRepo): Promise<void> {
  const index = await lstatOrNull(join(repo.gitdir, 'index'));
  if (index === null) return;
  try {
    await git.listFiles({ fs: durableGitFs, dir: repo.root, gitdir: repo.gitdir, cache: {} });
  } catch {
    throw damagedIndex(repo.root, 'Nixstrap will not commit there');
  }
}

/** git's index at `root` cannot be read, so Nixstrap will not do `what` (a clause). */
export function damagedIndex(root: string, what: string): NixstrapFailure {
  return new NixstrapFailure(
    'GIT_FAILED',
    `git's index in ${root} is damaged, so ${what}.`,
    '`git status` shows the problem; `rm .git/index && git reset` rebuilds the index from the last commit without touching your files.',
  );
}

/** What git is in the middle of, by the file in the git folder that says so. */
const UNFINISHED: readonly [string, string, string][] = [
  ['MERGE_HEAD', 'a merge', '`git merge --continue` or `git merge --abort`'],
  ['rebase-merge', 'a rebase', '`git rebase --continue` or `git rebase --abort`'],
  ['rebase-apply', 'a rebase', '`git rebase --continue` or `git rebase --abort`'],
  [
    'CHERRY_PICK_HEAD',
    'a cherry-pick',
    '`git cherry-pick --continue` or `git cherry-pick --abort`',
  ],
  ['REVERT_HEAD', 'a revert', '`git revert --continue` or `git revert --abort`'],
];

/**
 * Refuses to commit while git is busy or between steps: another git holds the index, or the
 * user is halfway through a merge or rebase, where Nixstrap's commit would land between the
 * steps of theirs and their finishing commit would take it in.
 */
export async function assertRepoAtRest(repo: GitRepo): Promise<void> {
  for (const [file, what, finish] of UNFINISHED) {
    if ((await lstatOrNull(join(repo.gitdir, file))) !== null) {
      throw new NixstrapFailure(
        'REPO_BUSY',
        `${repo.root} is in the middle of ${what}, so Nixstrap wrote nothing: its commit would land inside yours.`,
        `Finish or abandon it first (${finish}), then write again.`,
      );
    }
  }
  const lock = join(repo.gitdir, 'index.lock');
  if ((await lstatOrNull(lock)) !== null) throw gitBusy(lock);
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
