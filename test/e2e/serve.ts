import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export const ROOT = join(import.meta.dirname, '../..');
const READY = /^Nixstrap is running at (http:\/\/\S+)$/;

export interface Serving {
  url: string;
  port: number;
  /** Freezes the process (as Ctrl-Z in its terminal would) and lets it go on. */
  pause(): void;
  resume(): void;
  /** What the server wrote to stderr so far. */
  stderr(): string;
  stop(): Promise<void>;
}

function firstLine(child: ChildProcess, stderr: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    const timer = setTimeout(
      () => reject(new Error(`nixstrap serve printed nothing in 30 s: ${stderr().trim()}`)),
      30_000,
    );
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve(line);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`nixstrap serve exited with ${code}: ${stderr().trim()}`));
    });
  });
}

/**
 * Runs `nixstrap serve` as a user would and reads the address from its first line. On a fresh
 * port unless `samePortAsLastTime`, which leaves the port to serve's own memory of its last start.
 */
export async function startServe(
  args: string[],
  { samePortAsLastTime = false } = {},
): Promise<Serving> {
  const port = samePortAsLastTime ? [] : ['--port', '0'];
  const child = spawn(process.execPath, ['bin/nixstrap.js', 'serve', ...port, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NIXSTRAP_FIXTURE: undefined },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const line = await firstLine(child, () => stderr);
  const url = line.match(READY)?.[1];
  if (!url) {
    child.kill('SIGKILL');
    throw new Error(`nixstrap serve printed an unexpected first line: ${line}`);
  }
  return {
    url,
    port: Number(new URL(url).port),
    pause: () => child.kill('SIGSTOP'),
    resume: () => {
      if (child.exitCode === null) child.kill('SIGCONT');
    },
    stderr: () => stderr,
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
