import { posix, relative, resolve, sep } from 'node:path';
import git from 'isomorphic-git';
import { NixstrapFailure } from '../../../../common/result';
import { durableGitFs } from '../fs/durable';
import { findWorkTree } from './repo';

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

/**
 * Which of `paths` (files, relative to `repo`) git neither tracks nor has staged: files a
 * flake cannot see, because Nix copies only what git knows. Empty outside a git work tree.
 */
export async function unseenByGit(repo: string, paths: readonly string[]): Promise<string[]> {
  const root = await findWorkTree(repo);
  if (root === null || paths.length === 0) return [];
  const toRoot = (path: string) => relative(root, resolve(repo, path)).split(sep).join('/');
  let rows: Awaited<ReturnType<typeof git.statusMatrix>>;
  try {
    rows = await git.statusMatrix({ fs: durableGitFs, dir: root, filepaths: paths.map(toRoot) });
  } catch (error) {
    throw gitFailure('read the git status', repo, error);
  }
  const known = new Set(
    rows
      .filter(([, head, , stage]) => head !== 0 || stage !== 0)
      .map(([file]) => relative(repo, resolve(root, file)).split(sep).join('/')),
  );
  return paths.filter((path) => !known.has(posix.normalize(path)));
}
