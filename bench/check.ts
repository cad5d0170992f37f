import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkRepo } from '../main/core/repo';
import { nixFilesIn } from '../main/core/repo/layout';
import { median } from './median';

/** A home folder that is a git repo: flake.nix at its top, 50,000 files git does not track. */
const FOLDERS = 2_500;
const FILES_PER_FOLDER = 20;
const RUNS = 9;

async function timed(fn: () => unknown): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** This process's CPU time (user + system) in ms: a busy machine inflates it less than wall time. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'nixstrap-bench-check-'));
const write = (file: string, text: string) => {
  fs.mkdirSync(path.dirname(path.join(home, file)), { recursive: true });
  fs.writeFileSync(path.join(home, file), text);
};
write(
  'flake.nix',
  '{ outputs = { self }: { nixosConfigurations.demo = import ./hosts/nixos/demo; }; }\n',
);
write('hosts/nixos/demo/default.nix', '{ ... }: { imports = [ ./extra.nix ]; }\n');
write('hosts/nixos/demo/extra.nix', '{ ... }: { }\n');
// Barely ignored: a cache folder and logs, everything else of the home left untracked.
write('.gitignore', '.cache/\n*.log\n');
const git = (...args: string[]) =>
  execFileSync('git', ['-C', home, ...args], { stdio: 'pipe', maxBuffer: 64 << 20 });
git('init', '-q');
git('add', '.');
git('-c', 'user.name=bench', '-c', 'user.email=bench@example.org', 'commit', '-qm', 'config');
const groups = Math.sqrt(FOLDERS);
for (let a = 0; a < groups; a++) {
  for (let b = 0; b < groups; b++) {
    const folder = path.join(home, `folder-${a}`, `sub-${b}`);
    fs.mkdirSync(folder, { recursive: true });
    for (let c = 0; c < FILES_PER_FOLDER; c++) fs.writeFileSync(path.join(folder, `f${c}.txt`), '');
  }
}
// Ignored and untracked .nix files: the walk must skip the one and find the other.
write('.cache/nix/ignored.nix', '{ }\n');
write(`folder-${groups - 1}/sub-${groups - 1}/draft.nix`, '{ }\n');

const listing = await nixFilesIn(home, { untracked: true });
if (!listing.includes(`folder-${groups - 1}/sub-${groups - 1}/draft.nix`)) {
  throw new Error('the untracked .nix file was not found');
}
if (listing.some((file) => file.startsWith('.cache/')))
  throw new Error('an ignored file was listed');
const untracked = String(git('ls-files', '--others', '--exclude-standard')).split('\n').length - 1;

const walks: number[] = [];
const walkCpu: number[] = [];
const checks: number[] = [];
const gits: number[] = [];
for (let run = 0; run < RUNS; run++) {
  const cpu = cpuMs();
  walks.push(await timed(() => nixFilesIn(home, { untracked: true })));
  walkCpu.push(cpuMs() - cpu);
  checks.push(await timed(() => checkRepo(home)));
  gits.push(await timed(() => git('ls-files', '--others', '--exclude-standard')));
}
fs.rmSync(home, { recursive: true, force: true });

console.log(
  `check: a home git repo with flake.nix at its top and ${untracked} untracked files in ${FOLDERS} folders`,
);
console.log(
  `  .nix files found (tracked and untracked)  median ${median(walks).toFixed(1)} ms (CPU ${median(walkCpu).toFixed(1)} ms)`,
);
console.log(`  checkRepo (with the Nix parse check)      median ${median(checks).toFixed(1)} ms`);
console.log(
  `  git ls-files --others --exclude-standard  median ${median(gits).toFixed(1)} ms: the walk takes ${(median(walks) / median(gits)).toFixed(2)}× git's own listing`,
);
