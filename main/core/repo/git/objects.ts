import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deflateSync, inflateSync } from 'node:zlib';
import { makeDirsDurably, removeTempFiles, writeFileDurably } from '../fs/durable';
import { errnoOf } from '../fs/errors';

/*
 * Git objects as Nixstrap writes them: computed in memory first (so a journal can name every
 * one before any is written), then each loose object written durably and read back, and its
 * hash checked, before anything points at it. An object already there that fails the check
 * (a zero-byte file from an earlier crash) is replaced.
 */

export type ObjectType = 'blob' | 'tree' | 'commit';

/** An object ready to write: its id and its raw (uncompressed) bytes, header included. */
export type GitObject = { oid: string; type: ObjectType; raw: Buffer };

export function gitObject(type: ObjectType, body: Buffer | string): GitObject {
  const content = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const raw = Buffer.concat([Buffer.from(`${type} ${content.length}\0`), content]);
  return { oid: createHash('sha1').update(raw).digest('hex'), type, raw };
}

/** The id git gives a file's content. */
export function blobId(content: Buffer | string): string {
  return gitObject('blob', content).oid;
}

export function looseObjectPath(gitdir: string, oid: string): string {
  return join(gitdir, 'objects', oid.slice(0, 2), oid.slice(2));
}

/** True when the loose object `oid` is on disk and its content hashes to its name. */
async function looseObjectIsSound(gitdir: string, oid: string): Promise<boolean> {
  let stored: Buffer;
  try {
    stored = await readFile(looseObjectPath(gitdir, oid));
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return false;
    throw error;
  }
  try {
    return createHash('sha1').update(inflateSync(stored)).digest('hex') === oid;
  } catch {
    return false;
  }
}

/** Writes each object (unless a sound copy is there) and proves it by reading it back. */
export async function writeObjects(gitdir: string, objects: readonly GitObject[]): Promise<void> {
  const seen = new Set<string>();
  for (const object of objects) {
    if (seen.has(object.oid)) continue;
    seen.add(object.oid);
    if (await looseObjectIsSound(gitdir, object.oid)) continue;
    const file = looseObjectPath(gitdir, object.oid);
    await makeDirsDurably(join(file, '..'));
    await writeFileDurably(file, deflateSync(object.raw), { mode: 0o444 });
    if (!(await looseObjectIsSound(gitdir, object.oid))) {
      throw new Error(`git object ${object.oid} did not read back as written`);
    }
  }
}

/** Removes temp files an interrupted object write left beside the objects in `oids`. */
export async function removeObjectTemps(gitdir: string, oids: readonly string[]): Promise<void> {
  for (const dir of new Set(oids.map((oid) => join(gitdir, 'objects', oid.slice(0, 2))))) {
    await removeTempFiles(dir);
  }
}

export type TreeEntry = { mode: string; path: string; oid: string };

/** Git's order: by name, a folder compared as if its name ended in `/`. */
function treeOrder(a: TreeEntry, b: TreeEntry): number {
  const key = (e: TreeEntry) => (e.mode === '40000' ? `${e.path}/` : e.path);
  const x = Buffer.from(key(a));
  const y = Buffer.from(key(b));
  return Buffer.compare(x, y);
}

export function treeObject(entries: readonly TreeEntry[]): GitObject {
  const parts = [...entries]
    .sort(treeOrder)
    .map((e) => Buffer.concat([Buffer.from(`${e.mode} ${e.path}\0`), Buffer.from(e.oid, 'hex')]));
  return gitObject('tree', Buffer.concat(parts));
}

export type Signature = { name: string; email: string; when: Date };

/** `Name <email> seconds +hhmm`, with the characters git forbids in a name taken out. */
function signature(s: Signature): string {
  const clean = (text: string) => text.replace(/[<>\n\r\0]/g, '').trim();
  const offset = -s.when.getTimezoneOffset();
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const zone = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
  return `${clean(s.name)} <${clean(s.email)}> ${Math.floor(s.when.getTime() / 1000)} ${zone}`;
}

export function commitObject(req: {
  tree: string;
  parent: string | null;
  author: Signature;
  message: string;
}): GitObject {
  const lines = [`tree ${req.tree}`];
  if (req.parent) lines.push(`parent ${req.parent}`);
  lines.push(`author ${signature(req.author)}`, `committer ${signature(req.author)}`);
  const message = req.message.endsWith('\n') ? req.message : `${req.message}\n`;
  return gitObject('commit', `${lines.join('\n')}\n\n${message}`);
}
