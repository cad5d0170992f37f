import { relative, sep } from 'node:path';
import type { Journey } from '../../../../common/plan';
import {
  assertIndexReadable,
  findWorkTree,
  type GitRepo,
  type Head,
  openRepo,
  readHead,
} from './repo';

/**
 * The repository a plan's commit goes into. `repo` is null when there is none yet and the
 * apply makes one at `root`: a first-time setup outside any repo, or inside someone else's
 * work tree (a new config repo is its own). Paths of the plan, relative to the plan's folder,
 * become work-tree paths with `prefix`.
 */
export type CommitTarget = { repo: GitRepo | null; root: string; prefix: string; head: Head };

export async function commitTarget(journey: Journey, folder: string): Promise<CommitTarget> {
  const root = await findWorkTree(folder);
  if (root === null || (journey === 'init' && root !== folder)) {
    return { repo: null, root: folder, prefix: '', head: { ref: 'refs/heads/main', oid: null } };
  }
  const repo = await openRepo(root);
  await assertIndexReadable(repo);
  const rel = relative(root, folder).split(sep).join('/');
  return { repo, root, prefix: rel ? `${rel}/` : '', head: await readHead(repo) };
}
