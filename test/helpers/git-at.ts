import { execFileSync } from 'node:child_process';

/** The environment for a git commit made by the tests' author. */
export function testGitEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GIT_AUTHOR_NAME: 'Test',
    GIT_AUTHOR_EMAIL: 'test@example.com',
    GIT_COMMITTER_NAME: 'Test',
    GIT_COMMITTER_EMAIL: 'test@example.com',
  };
}

/** `git ARGS` in `dir` as the tests' author; its output, trimmed. */
export function testGit(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: testGitEnv() }).trim();
}

/**
 * The environment for a git commit made by a test author at a fixed `date`, so what a flake lock
 * reads from it (its lastModified) is known in advance.
 */
export function gitEnvAt(date: string): NodeJS.ProcessEnv {
  return {
    ...testGitEnv(),
    GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_DATE: date,
  };
}
