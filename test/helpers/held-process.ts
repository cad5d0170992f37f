import { type ChildProcess, type StdioOptions, spawn } from 'node:child_process';
import { once } from 'node:events';
import { processAlive } from '../../main/core/platform';

/**
 * A test's TypeScript helper (a keep watch, a rollback) run in another process that holds the
 * ledger, in a process group of its own so killing it takes npx, tsx and the script at once,
 * as a crash of the app would.
 */
export function spawnHolder(
  script: string,
  args: readonly string[],
  options: { env: NodeJS.ProcessEnv; stdio: StdioOptions },
): ChildProcess {
  return spawn('npx', ['tsx', script, ...args], { ...options, detached: true });
}

/** Resolves at the holder's first output: it prints once it holds what the test needs. */
export async function firstOutput(holder: ChildProcess): Promise<void> {
  if (!holder.stdout) throw new Error('the holder was started without a stdout pipe');
  await once(holder.stdout, 'data');
}

/**
 * Kills the holder's whole group and waits until `writer` (its process that wrote the ledger)
 * is gone: SIGKILL lands asynchronously, and a zombie no one reaps counts as gone.
 */
export async function killHolder(holder: ChildProcess, writer: number): Promise<void> {
  const running = holder.exitCode === null && holder.signalCode === null;
  const exited = running ? once(holder, 'exit') : Promise.resolve();
  process.kill(-(holder.pid as number), 'SIGKILL');
  await exited;
  while (processAlive(writer)) await new Promise((resolve) => setTimeout(resolve, 50));
}
