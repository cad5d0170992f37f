import { NixstrapFailure } from '../../../../common/result';
import { type GitObject, type TreeEntry, treeObject } from './objects';
import { commitTree, type GitRepo, readTreeEntries, type StoredEntry } from './repo';

/** A file a commit sets: its path (relative to the work tree, posix), blob and mode. */
export type TreeChange = { path: string; oid: string; mode: string };

function folderInTheWay(path: string): NixstrapFailure {
  return new NixstrapFailure(
    'REPO_LAYOUT_UNKNOWN',
    `git has ${path} as a file where Nixstrap needs a folder, or the other way round.`,
    'Move that file or folder out of the way and commit, then plan again.',
  );
}

/**
 * The tree of `base` with `changes` applied, built in memory: the new tree's id and every
 * tree object it needs that is not already in `base`.
 */
export async function buildTree(
  repo: GitRepo,
  base: string | null,
  changes: readonly TreeChange[],
  prefix = '',
): Promise<{ oid: string; objects: GitObject[] }> {
  const entries = new Map<string, TreeEntry>();
  for (const e of base === null ? [] : await readTreeEntries(repo, base)) entries.set(e.path, e);
  const objects: GitObject[] = [];
  const below = new Map<string, TreeChange[]>();
  for (const change of changes) {
    const [head, ...rest] = change.path.split('/');
    if (head === undefined) continue;
    if (rest.length === 0) {
      if (entries.get(head)?.mode === '40000') throw folderInTheWay(`${prefix}${head}`);
      entries.set(head, { mode: change.mode, path: head, oid: change.oid });
    } else {
      below.set(head, [...(below.get(head) ?? []), { ...change, path: rest.join('/') }]);
    }
  }
  for (const [name, inner] of below) {
    const existing = entries.get(name);
    if (existing && existing.mode !== '40000') throw folderInTheWay(`${prefix}${name}`);
    const sub = await buildTree(repo, existing?.oid ?? null, inner, `${prefix}${name}/`);
    objects.push(...sub.objects);
    entries.set(name, { mode: '40000', path: name, oid: sub.oid });
  }
  const tree = treeObject([...entries.values()]);
  return { oid: tree.oid, objects: [...objects, tree] };
}

/** What `commit` holds at each of `paths` (relative to the work tree): blob and mode, if any. */
export async function committedEntries(
  repo: GitRepo,
  commit: string | null,
  paths: readonly string[],
): Promise<Map<string, StoredEntry>> {
  const out = new Map<string, StoredEntry>();
  if (commit === null) return out;
  const trees = new Map<string, StoredEntry[] | null>();
  const listing = async (dir: string): Promise<StoredEntry[] | null> => {
    if (trees.has(dir)) return trees.get(dir)!;
    let found: StoredEntry[] | null;
    if (dir === '') found = await readTreeEntries(repo, await commitTree(repo, commit));
    else {
      const slash = dir.lastIndexOf('/');
      const parent = await listing(slash === -1 ? '' : dir.slice(0, slash));
      const entry = parent?.find((e) => e.path === dir.slice(slash + 1) && e.mode === '40000');
      found = entry ? await readTreeEntries(repo, entry.oid) : null;
    }
    trees.set(dir, found);
    return found;
  };
  for (const path of paths) {
    const slash = path.lastIndexOf('/');
    const entries = await listing(slash === -1 ? '' : path.slice(0, slash));
    const entry = entries?.find((e) => e.path === path.slice(slash + 1) && e.mode !== '40000');
    if (entry) out.set(path, entry);
  }
  return out;
}
