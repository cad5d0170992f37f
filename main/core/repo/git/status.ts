import * as fs from 'node:fs';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';
import git from 'isomorphic-git';
import { NixstrapFailure } from '../../../../common/result';
import { lstatOrNull } from '../fs/read';

export type GitAuthor = { name: string; email: string };

const FALLBACK_AUTHOR: GitAuthor = { name: 'Nixstrap', email: 'nixstrap@localhost' };

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

/** A git operation that failed, as one sentence; the cause is named, not dumped. */
export function gitFailure(what: string, repo: string, error: unknown): NixstrapFailure {
  if (error instanceof NixstrapFailure) return error;
  const code = (error as { code?: string } | undefined)?.code;
  const cause =
    code === 'NotFoundError'
      ? 'an object git needs is missing'
      : code === 'ObjectTypeError' || code === 'InternalError'
        ? 'git data there looks damaged'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission was denied'
          : 'git reported an error';
  return new NixstrapFailure(
    'GIT_FAILED',
    `Nixstrap could not ${what} in ${repo}: ${cause}.`,
    '`git status` in that folder shows what git thinks of it.',
  );
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
  let rows: Awaited<ReturnType<typeof git.statusMatrix>>;
  try {
    rows = await git.statusMatrix({ fs, dir: root, filepaths: paths?.map(toRoot) });
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
