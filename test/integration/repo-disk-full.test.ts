import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NixstrapFailure } from '../../common/result';
import { applyPlan, computePlan, type PlanRequest } from '../../main/core/repo';
import { watchDiskSteps } from '../../main/core/repo/fs/durable';
import { answersFor, pcFacts } from './helpers/repo-machines';
import { type Ends, expectOldOrNew, headOf, statusOf } from './helpers/repo-outcome';
import { snapshot, tempDir } from './helpers/repo-trees';

const facts = pcFacts('desk');
const answers = answersFor(facts);
const hardware = 'hosts/nixos/desk/hardware-configuration.nix';
const take = { resolutions: { [hardware]: 'take' as const } };
const request = (repo: string): PlanRequest => ({
  journey: 'init',
  repo,
  facts,
  answers: { ...answers, timeZone: 'UTC' },
});

/** A Nixstrap repo with a hand edit: the apply updates files, saves a backup, moves two refs. */
async function baseRepo(): Promise<string> {
  const repo = join(tempDir(), 'repo');
  await applyPlan(await computePlan({ journey: 'init', repo, facts, answers }));
  writeFileSync(join(repo, hardware), `${readFileSync(join(repo, hardware), 'utf8')}# mine\n`);
  return repo;
}

async function ends(base: string): Promise<Ends> {
  const whole = join(tempDir(), 'repo');
  cpSync(base, whole, { recursive: true });
  await applyPlan(await computePlan(request(whole)), take);
  return {
    before: { tree: snapshot(base), head: headOf(base), status: statusOf(base) },
    after: snapshot(whole),
  };
}

/** Applies, expecting success or a full-disk failure told in a sentence; true when it wrote. */
async function applyOnFullDisk(repo: string, label: string): Promise<boolean> {
  try {
    await applyPlan(await computePlan(request(repo)), take);
    return true;
  } catch (error) {
    expect(error, label).toBeInstanceOf(NixstrapFailure);
    expect((error as NixstrapFailure).error, label).toMatchObject({
      code: 'WRITE_FAILED',
      message: expect.stringContaining('the disk is full'),
      hint: expect.stringContaining('Free some disk space'),
    });
    return false;
  }
}

function canMountTmpfs(): boolean {
  if (process.getuid?.() !== 0) return false;
  const probe = tempDir();
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe]);
    return true;
  } catch {
    return false;
  }
}

describe('a disk that fills up during an apply', () => {
  const mountable = canMountTmpfs();
  let disk = '';
  beforeAll(() => {
    if (!mountable) return;
    disk = tempDir();
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', disk]);
  });
  afterAll(() => {
    if (disk) execFileSync('umount', [disk]);
  });

  it.skipIf(!mountable)(
    'on a small tmpfs, at every amount of free space: old commit or new, git fsck clean',
    async () => {
      const base = await baseRepo();
      const expected = await ends(base);
      const outcomes = new Set<string>();
      for (let free = 0; ; free += 4096) {
        const label = `${free} bytes free`;
        const repo = join(disk, 'repo');
        const filler = join(disk, 'filler');
        rmSync(repo, { recursive: true, force: true });
        rmSync(filler, { force: true });
        cpSync(base, repo, { recursive: true });
        const stats = statfsSync(disk);
        writeFileSync(filler, Buffer.alloc(Math.max(0, stats.bavail * stats.bsize - free)));
        const wrote = await applyOnFullDisk(repo, label);
        rmSync(filler);
        // The next start, with room again, settles whatever the full disk left undone.
        await computePlan(request(repo));
        outcomes.add(expectOldOrNew(repo, repo, expected, label));
        if (wrote) break;
        expect(free, 'the apply never fit').toBeLessThan(4 * 1024 * 1024);
      }
      expect([...outcomes].sort()).toEqual(['new', 'old']);
    },
    300_000,
  );

  it('simulated at each write it makes: old commit or new, git fsck clean', async () => {
    const base = await baseRepo();
    const expected = await ends(base);
    let writes = 0;
    for (let n = 1; ; n++) {
      const repo = join(tempDir(), 'repo');
      cpSync(base, repo, { recursive: true });
      let seen = 0;
      const stop = watchDiskSteps({
        before: (step) => {
          if (step.op !== 'write' || ++seen !== n) return;
          throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
        },
      });
      const wrote = await applyOnFullDisk(repo, `write ${n}`).finally(stop);
      await computePlan(request(repo));
      const outcome = expectOldOrNew(repo, repo, expected, `write ${n}`);
      expect(outcome, `write ${n}`).toBe(wrote ? 'new' : 'old');
      if (wrote) break;
      writes = n;
    }
    expect(writes).toBeGreaterThan(10);
  }, 300_000);
});
