import * as fs from 'node:fs';
import { relative, resolve, sep } from 'node:path';
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

/**
 * Paths (relative to `repo`'s work tree) whose staged content differs from HEAD. isomorphic-git
 * commits the whole index, so anything the user staged would ride along in Nixstrap's commit.
 */
export async function stagedChanges(repo: string): Promise<string[]> {
  const root = await findWorkTree(repo);
  if (root === null) return [];
  let rows: Awaited<ReturnType<typeof git.statusMatrix>>;
  try {
    rows = await git.statusMatrix({ fs, dir: root });
  } catch {
    // No commit yet: there is no HEAD to differ from.
    return [];
  }
  const HEAD = 1;
  const STAGE = 3;
  return rows
    .filter((row) => (row[HEAD] === 1 ? row[STAGE] !== 1 : row[STAGE] !== 0))
    .map((row) => relative(repo, resolve(root, row[0])).split(sep).join('/'));
}

/**
 * Which of `paths` (relative to `repo`) differ in the work tree from HEAD: edits the user has
 * not committed, which a commit of the file would carry along.
 */
export async function uncommittedEdits(repo: string, paths: readonly string[]): Promise<string[]> {
  const root = await findWorkTree(repo);
  if (root === null || paths.length === 0) return [];
  const toRoot = (path: string) => relative(root, resolve(repo, path)).split(sep).join('/');
  const byRootPath = new Map(paths.map((path) => [toRoot(path), path]));
  let rows: Awaited<ReturnType<typeof git.statusMatrix>>;
  try {
    rows = await git.statusMatrix({ fs, dir: root, filepaths: [...byRootPath.keys()] });
  } catch {
    return [];
  }
  const HEAD = 1;
  const WORKDIR = 2;
  return rows
    .filter((row) => row[HEAD] === 1 && row[WORKDIR] !== 1)
    .map((row) => byRootPath.get(row[0]) ?? row[0]);
}

/**
 * Which of `paths` (files relative to `repo`) git neither tracks nor has staged: files a flake
 * cannot see, because Nix copies only what git knows. Empty outside a git work tree.
 */
export async function unseenByGit(repo: string, paths: readonly string[]): Promise<string[]> {
  const root = await findWorkTree(repo);
  if (root === null || paths.length === 0) return [];
  const toRoot = (path: string) => relative(root, resolve(repo, path)).split(sep).join('/');
  let rows: Awaited<ReturnType<typeof git.statusMatrix>>;
  try {
    rows = await git.statusMatrix({ fs, dir: root, filepaths: paths.map(toRoot) });
  } catch {
    return [];
  }
  const known = new Set(rows.filter((row) => row[1] !== 0 || row[3] !== 0).map((row) => row[0]));
  return paths.filter((path) => !known.has(toRoot(path)));
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
