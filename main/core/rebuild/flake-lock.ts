import fs from 'node:fs';
import path from 'node:path';
import type { FlakeInput } from '../../../common/rebuild';
import { sha256 } from '../repo/manifest';

/** A direct input as the ledger keeps it: what the generation shows, and the fetcher's type. */
export interface LockedInput extends FlakeInput {
  type: string;
}

/**
 * What a run built from: the root's direct inputs, the lock's text when it is small, and its
 * sha256 always, so a lock too big to keep can still be told to be the one the build used.
 */
export interface RecordedLock {
  inputs: LockedInput[];
  text: string | null;
  sha256: string;
}

/** The lock formats whose node graph is read here (Nix 2.4 wrote 7, and still does). */
const KNOWN_VERSIONS = new Set([5, 6, 7]);
/** Lock files above this are kept as their inputs only: a monorepo's can run to megabytes. */
const KEPT_TEXT_CHARS = 256 * 1024;
/** A `follows` chain longer than this is a loop in a hand-edited lock, not a real flake. */
const MAX_FOLLOWS = 32;

type Node = Record<string, unknown>;

const isObject = (value: unknown): value is Node =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const text = (value: unknown): string | null =>
  typeof value === 'string' && value !== '' ? value : null;

/**
 * The node an input reference names: a node key, or (for `follows`) a path of input names
 * from the root, whose steps may themselves follow.
 */
function nodeKey(nodes: Node, root: string, ref: unknown, depth = 0): string | null {
  if (typeof ref === 'string') return ref;
  if (!Array.isArray(ref) || depth > MAX_FOLLOWS) return null;
  let key = root;
  for (const step of ref) {
    const node = nodes[key];
    const next = isObject(node) && isObject(node.inputs) ? node.inputs[String(step)] : undefined;
    const found = nodeKey(nodes, root, next, depth + 1);
    if (found === null) return null;
    key = found;
  }
  return key;
}

/** The source in the short form a flake reference is written in, with the branch it follows. */
function sourceOf(locked: Node, original: Node): string | null {
  const type = text(locked.type);
  const ref = text(original.ref);
  if (type === 'github' || type === 'gitlab' || type === 'sourcehut') {
    const owner = text(locked.owner);
    const repo = text(locked.repo);
    return owner && repo ? `${type}:${owner}/${repo}${ref ? `/${ref}` : ''}` : null;
  }
  if (type === 'git' || type === 'mercurial') {
    const url = text(locked.url);
    const scheme = type === 'git' ? 'git+' : 'hg+';
    return url ? `${url.startsWith(scheme) ? '' : scheme}${url}${ref ? `?ref=${ref}` : ''}` : null;
  }
  if (type === 'path') {
    const where = text(locked.path);
    return where ? `path:${where}` : null;
  }
  return text(locked.url) ?? type;
}

function lockedInput(name: string, node: unknown): LockedInput | null {
  if (!isObject(node) || !isObject(node.locked)) return null;
  const { locked } = node;
  const type = text(locked.type);
  const source = sourceOf(locked, isObject(node.original) ? node.original : {});
  if (!type || !source) return null;
  const rev = text(locked.rev);
  const seconds = locked.lastModified;
  return {
    name,
    type,
    source,
    rev: rev && /^[0-9a-f]{40,64}$/.test(rev) ? rev : null,
    lastModified:
      typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0
        ? new Date(seconds * 1000).toISOString()
        : null,
    narHash: text(locked.narHash),
  };
}

/**
 * The direct inputs of a lock file's root node, by name; null for anything but a lock of a
 * known version (not JSON, cut short, another format): a wrong pin is worse than none.
 */
export function parseLockedInputs(lockText: string): LockedInput[] | null {
  let lock: unknown;
  try {
    lock = JSON.parse(lockText);
  } catch {
    return null;
  }
  if (!isObject(lock) || !KNOWN_VERSIONS.has(lock.version as number)) return null;
  const { nodes } = lock;
  const root = text(lock.root);
  if (!isObject(nodes) || root === null || !isObject(nodes[root])) return null;
  const refs = nodes[root].inputs;
  if (refs !== undefined && !isObject(refs)) return null;
  return Object.entries(refs ?? {})
    .flatMap(([name, ref]) => {
      const key = nodeKey(nodes, root, ref);
      const input = key === null ? null : lockedInput(name, nodes[key]);
      return input ? [input] : [];
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * The repo's `flake.lock` as Nix left it after a build (Nix writes it when an input is new or
 * its pin moved); null when there is none or it cannot be read as a lock.
 */
export function readFlakeLock(repo: string): RecordedLock | null {
  let lockText: string;
  try {
    lockText = fs.readFileSync(path.join(repo, 'flake.lock'), 'utf8');
  } catch {
    return null;
  }
  const inputs = parseLockedInputs(lockText);
  if (inputs === null) return null;
  return {
    inputs,
    text: lockText.length <= KEPT_TEXT_CHARS ? lockText : null,
    sha256: sha256(lockText),
  };
}
