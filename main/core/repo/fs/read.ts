import type { Dirent, Stats } from 'node:fs';
import { lstat, readdir, readFile, stat } from 'node:fs/promises';
import { errnoOf, isAbsent, readFailure } from './errors';

/*
 * Readers that fail closed: only "nothing is there" reads as absent. A folder Nixstrap may not
 * read is an error with a sentence, never an empty folder, so no check passes for lack of
 * looking.
 */

/** Nothing at the path, or a file where a folder on the way should be. */
function nothingThere(error: unknown): boolean {
  return isAbsent(error) || errnoOf(error) === 'ENOTDIR';
}

/** Runs `read`; `absent` when `isNothing` says nothing is there, else its failure in a sentence. */
async function readOr<T, A>(
  path: string,
  read: () => Promise<T>,
  absent: A,
  isNothing: (error: unknown) => boolean = nothingThere,
): Promise<T | A> {
  try {
    return await read();
  } catch (error) {
    if (isNothing(error)) return absent;
    throw readFailure(path, error);
  }
}

/** A file's text, or null when it does not exist. */
export function readText(path: string): Promise<string | null> {
  return readOr(path, () => readFile(path, 'utf8'), null, isAbsent);
}

/** `stat`, or null when nothing is there (a file on the way counts as nothing there). */
export function statOrNull(path: string): Promise<Stats | null> {
  return readOr(path, () => stat(path), null);
}

/** `lstat` (a symbolic link itself), or null when nothing is there. */
export function lstatOrNull(path: string): Promise<Stats | null> {
  return readOr(path, () => lstat(path), null);
}

export async function isDirectory(path: string): Promise<boolean> {
  return (await statOrNull(path))?.isDirectory() ?? false;
}

export async function isFile(path: string): Promise<boolean> {
  return (await statOrNull(path))?.isFile() ?? false;
}

/** A folder's entries, or none when the folder does not exist. */
export function listDir(path: string): Promise<Dirent[]> {
  return readOr(path, () => readdir(path, { withFileTypes: true }), []);
}
