import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '../../..');
export const fixturesDir = path.join(repoRoot, 'test/fixtures/machines');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `nixstrap` bin (the built bundle), as a user or a script would. */
export function nixstrap(
  args: string[],
  opts: { input?: string | Buffer; env?: NodeJS.ProcessEnv } = {},
): CliRun {
  const result = spawnSync(process.execPath, [path.join(repoRoot, 'bin/nixstrap.js'), ...args], {
    encoding: 'utf8',
    input: opts.input,
    env: { ...process.env, ...opts.env },
    timeout: 60_000,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `nixstrap-${prefix}-`));
}
