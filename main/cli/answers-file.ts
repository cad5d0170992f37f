import fs from 'node:fs';
import { NixstrapFailure } from '../../common/failure';
import { expandUserPath } from '../core/platform';

/** Answers are a few kilobytes; a larger input is the wrong file (or /dev/zero), not answers. */
const MAX_ANSWERS_BYTES = 1024 * 1024;

function unreadable(file: string, reason: string): NixstrapFailure {
  return new NixstrapFailure(
    'ANSWERS_UNREADABLE',
    `The answers file ${file} cannot be used: ${reason}.`,
    'Pass the path of a JSON file written by the wizard or by hand (see README).',
  );
}

/** A non-blocking standard input (a pipe some shells hand over) says EAGAIN until data arrives. */
function readSome(fd: number, buffer: Buffer, offset: number): number {
  for (;;) {
    try {
      return fs.readSync(fd, buffer, offset, buffer.length - offset, null);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
}

/** Reads at most `limit + 1` bytes, so an endless source stops at once instead of filling memory. */
export function readBounded(fd: number, limit: number): Buffer | null {
  const buffer = Buffer.alloc(limit + 1);
  let length = 0;
  for (;;) {
    const read = readSome(fd, buffer, length);
    if (read === 0) return buffer.subarray(0, length);
    length += read;
    if (length > limit) return null;
  }
}

function readText(file: string): string {
  let fd: number;
  try {
    fd = file === '-' ? 0 : fs.openSync(expandUserPath(file), 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw unreadable(file, code === 'ENOENT' ? 'it does not exist' : 'it cannot be read');
  }
  try {
    const bytes = readBounded(fd, MAX_ANSWERS_BYTES);
    if (!bytes) throw unreadable(file, 'it is larger than 1 MiB, far more than answers take');
    return bytes.toString('utf8');
  } catch (error) {
    if (error instanceof NixstrapFailure) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw unreadable(file, code === 'EISDIR' ? 'it is a folder' : 'it cannot be read');
  } finally {
    if (fd !== 0) fs.closeSync(fd);
  }
}

/** The answers JSON from a file or `-` (standard input), parsed but not yet validated. */
export function readAnswers(file: string): unknown {
  // Notepad and Windows PowerShell save UTF-8 with a byte order mark, which JSON.parse refuses.
  const text = readText(file).replace(/^\uFEFF/, '');
  try {
    return JSON.parse(text);
  } catch (error) {
    // Node quotes the start of the file, line breaks and all: escaped, the sentence stays one line.
    const detail = (error instanceof Error ? error.message : String(error)).replace(
      /[\r\n\t]/g,
      (c) => JSON.stringify(c).slice(1, -1),
    );
    throw new NixstrapFailure(
      'ANSWERS_UNREADABLE',
      `The answers file ${file} is not valid JSON (${detail}).`,
      'Check the file with `jq . FILE`.',
    );
  }
}
