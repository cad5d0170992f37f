import { NixstrapFailure } from '../../../../common/result';

/** The reason behind a failed file operation, as a person would say it. */
function reason(code: string | undefined): string {
  switch (code) {
    case 'ENOENT':
      return 'it does not exist';
    case 'EACCES':
    case 'EPERM':
      return 'permission was denied';
    case 'EROFS':
      return 'it is on a read-only file system';
    case 'ENOSPC':
      return 'the disk is full';
    case 'EDQUOT':
      return 'your disk quota is used up';
    case 'ENOTDIR':
      return 'a file stands where a folder is needed on its path';
    case 'EISDIR':
      return 'it is a folder, where a file was expected';
    case 'ELOOP':
      return 'its path goes round a loop of symbolic links';
    case 'ENAMETOOLONG':
      return 'its path is too long';
    case 'EIO':
      return 'the disk reported an input/output error';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many files are open';
    default:
      return `the system refused (${code ?? 'unknown error'})`;
  }
}

export function errnoOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** True for the errors that mean "nothing is there": the only ones a reader may call absent. */
export function isAbsent(error: unknown): boolean {
  return errnoOf(error) === 'ENOENT';
}

const WRITE_HINTS: Record<string, string> = {
  ENOSPC: 'Free some disk space, then write again; nothing was committed.',
  EDQUOT: 'Free some space within your quota, then write again; nothing was committed.',
  EROFS: 'Choose a folder on a writable disk.',
  EACCES: 'Choose a folder you own, or fix its permissions.',
  EPERM: 'Choose a folder you own, or fix its permissions.',
};

/** A failed read of `path` as a failure with a sentence, instead of a raw errno message. */
export function readFailure(path: string, error: unknown): NixstrapFailure {
  return new NixstrapFailure(
    'READ_FAILED',
    `Nixstrap could not read ${path}: ${reason(errnoOf(error))}.`,
    'Check that the folder belongs to you and that its files are readable.',
  );
}

/** A failed write as a failure with a sentence; `what` names the file or step. */
export function writeFailure(what: string, error: unknown): NixstrapFailure {
  const code = errnoOf(error);
  return new NixstrapFailure(
    'WRITE_FAILED',
    `Nixstrap could not write ${what}: ${reason(code)}.`,
    WRITE_HINTS[code ?? ''] ?? 'Fix the cause, then write again; nothing was committed.',
  );
}
