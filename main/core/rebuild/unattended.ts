import { NixstrapFailure } from '../../../common';
import { readPlatform, rootNeedsPassword } from './commands';
import { findExecutable } from './pty';

/**
 * A run nobody can type into (a script, a cron job, `--yes` with no terminal) would wait at
 * sudo's password prompt forever: refused before anything is done, while a sudo that asks for
 * no password (root, NOPASSWD, a fresh timestamp) goes ahead.
 */
export function refuseUnansweredSudo(
  needsRoot: boolean,
  what: string,
  env: NodeJS.ProcessEnv,
): void {
  // Without sudo at all, the step that needs it says so when it comes ("sudo is not installed").
  if (!needsRoot || !findExecutable('sudo', env)) return;
  if (!rootNeedsPassword(readPlatform(), env)) return;
  throw new NixstrapFailure(
    'USAGE',
    `Nothing was done: ${what} needs root through sudo, which asks for a password, and there is no terminal to type it in.`,
    'Run it in a terminal, or as root, or let this user run sudo without a password.',
  );
}

/** Whether a planned command list goes through sudo. */
export function usesSudo(commands: readonly (readonly string[])[]): boolean {
  return commands.some((argv) => argv[0] === 'sudo');
}
