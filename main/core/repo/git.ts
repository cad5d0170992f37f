import * as fs from 'node:fs';
import { posix, relative, resolve, sep } from 'node:path';
import git from 'isomorphic-git';
import { NixstrapFailure } from '../../../common/result';

export type GitAuthor = { name: string; email: string };

const FALLBACK_AUTHOR: GitAuthor = { name: 'Nixstrap', email: 'nixstrap@localhost' };

/** The work tree holding `dir`, or null when `dir` is not inside a git repository. */
export async function findWorkTree(dir: string): Promise<string | null> {
  try {
    return await git.findRoot({ fs, filepath: dir });
  } catch {
    return null;
  }
}

async function configuredAuthor(root: string): Promise<Partial<GitAuthor>> {
  const name = await git.getConfig({ fs, dir: root, path: 'user.name' }).catch(() => undefined);
  const email = await git.getConfig({ fs, dir: root, path: 'user.email' }).catch(() => undefined);
  return {
    name: typeof name === 'string' ? name : undefined,
    email: typeof email === 'string' ? email : undefined,
  };
}

/** One file's status as isomorphic-git reports it: 0 absent, 1 as in HEAD, 2–3 changed. */
type FileStatus = { path: string; head: number; workdir: number; stage: number };

/**
 * The status of the repo's files (or of `paths`, relative to `repo`), keyed by paths relative
 * to `repo`. Empty outside a git work tree, and before the first commit (no HEAD to compare).
 */
async function fileStatuses(repo: string, paths?: readonly string[]): Promise<FileStatus[]> {
  const root = await findWorkTree(repo);
  if (root === null || paths?.length === 0) return [];
  const toRoot = (path: string) => relative(root, resolve(repo, path)).split(sep).join('/');
  try {
    const rows = await git.statusMatrix({ fs, dir: root, filepaths: paths?.map(toRoot) });
    return rows.map(([file, head, workdir, stage]) => ({
      path: relative(repo, resolve(root, file)).split(sep).join('/'),
      head,
      workdir,
      stage,
    }));
  } catch {
    return [];
  }
}

/**
 * Paths whose staged content differs from HEAD. isomorphic-git commits the whole index, so
 * anything the user staged would ride along in Nixstrap's commit.
 */
export async function stagedChanges(repo: string): Promise<string[]> {
  return (await fileStatuses(repo))
    .filter((f) => (f.head === 1 ? f.stage !== 1 : f.stage !== 0))
    .map((f) => f.path);
}

/** Which of `paths` differ in the work tree from HEAD: edits a commit of them would carry along. */
export async function uncommittedEdits(repo: string, paths: readonly string[]): Promise<string[]> {
  return (await fileStatuses(repo, paths))
    .filter((f) => f.head === 1 && f.workdir !== 1)
    .map((f) => f.path);
}

/**
 * Which of `paths` (files) git neither tracks nor has staged: files a flake cannot see,
 * because Nix copies only what git knows. Empty outside a git work tree.
 */
export async function unseenByGit(repo: string, paths: readonly string[]): Promise<string[]> {
  if ((await findWorkTree(repo)) === null) return [];
  const known = new Set(
    (await fileStatuses(repo, paths))
      .filter((f) => f.head !== 0 || f.stage !== 0)
      .map((f) => f.path),
  );
  return paths.filter((path) => !known.has(posix.normalize(path)));
}

/**
 * The commit a build of `repo` comes from, and whether tracked files differ from it (what Nix
 * calls a dirty tree; untracked files do not count, as the flake cannot see them). Nulls
 * outside a git work tree or before the first commit.
 */
export async function workTreeState(
  repo: string,
): Promise<{ commit: string | null; dirty: boolean | null }> {
  const root = await findWorkTree(repo);
  if (root === null) return { commit: null, dirty: null };
  const commit = await git.resolveRef({ fs, dir: root, ref: 'HEAD' }).catch(() => null);
  if (commit === null) return { commit: null, dirty: null };
  const dirty = (await fileStatuses(root)).some((f) =>
    f.head === 1 ? f.workdir !== 1 || f.stage !== 1 : f.stage !== 0,
  );
  return { commit, dirty };
}

/** Files in the work tree that git neither tracks nor has staged (and does not ignore). */
export async function untrackedFiles(repo: string): Promise<string[]> {
  return (await fileStatuses(repo)).filter((f) => f.head === 0 && f.stage === 0).map((f) => f.path);
}

/**
 * Stages `paths` (relative to `repo`) and commits them. Works without a git binary, because
 * flakes ignore untracked files and a fresh machine may not have git yet. Creates the
 * repository when `repo` is not inside one, or, with `standalone`, when `repo` is not the top
 * of one (a new config repo made inside some other work tree). Returns the new commit's oid.
 */
export async function commitFiles(
  repo: string,
  paths: readonly string[],
  message: string,
  author: Partial<GitAuthor> = {},
  standalone = false,
): Promise<string> {
  try {
    let root = await findWorkTree(repo);
    if (root === null || (standalone && resolve(root) !== resolve(repo))) {
      await git.init({ fs, dir: repo, defaultBranch: 'main' });
      root = repo;
    }
    for (const path of paths) {
      const filepath = relative(root, `${repo}${sep}${path}`).split(sep).join('/');
      await git.add({ fs, dir: root, filepath });
    }
    const configured = await configuredAuthor(root);
    const name = author.name?.trim() || configured.name || FALLBACK_AUTHOR.name;
    const email = author.email?.trim() || configured.email || FALLBACK_AUTHOR.email;
    return await git.commit({ fs, dir: root, message, author: { name, email } });
  } catch (error) {
    throw new NixstrapFailure(
      'GIT_FAILED',
      `The files were written, but committing them to git failed: ${(error as Error).message}.`,
      `Commit them by hand with \`git -C ${repo} add -A && git -C ${repo} commit\`.`,
    );
  }
}
