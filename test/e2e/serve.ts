import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export const ROOT = join(import.meta.dirname, '../..');
const READY = /^Nixstrap is running at (http:\/\/\S+)$/;

export interface Serving {
  url: string;
  /** Everything the server printed so far, on stdout and stderr. */
  output(): string;
  stop(): Promise<void>;
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    const timer = setTimeout(
      () => reject(new Error(`nixstrap serve printed nothing in 30 s: ${stderr.trim()}`)),
      30_000,
    );
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve(line);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`nixstrap serve exited with ${code}: ${stderr.trim()}`));
    });
  });
}

/** Runs `nixstrap serve` as a user would and reads the address from its first line. */
export async function startServe(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Serving> {
  const child = spawn(process.execPath, ['bin/nixstrap.js', 'serve', '--port', '0', ...args], {
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
  const line = await firstLine(child);
  const url = line.match(READY)?.[1];
  if (!url) {
    child.kill('SIGKILL');
    throw new Error(`nixstrap serve printed an unexpected first line: ${line}`);
  }
  return {
    url,
    output: () => printed,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
