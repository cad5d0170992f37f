import { randomBytes } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { makeDirs, processAlive } from '../../platform';
import { errnoOf } from './errors';

/*
 * Every change Nixstrap makes to a repo's disk, git's files included, goes through here: a
 * file is written to a temp file beside it, synced, and renamed over its name, so a crash or a
 * full disk leaves the old file or the new one, never a short one.
 */

/** Marks Nixstrap's own temp files, so whatever an interrupted write leaves is known as its own. */
export const TEMP_MARK = '.nixstrap-tmp-';

export function isTempName(name: string): boolean {
  return name.includes(TEMP_MARK);
}

export type DiskOp = 'write' | 'rename' | 'link' | 'unlink' | 'mkdir' | 'rmdir';

/** One change to the disk, numbered in the order they happen. */
export type DiskStep = { n: number; op: DiskOp; path: string };

/**
 * Sees each step before it happens (and may fail it, as a full disk would) and after it
 * happened (and may end the process there): how the crash tests reach every point of a write.
 */
export type DiskWatcher = {
  before?: (step: DiskStep) => void;
  after?: (step: DiskStep) => void;
};

let watcher: DiskWatcher | null = null;
let steps = 0;

/** Starts watching the disk steps, counted from 1; returns a function that stops watching. */
export function watchDiskSteps(next: DiskWatcher): () => void {
  watcher = next;
  steps = 0;
  return () => {
    if (watcher === next) watcher = null;
  };
}

async function step<T>(op: DiskOp, path: string, act: () => Promise<T>): Promise<T> {
  const current = { n: ++steps, op, path };
  watcher?.before?.(current);
  const result = await act();
  watcher?.after?.(current);
  return result;
}

async function syncDir(dir: string): Promise<void> {
  // Makes a rename itself durable; some systems cannot open a folder this way.
  const handle = await fsp.open(dir, 'r').catch(() => null);
  if (!handle) return;
  try {
    await handle.sync().catch(() => undefined);
  } finally {
    await handle.close();
  }
}

/** Writes `data` to `temp`, which must not exist, and syncs it; removes it again on failure. */
async function writeNew(temp: string, data: string | Uint8Array, mode: number): Promise<void> {
  await step('write', temp, async () => {
    const handle = await fsp.open(temp, 'wx', mode);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } catch (error) {
      await handle.close();
      await fsp.unlink(temp).catch(() => undefined);
      throw error;
    }
    await handle.close();
  });
}

function tempBeside(file: string): string {
  return join(
    dirname(file),
    `.${basename(file)}${TEMP_MARK}${process.pid}-${randomBytes(4).toString('hex')}`,
  );
}

export type WriteOptions = {
  /** Write through `<file>.lock`, git's own protocol for its index and refs, instead of a temp file. */
  lock?: boolean;
  mode?: number;
};

/** The permissions a replacement keeps: the file's own, or rw-r--r-- for a new one. */
async function modeOf(file: string): Promise<number> {
  return fsp.stat(file).then(
    (s) => s.mode & 0o777,
    () => 0o644,
  );
}

