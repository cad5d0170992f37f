import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { listGenerations, openLedger, reconcileProfile } from '../main/core/ledger';
import { repoRoot } from '../test/integration/helpers/cli';
import { buildGenerations, NIX_ENV } from '../test/integration/helpers/generations';
import { median } from './median';

const GENERATIONS = 2000;
const PAGE = 50;
const RECONCILE_TARGET_MS = 500;
const PAGE_TARGET_MS = 5;
const PROCESS_RATIO_TARGET = 4;
const RUNS = 15;

/**
 * CPU time of the waited-for children so far (user + system, from /proc/self/stat), which a
 * busy machine inflates far less than wall time; NaN where there is no /proc.
 */
function childCpuMs(): number {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // cutime and cstime are fields 16 and 17 of the file, in clock ticks (100 a second).
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return Number.NaN;
  }
}

function timed(fn: () => void): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

async function timedAsync(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

const cli = path.join(repoRoot, 'out/main/cli.js');
if (!fs.existsSync(cli)) {
  console.error('bench/ledger: build the CLI first (`npx electron-vite build`).');
  process.exit(1);
}

// A profile of 2,000 generations made cheaply: three real stand-in systems built by Nix, and
// 2,000 `system-N-link` symlinks cycling over them, exactly the layout `nix-env --set` leaves.
const stores = buildGenerations([
  { label: '25.05.1', packages: ['hello-2.12', 'curl-8.5.0'], revision: 'aaaa1111' },
  { label: '25.05.2', packages: ['hello-2.13', 'curl-8.5.0'], revision: 'bbbb2222' },
  { label: '25.05.3', packages: ['hello-2.13', 'git-2.44.0'], revision: 'cccc3333' },
]);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'nixstrap-bench-ledger-'));
const profile = path.join(work, 'profiles', 'system');
fs.mkdirSync(path.dirname(profile));
for (let n = 1; n <= GENERATIONS; n++) {
  fs.symlinkSync(stores[n % stores.length] as string, `${profile}-${n}-link`);
}
fs.symlinkSync(`system-${GENERATIONS}-link`, profile);
// A machine's profile folder was last changed at its last switch, not a moment ago: set its
// mtime back so an unchanged folder is recognised as such (a fresh one is always read in full).
const settled = (): void => {
  const hourAgo = new Date(Date.now() - 3600_000);
  fs.utimesSync(path.dirname(profile), hourAgo, hourAgo);
};
settled();

// In process: the first reconcile imports every generation into a fresh ledger; later ones
// find nothing new. Each first import gets its own data dir.
const firstImport: number[] = [];
for (let i = 0; i < 7; i++) {
  const ledger = openLedger(path.join(work, `import-${i}`));
  firstImport.push(await timedAsync(() => reconcileProfile(ledger, { profile, runDir: null })));
  ledger.close();
}
const ledger = openLedger(path.join(work, 'steady'));
const { targetId } = await reconcileProfile(ledger, { profile, runDir: null });
const again: number[] = [];
const fullRead: number[] = [];
for (let i = 0; i < 21; i++) {
  again.push(await timedAsync(() => reconcileProfile(ledger, { profile, runDir: null })));
  // Touching the folder forces a full read of every link, finding nothing new.
  fs.utimesSync(path.dirname(profile), new Date(), new Date());
  fullRead.push(await timedAsync(() => reconcileProfile(ledger, { profile, runDir: null })));
  settled();
  await reconcileProfile(ledger, { profile, runDir: null });
}
const page: number[] = [];
for (let i = 0; i < 51; i++) {
  page.push(
    timed(() => {
      if (listGenerations(ledger, targetId, { order: 'newest', limit: PAGE }).length !== PAGE) {
        throw new Error('short page');
      }
    }),
  );
}
ledger.close();

// Whole process, as a script would call each: `nixstrap generations --json` against
// `nix-env --list-generations` on the same profile (one warm-up each, then medians).
const dataDir = path.join(work, 'cli-data');
const ours = () =>
  spawnSync(
    process.execPath,
    [
      path.join(repoRoot, 'bin/nixstrap.js'),
      'generations',
      '--json',
      '--profile',
      profile,
      '--data-dir',
      dataDir,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
const theirs = () =>
  spawnSync('nix-env', ['-p', profile, '--list-generations'], {
    env: NIX_ENV,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
const check = ours();
if (check.status !== 0 || (JSON.parse(String(check.stdout)) as unknown[]).length !== GENERATIONS) {
  throw new Error('nixstrap generations --json did not list the profile');
}
theirs();
const oursTimes: number[] = [];
const theirTimes: number[] = [];
let oursCpu = 0;
let theirCpu = 0;
for (let i = 0; i < RUNS; i++) {
  let before = childCpuMs();
  oursTimes.push(timed(ours));
  oursCpu += childCpuMs() - before;
  before = childCpuMs();
  theirTimes.push(timed(theirs));
  theirCpu += childCpuMs() - before;
}
execFileSync('rm', ['-rf', work]);

const ratio = median(oursTimes) / median(theirTimes);
console.log(
  `ledger: a profile of ${GENERATIONS} generations (symlinks over ${stores.length} stand-in systems)`,
);
console.log(
  `  first import   median ${median(firstImport).toFixed(1)} ms (target < ${RECONCILE_TARGET_MS} ms: ${(median(firstImport) / RECONCILE_TARGET_MS).toFixed(3)}×)`,
);
console.log(
  `  reconcile      median ${median(fullRead).toFixed(1)} ms reading all ${GENERATIONS} links, ${median(again).toFixed(2)} ms when the folder is unchanged (${(median(fullRead) / RECONCILE_TARGET_MS).toFixed(3)}× the target)`,
);
console.log(
  `  page of ${PAGE}     median ${median(page).toFixed(3)} ms (target < ${PAGE_TARGET_MS} ms: ${(median(page) / PAGE_TARGET_MS).toFixed(3)}×)`,
);
console.log(
  `  whole process  nixstrap generations --json ${median(oursTimes).toFixed(1)} ms, nix-env --list-generations ${median(theirTimes).toFixed(1)} ms: ${ratio.toFixed(2)}× wall (target within ${PROCESS_RATIO_TARGET}×)`,
);
console.log(
  `                 CPU per run ${(oursCpu / RUNS).toFixed(1)} ms against ${(theirCpu / RUNS).toFixed(1)} ms: ${(oursCpu / theirCpu).toFixed(2)}× (load average ${os.loadavg()[0]?.toFixed(1)} on ${os.cpus().length} cores)`,
);
