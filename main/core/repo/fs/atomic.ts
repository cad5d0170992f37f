import { randomBytes } from 'node:crypto';
import { open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { makeDirs } from '../../platform';

const TEMP_MARK = '.nixstrap-tmp-';

/** True for the temp files `writeFileAtomic` creates (hidden, and never ending in `.nix`). */
export function isTempFileName(name: string): boolean {
  return name.startsWith('.') && name.includes(TEMP_MARK);
}

async function syncDir(dir: string): Promise<void> {
  // Makes the rename itself durable; directories cannot be opened this way on Windows.
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    return;
  }
}

/**
 * Writes `content` to `file` so that a crash at any moment leaves either the old file or the
 * new one, never a mix: temp file in the same folder, fsync, rename over the target.
 */
export async function writeFileAtomic(file: string, content: string): Promise<void> {
  const dir = dirname(file);
  await makeDirs(dir);
  const temp = join(
    dir,
    `.${basename(file)}${TEMP_MARK}${process.pid}-${randomBytes(4).toString('hex')}`,
  );
  const mode = await stat(file).then(
    (s) => s.mode & 0o777,
    () => 0o644,
  );
  try {
    const handle = await open(temp, 'wx', mode);
    try {
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncDir(dir);
}

/** Removes temp files an interrupted earlier write left in `dir`. */
export async function removeStaleTempFiles(dir: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(
    names.filter(isTempFileName).map((name) => unlink(join(dir, name)).catch(() => undefined)),
  );
}
