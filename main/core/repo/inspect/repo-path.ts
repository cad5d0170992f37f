import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { dirname, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NixstrapError } from '../../../../common/result';
import { NixstrapFailure } from '../../../../common/result';
import { errnoOf } from '../fs/errors';
import { statOrNull } from '../fs/read';

/*
 * Whether a folder can hold a repo, checked as the user types it and again before anything
 * is planned or written: every problem is one sentence about the path, never an errno.
 */

/** The limits Linux and macOS put on paths (PATH_MAX without its NUL, NAME_MAX). */
const PATH_MAX = 4095;
const NAME_MAX = 255;
const VIRTUAL_ROOTS = ['/proc', '/sys', '/dev'];
const NIX_STORE = '/nix/store';
const SUGGESTION = 'Choose a folder in your home directory, such as ~/nixos-config.';

function problem(message: string, hint = SUGGESTION): NixstrapError {
  return { code: 'PATH_INVALID', message, hint };
}

/** What is wrong with the path as text (before it is looked up), or null. */
export function pathTextProblem(input: string): NixstrapError | null {
  if (input.trim() === '') return problem('Type the folder for the repo.');
  if (input.includes('\0')) {
    return problem('The folder path contains a NUL character, which no file name can hold.');
  }
  if (/[\p{Cc}\u2028\u2029]/u.test(input)) {
    return problem(
      'The folder path contains a line break or another control character, probably from a paste.',
      'Type the path again on one line.',
    );
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(input) || /^file:/i.test(input)) {
    let local: string | null = null;
    try {
      local = /^file:/i.test(input) ? fileURLToPath(input) : null;
    } catch {
      local = null;
    }
    return problem(
      `${input.slice(0, 60)} is a web address (URL), not a folder path.`,
      local ? `Type the folder itself: ${local}` : SUGGESTION,
    );
  }
  return null;
}

/** Throws PATH_INVALID when the typed path cannot be a folder at all. */
export function assertPathText(input: string): void {
  const found = pathTextProblem(input);
  if (found) throw new NixstrapFailure(found.code, found.message, found.hint);
}

/** The nearest existing folder at or above `path`, and what stands at `path` itself. */
async function nearestFolder(path: string) {
  for (let current = path; ; current = dirname(current)) {
    const stat = await statOrNull(current);
    if (stat !== null) return { at: current, stat };
    if (dirname(current) === current) return null;
  }
}

/** What is wrong with a resolved folder path for holding a repo (a new one or an existing one), or null. */
export async function folderProblem(path: string): Promise<NixstrapError | null> {
  const root = VIRTUAL_ROOTS.find((v) => path === v || path.startsWith(`${v}/`));
  if (root) {
    return problem(`${path} is inside ${root}, a kernel file system, not a place for a repo.`);
  }
  // Nix alone writes the store (root could, and would leave paths Nix does not know of), and a
  // repo at / would hold the whole machine, which every look at the repo would walk.
  if (path === NIX_STORE || path.startsWith(`${NIX_STORE}/`)) {
    return problem(`${path} is inside the Nix store, which only Nix writes to.`);
  }
  if (dirname(path) === path) {
    return problem(`${path} is the top of the file system, not a place for a repo.`);
  }
  const bytes = Buffer.byteLength(path);
  if (bytes > PATH_MAX) {
    return problem(
      `The folder path is ${bytes.toLocaleString('en')} bytes long; a path can be at most ${PATH_MAX.toLocaleString('en')}.`,
    );
  }
  const long = path.split(sep).find((part) => Buffer.byteLength(part) > NAME_MAX);
  if (long !== undefined) {
    return problem(
      `The name “${long.slice(0, 40)}…” is ${Buffer.byteLength(long)} bytes long; a file or folder name can be at most ${NAME_MAX}.`,
    );
  }
  let found: Awaited<ReturnType<typeof nearestFolder>>;
  try {
    found = await nearestFolder(path);
  } catch (error) {
    if (error instanceof NixstrapFailure) return problem(error.error.message);
    throw error;
  }
  if (found === null) return problem(`No part of ${path} exists.`);
  if (!found.stat.isDirectory()) {
    return found.at === path
      ? problem(`${path} is a file, not a folder.`, 'Choose a folder, or a name for a new one.')
      : problem(
          `${found.at} is a file, so no folder can be made inside it.`,
          'Choose a path whose folders are folders.',
        );
  }
  try {
    await access(found.at, constants.W_OK | constants.X_OK);
  } catch (error) {
    const readOnly = errnoOf(error) === 'EROFS';
    const where = found.at === path ? '' : `, where ${path} would be made`;
    return problem(
      readOnly
        ? `${found.at}${where}${where ? ',' : ''} is on a read-only file system, so Nixstrap cannot write there.`
        : `You may not write to ${found.at}${where}: it belongs to someone else or is read-only.`,
    );
  }
  return null;
}

/** Throws PATH_INVALID when the folder cannot hold a repo. */
export async function assertUsableFolder(path: string): Promise<void> {
  const found = await folderProblem(path);
  if (found) throw new NixstrapFailure(found.code, found.message, found.hint);
}
