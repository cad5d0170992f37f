import { execFileSync } from 'node:child_process';

/**
 * Drops the repo's last commit as a history rewrite does: reset away, the reflog expired and
 * the objects garbage-collected, so git itself no longer has it. Returns the commit dropped.
 */
export function loseLastCommit(repo: string): string {
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', stdio: 'pipe' }).trim();
  const lost = git('rev-parse', 'HEAD');
  git('reset', '-q', '--hard', 'HEAD~1');
  git('reflog', 'expire', '--expire=now', '--all');
  git('gc', '-q', '--prune=now');
  try {
    git('cat-file', '-e', `${lost}^{commit}`);
  } catch {
    return lost;
  }
  throw new Error(`git still has ${lost} after the gc`);
}
