import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { median } from './median';

/** Whole-process cost of the CLI's light verbs against a bare `node`: what a user waits for. */
const RUNS = 15;
const root = path.resolve(import.meta.dirname, '..');
const fixture = path.join(root, 'test/fixtures/machines/qemu-kvm-uefi');

function timeRuns(args: string[]): number {
  const times: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    const started = performance.now();
    const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'ignore' });
    times.push(performance.now() - started);
    if (result.status !== 0) throw new Error(`${args.join(' ')} exited with ${result.status}`);
  }
  return median(times);
}

const bare = timeRuns(['-e', '0']);
console.log(`node -e 0, ${RUNS} runs: median ${bare.toFixed(1)} ms`);
for (const args of [['help'], ['--version'], ['detect', '--fixture', fixture, '--json']]) {
  const ms = timeRuns(['bin/nixstrap.js', ...args]);
  console.log(
    `nixstrap ${args[0]}`.padEnd(22) +
      `median ${ms.toFixed(1).padStart(6)} ms, ${(ms / bare).toFixed(2)}x node -e 0`,
  );
}
