import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn as spawnPty } from 'node-pty';

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

/**
 * Runs the real `nixstrap` bin in a terminal of its own (a real pty), answering its questions
 * in turn: each reply is typed once its prompt shows after the previous answer. The screen is
 * everything the terminal showed, stdout and stderr together.
 */
export async function nixstrapInTerminal(
  args: string[],
  opts: {
    env?: NodeJS.ProcessEnv;
    answers?: [prompt: string, reply: string][];
    /** The command is killed after this long (60 s unless told). */
    timeoutMs?: number;
    /** Runs the command through this (as another user, say): its command line in, the one run out. */
    wrap?: (argv: string[]) => string[];
  } = {},
): Promise<{ code: number; screen: string }> {
  const wrap = opts.wrap ?? ((argv: string[]) => argv);
  const [command = '', ...rest] = wrap([
    process.execPath,
    path.join(repoRoot, 'bin/nixstrap.js'),
    ...args,
  ]);
  const term = spawnPty(command, rest, {
    cols: 160,
    rows: 40,
    env: { ...process.env, ...opts.env } as Record<string, string>,
  });
  const answers = [...(opts.answers ?? [])];
  let screen = '';
  let from = 0;
  term.onData((data) => {
    screen += data;
    const next = answers[0];
    const at = next ? screen.indexOf(next[0], from) : -1;
    if (!next || at < 0) return;
    answers.shift();
    from = at + next[0].length;
    term.write(next[1]);
  });
  // A question that never comes would leave the command waiting at the one before it.
  const stuck = setTimeout(() => term.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
  const code = await new Promise<number>((resolve) =>
    term.onExit(({ exitCode }) => resolve(exitCode)),
  );
  clearTimeout(stuck);
  if (answers.length) {
    throw new Error(`"${answers[0]?.[0]}" was never asked; the terminal showed:\n${screen}`);
  }
  return { code, screen };
}
