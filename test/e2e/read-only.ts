import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export interface ReadOnlyFolder {
  path: string;
  release(): void;
}

function tryRun(command: string, args: string[]): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * A folder nobody can write into, this test's user included. Root ignores permission bits, so as
 * root the folder is a read-only tmpfs, or else immutable (chattr +i); null when neither works.
 */
export function makeReadOnlyFolder(parent: string): ReadOnlyFolder | null {
  const path = join(parent, 'read-only');
  mkdirSync(path);
  if (process.getuid?.() !== 0) {
    chmodSync(path, 0o555);
    return { path, release: () => chmodSync(path, 0o755) };
  }
  if (tryRun('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'nixstrap-ro', path])) {
    return { path, release: () => tryRun('umount', [path]) };
  }
  if (tryRun('chattr', ['+i', path])) {
    return { path, release: () => tryRun('chattr', ['-i', path]) };
  }
  return null;
}
