import { execFileSync } from 'node:child_process';
import type { GitIdentity } from '../../../common/answers';

const EMAIL = /^[^\s@]+@[^\s@]+$/;

function gitConfig(key: string): string {
  try {
    const value = execFileSync('git', ['config', '--get', key], {
      encoding: 'utf8',
      timeout: 2000,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const line = value.split('\n')[0]?.trim() ?? '';
    return /[\p{Cc}\u2028\u2029]/u.test(line) ? '' : line;
  } catch {
    // No git, or no such key: the answers start empty and the user fills them in.
    return '';
  }
}

/** The user's own `git config user.name` and `user.email`, for the commits of their repo. */
export function userGitIdentity(): GitIdentity {
  const email = gitConfig('user.email');
  return { name: gitConfig('user.name'), email: EMAIL.test(email) ? email : '' };
}
