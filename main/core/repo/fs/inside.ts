import { join } from 'node:path';
import { NixstrapFailure } from '../../../../common/result';
import { lstatOrNull } from './read';

/**
 * Refuses a path of the repo (relative, posix) that would lead out of it: a symbolic link as
 * any of its folders (`hosts`, `home/<user>`, `.nixstrap`) or as the file itself. Writing
 * through one would put files outside the repo, where git and the flake never see them.
 */
export async function assertInsideRepo(repo: string, path: string): Promise<void> {
  const parts = path.split('/');
  let current = repo;
  for (const [i, part] of parts.entries()) {
    if (part === '' || part === '.' || part === '..') {
      throw new NixstrapFailure(
        'PATH_OUTSIDE_REPO',
        `${path} is not a plain path inside the repo.`,
        'This is a bug in Nixstrap; please report it.',
      );
    }
    current = join(current, part);
    const stat = await lstatOrNull(current);
    if (stat === null) return;
    const here = parts.slice(0, i + 1).join('/');
    if (stat.isSymbolicLink()) {
      throw new NixstrapFailure(
        'PATH_OUTSIDE_REPO',
        `${here} in the repo is a symbolic link, so writing ${path} would put it outside the repo, where git does not see it; nothing was written.`,
        `Replace the link with a real folder (move its contents into ${here}/), or choose another repo folder.`,
      );
    }
    if (i < parts.length - 1 && !stat.isDirectory()) {
      throw new NixstrapFailure(
        'PATH_INVALID',
        `${here} in the repo is a file, where Nixstrap needs a folder for ${path}.`,
        'Move that file out of the way, then plan again.',
      );
    }
  }
}
