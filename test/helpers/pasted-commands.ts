import { execFileSync } from 'node:child_process';

/**
 * The words a POSIX shell reads in each `command` of a sentence, as the user pastes it: each
 * command between backticks, split at `&&`, read back by a real `sh`.
 */
export function pastedCommands(sentence: string): string[][] {
  return [...sentence.matchAll(/`([^`]+)`/g)].flatMap(([, line]) =>
    line!.split(' && ').map((command) =>
      execFileSync('sh', ['-c', `set -- ${command}; printf '%s\\0' "$@"`], { encoding: 'utf8' })
        .split('\0')
        .slice(0, -1),
    ),
  );
}
