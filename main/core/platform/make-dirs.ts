import { mkdirSync, statSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';

/*
 * `mkdir -p`, one level at a time. Node's own `recursive: true` spins forever under kernel file
 * systems such as /proc (seen on Node 20), where creating a folder fails with ENOENT while
 * its parent exists; here that failure surfaces as an error at once.
 */

/** `mkdirOne` makes one folder; a caller that counts its disk changes passes its own. */
export async function makeDirs(
  dir: string,
  mkdirOne: (dir: string) => Promise<unknown> = mkdir,
): Promise<void> {
  const existing = await stat(dir).catch(() => null);
  if (existing?.isDirectory()) return;
  const parent = path.dirname(dir);
  if (parent !== dir) await makeDirs(parent, mkdirOne);
  await mkdirOne(dir).catch(async (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST' || !(await stat(dir)).isDirectory()) throw error;
  });
}

export function makeDirsSync(dir: string): void {
  try {
    if (statSync(dir).isDirectory()) return;
  } catch {
    // Absent: create it below.
  }
  const parent = path.dirname(dir);
  if (parent !== dir) makeDirsSync(parent);
  try {
    mkdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || !statSync(dir).isDirectory())
      throw error;
  }
}
