import { posix, relative, resolve, sep } from 'node:path';
import git from 'isomorphic-git';
import { durableGitFs } from '../fs/durable';
import { commitSubject } from './history';
import { findWorkTree, gitFailure, openRepo, readHead } from './repo';

/**
 * isomorphic-git saves the index's refreshed stat cache while it reads the status: a write a
 * status can do without, so a repo the user may read but not write (a root-owned /etc/nixos,
 * a checkout copied with new inode numbers) can still be checked.
 */
const readingGitFs = { promises: { ...durableGitFs.promises, writeFile: async () => undefined } };

/** One file's status as isomorphic-git reports it: 0 absent, 1 as in HEAD, 2–3 changed. */
type FileStatus = { path: string; head: number; workdir: number; stage: number };

/**
 * The status of the repo's files (or of `paths`, relative to `repo`), keyed by paths relative
 * to `repo`; null outside a git work tree. A status git cannot give is an error, never "clean".
 */
async function fileStatuses(repo: string, paths?: readonly string[]): Promise<FileStatus[] | null> {
  const root = await findWorkTree(repo);
  if (root === null) return null;
  if (paths?.length === 0) return [];
  const toRoot = (path: string) => relative(root, resolve(repo, path)).split(sep).join('/');
  let rows: Awaited<ReturnType<typeof git.statusMatrix>>;
  try {
    rows = await git.statusMatrix({ fs: readingGitFs, dir: root, filepaths: paths?.map(toRoot) });
  } catch (error) {
    throw gitFailure('read the git status', repo, error);
  }
  return rows.map(([file, head, workdir, stage]) => ({
    path: relative(repo, resolve(root, file)).split(sep).join('/'),
    head,
    workdir,
    stage,
  }));
}

/**
 * Which of `paths` (files, relative to `repo`) git neither tracks nor has staged: files a
 * flake cannot see, because Nix copies only what git knows. Empty outside a git work tree.
 */
export async function unseenByGit(repo: string, paths: readonly string[]): Promise<string[]> {
  const statuses = await fileStatuses(repo, paths);
  if (statuses === null) return [];
  const known = new Set(statuses.filter((f) => f.head !== 0 || f.stage !== 0).map((f) => f.path));
  return paths.filter((path) => !known.has(posix.normalize(path)));
}

/** Files in the work tree that git neither tracks nor has staged (and does not ignore). */
export async function untrackedFiles(repo: string): Promise<string[]> {
  const statuses = await fileStatuses(repo);
  return (statuses ?? []).filter((f) => f.head === 0 && f.stage === 0).map((f) => f.path);
}

/** A tracked file changed or deleted, or a new one staged (intent-to-add included, as Nix adds a lock). */
function differsFromCommit(f: FileStatus): boolean {
  return f.head === 1 ? f.workdir !== 1 || f.stage !== 1 : f.stage !== 0;
}

/** Whether `file` (relative to `repo`) differs from the commit checked out; false outside git. */
export async function uncommitted(repo: string, file: string): Promise<boolean> {
  return ((await fileStatuses(repo, [file])) ?? []).some(differsFromCommit);
}

/** Whether tracked files other than `file` (relative to `repo`) differ from the commit checked out. */
export async function uncommittedBeside(repo: string, file: string): Promise<boolean> {
  const other = (f: FileStatus) => f.path !== posix.normalize(file);
  return ((await fileStatuses(repo)) ?? []).some((f) => other(f) && differsFromCommit(f));
}

/** Where a build of a repo comes from: nulls outside a git work tree or before the first commit. */
export interface WorkTreeState {
  commit: string | null;
  /** Whether tracked files differ from the commit (what Nix calls a dirty tree). */
  dirty: boolean | null;
  /** The commit's subject, the first line of its message. */
  subject: string | null;
  /** The branch checked out; null on a detached HEAD. */
  branch: string | null;
}

/**
 * The commit a build of `repo` comes from, its subject and branch, and whether tracked files
 * differ from it (untracked files do not count, as the flake cannot see them).
 */
export async function workTreeState(repo: string): Promise<WorkTreeState> {
  const none = { commit: null, dirty: null, subject: null, branch: null };
  const root = await findWorkTree(repo);
  if (root === null) return none;
  const opened = await openRepo(root);
  const { ref, oid } = await readHead(opened);
  if (oid === null) return none;
  const dirty = ((await fileStatuses(root)) ?? []).some(differsFromCommit);
  return {
    commit: oid,
    dirty,
    subject: await commitSubject(opened, oid),
    branch: ref?.replace(/^refs\/heads\//, '') ?? null,
  };
}