/** Replaces `file` with `data`, atomically and durably. Its folder must exist. */
export async function writeFileDurably(
  file: string,
  data: string | Uint8Array,
  options: WriteOptions = {},
): Promise<void> {
  const temp = options.lock ? `${file}.lock` : tempBeside(file);
  await writeNew(temp, data, options.mode ?? (await modeOf(file)));
  try {
    await step('rename', file, () => fsp.rename(temp, file));
  } catch (error) {
    await fsp.unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncDir(dirname(file));
}

/**
 * The first half of a replacement: `data` written and synced to a temp file beside `file`,
 * whose path is returned; `renamePath(temp, file)` completes it. Many files can be prepared
 * before any is replaced, so a full disk stops a write before it changes anything.
 */
export async function prepareReplacement(file: string, data: string | Uint8Array): Promise<string> {
  const temp = tempBeside(file);
  await writeNew(temp, data, await modeOf(file));
  return temp;
}

/**
 * Creates `file` with `data` only if it does not exist yet, all at once: the content is
 * complete before the name appears (a hard link of a synced temp file). Throws EEXIST.
 */
export async function createFileExclusively(file: string, data: string): Promise<void> {
  const temp = tempBeside(file);
  await writeNew(temp, data, 0o644);
  try {
    await step('link', file, () => fsp.link(temp, file));
  } finally {
    await step('unlink', temp, () => fsp.unlink(temp)).catch(() => undefined);
  }
  await syncDir(dirname(file));
}

/** Removes a file; one that is already gone is fine. */
export async function removeFile(file: string): Promise<void> {
  try {
    await step('unlink', file, () => fsp.unlink(file));
  } catch (error) {
    if (errnoOf(error) !== 'ENOENT') throw error;
  }
}

/** Removes an empty folder; true when it was removed, false when it holds something. */
export async function removeFolderIfEmpty(dir: string): Promise<boolean> {
  try {
    await step('rmdir', dir, () => fsp.rmdir(dir));
    return true;
  } catch (error) {
    const code = errnoOf(error);
    if (code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'ENOENT') return false;
    throw error;
  }
}

export async function renamePath(from: string, to: string): Promise<void> {
  await step('rename', to, () => fsp.rename(from, to));
  await syncDir(dirname(to));
}

/** `mkdir -p`, each folder made a counted step. */
export async function makeDirsDurably(dir: string): Promise<void> {
  await makeDirs(dir, (one) => step('mkdir', one, () => fsp.mkdir(one)));
}

/**
 * Git's lock protocol: holds `<file>.lock` (created exclusively, so a busy git or another
 * Nixstrap makes this fail with EEXIST) while `content` decides what to write, then renames
 * it over `file`.
 */
export async function replaceUnderLock(
  file: string,
  content: () => Promise<string>,
): Promise<void> {
  const lock = `${file}.lock`;
  const handle = await step('write', lock, () => fsp.open(lock, 'wx', 0o644));
  try {
    await handle.writeFile(await content());
    await handle.sync();
    await handle.close();
    await step('rename', file, () => fsp.rename(lock, file));
  } catch (error) {
    await handle.close().catch(() => undefined);
    await fsp.unlink(lock).catch(() => undefined);
    throw error;
  }
  await syncDir(dirname(file));
}

/**
 * Whether a temp file is another running process's (its pid is in its name): a write under
 * way in another Nixstrap, whose rename would fail if the file were taken from under it.
 */
function tempOfAnotherLiveProcess(name: string): boolean {
  const pid = Number(name.slice(name.indexOf(TEMP_MARK) + TEMP_MARK.length).split('-')[0]);
  return Number.isInteger(pid) && pid > 0 && pid !== process.pid && processAlive(pid);
}

/**
 * Removes what an interrupted write left in `dir`: Nixstrap's temp files, nothing else, and
 * none a Nixstrap still running is writing.
 */
export async function removeTempFiles(dir: string): Promise<void> {
  const entries = await fsp.readdir(dir, { withFileTypes: true }).catch(() => []);
  const leftovers = entries.filter((e) => isTempName(e.name) && !tempOfAnotherLiveProcess(e.name));
  for (const entry of leftovers) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await step('rmdir', path, () => fsp.rm(path, { recursive: true }));
    else await removeFile(path);
  }
}

/**
 * A file system for isomorphic-git whose every write is durable: git's index and refs through
 * their `.lock` files, everything else through a temp file.
 */
export const durableGitFs = {
  promises: {
    readFile: fsp.readFile,
    stat: fsp.stat,
    lstat: fsp.lstat,
    readdir: fsp.readdir,
    readlink: fsp.readlink,
    symlink: fsp.symlink,
    chmod: fsp.chmod,
    writeFile: async (file: string, data: string | Uint8Array, options?: { mode?: number }) => {
      const name = basename(file);
      const lock = name === 'index' || name === 'HEAD' || file.includes('/refs/');
      await writeFileDurably(file, data, { lock, mode: options?.mode });
    },
    unlink: (file: string) => step('unlink', file, () => fsp.unlink(file)),
    mkdir: (dir: string) => step('mkdir', dir, () => fsp.mkdir(dir)),
    rmdir: (dir: string) => step('rmdir', dir, () => fsp.rmdir(dir)),
  },
};
