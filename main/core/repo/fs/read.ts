import type { Dirent, Stats } from 'node:fs';
import { lstat, readdir, readFile, stat } from 'node:fs/promises';
import { errnoOf, isAbsent, readFailure } from './errors';

/*
 * Readers that fail closed: only "nothing is there" reads as absent. A folder Nixstrap may not
 * read is an error with a sentence, never an empty folder, so no check passes for lack of
 * looking.
 */

/** A file's text, or null when it does not exist. */
export async function readText(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if (isAbsent(error)) return null;
    throw readFailure(path, error);
  }
}

/** `stat`, or null when nothing is there (a file on the way counts as nothing there). */
export async function statOrNull(path: string): Promise<Stats | null> {
  try {
    return await stat(path);
  } catch (error) {
    if (isAbsent(error) || errnoOf(error) === 'ENOTDIR') return null;
    throw readFailure(path, error);
  }
}

/** `lstat` (a symbolic link itself), or null when nothing is there. */
export async function lstatOrNull(path: string): Promise<Stats | null> {
  try {
    return await lstat(path);
  } catch (error) {
    if (isAbsent(error) || errnoOf(error) === 'ENOTDIR') return null;
    throw readFailure(path, error);
  }
}

export async function isDirectory(path: string): Promise<boolean> {
  return (await statOrNull(path))?.isDirectory() ?? false;
}

export async function isFile(path: string): Promise<boolean> {
  return (await statOrNull(path))?.isFile() ?? false;
}

/** A folder's entries, or none when the folder does not exist. */
export async function listDir(path: string): Promise<Dirent[]> {
  try {
    return await readdir(path, { withFileTypes: true });
  } catch (error) {
    if (isAbsent(error) || errnoOf(error) === 'ENOTDIR') return [];
    throw readFailure(path, error);
  }
}
