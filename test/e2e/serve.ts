import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export const ROOT = join(import.meta.dirname, '../..');
const READY = /^Nixstrap is running at (http:\/\/\S+)$/;

export interface Serving {
  url: string;
  port: number;
  /** Everything the server printed so far, on stdout and stderr. */
  output(): string;
  /** Freezes the process (as Ctrl-Z in its terminal would) and lets it go on. */
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
}

export interface ServeOptions {
  /** Added to the environment the server inherits. */
  env?: NodeJS.ProcessEnv;
  /** Leaves the port to serve's own memory of its last start instead of a fresh one. */
  samePortAsLastTime?: boolean;
  /** Runs the server through this (as another user, say): the command line in, the one to run out. */
  wrap?: (argv: string[]) => string[];
}

function firstLine(child: ChildProcess, printed: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    const timer = setTimeout(
      () => reject(new Error(`nixstrap serve printed nothing in 30 s: ${printed().trim()}`)),
      30_000,
    );
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve(line);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`nixstrap serve exited with ${code}: ${printed().trim()}`));
    });
  });
}

/** Runs `nixstrap serve` as a user would and reads the address from its first line. */
export async function startServe(
  args: string[],
  { env = {}, samePortAsLastTime = false, wrap = (argv) => argv }: ServeOptions = {},
): Promise<Serving> {
  const port = samePortAsLastTime ? [] : ['--port', '0'];
  const [command = '', ...rest] = wrap([
    process.execPath,
    join(ROOT, 'bin/nixstrap.js'),
    'serve',
    ...port,
    ...args,
  ]);
  const child = spawn(command, rest, {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NIXSTRAP_FIXTURE: undefined, ...env },
  });
  let printed = '';
  const record = (chunk: Buffer) => {
    printed += chunk.toString();
  };
  child.stdout?.on('data', record);
  child.stderr?.on('data', record);
  const line = await firstLine(child, () => printed);
  const url = line.match(READY)?.[1];
  if (!url) {
    child.kill('SIGKILL');
    throw new Error(`nixstrap serve printed an unexpected first line: ${line}`);
  }
  return {
    url,
    port: Number(new URL(url).port),
    output: () => printed,
    pause: () => child.kill('SIGSTOP'),
    resume: () => {
      if (child.exitCode === null) child.kill('SIGCONT');
    },
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      // A paused server only acts on SIGTERM once it runs again.
      child.kill('SIGCONT');
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
