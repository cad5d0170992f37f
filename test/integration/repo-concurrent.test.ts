import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyPlan, computePlan, type PlanRequest } from '../../main/core/repo';
import { watchDiskSteps } from '../../main/core/repo/fs/durable';
import { answersFor, pcFacts } from './helpers/repo-machines';
import { headOf, statusOf } from './helpers/repo-outcome';
import { gitCli, snapshot, tempDir } from './helpers/repo-trees';

const HELPER = join(import.meta.dirname, 'helpers/apply-plan.ts');

async function nixstrapRepo(): Promise<string> {
  const repo = join(tempDir(), 'repo');
  const facts = pcFacts('desk');
  await applyPlan(await computePlan({ journey: 'init', repo, facts, answers: answersFor(facts) }));
  return repo;
}

function addBeta(repo: string): PlanRequest {
  const facts = pcFacts('beta');
  return { journey: 'add-host', repo, facts, answers: answersFor(facts) };
}

const tempsIn = (dir: string) => readdirSync(dir).filter((n) => n.includes('.nixstrap-tmp-'));

describe('two Nixstrap writes to one repo at once', () => {
  it('leave each other’s temp files alone: the other write would fail on a file taken from it', async () => {
    const repo = await nixstrapRepo();
    // The other write holds right after its first disk step: its journal's temp file, not linked yet.
    const job = join(tempDir('nixstrap-job-'), 'job.json');
    writeFileSync(
      job,
      JSON.stringify({ request: addBeta(repo), take: [], killAfter: 1, hold: true }),
    );
    const child = spawn(process.execPath, ['--import', 'tsx', HELPER, job], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    await new Promise<void>((resolve) =>
      child.stderr.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('holding')) resolve();
      }),
    );
    const gitdir = join(repo, '.git');
    const held = tempsIn(gitdir);
    expect(held).toHaveLength(1);
    await computePlan(addBeta(repo));
    expect(tempsIn(gitdir)).toEqual(held);

    const ended = new Promise((resolve) => child.on('close', resolve));
    child.kill('SIGKILL');
    await ended;
    await computePlan(addBeta(repo));
    expect(tempsIn(gitdir)).toEqual([]);
  }, 60_000);

  it('refuse the later one in one sentence when the other committed first, and keep the winner’s files', async () => {
    const repo = await nixstrapRepo();
    const plan = await computePlan(addBeta(repo));
    const entry = plan.files.find((f) => f.path === 'hosts/nixos/beta/default.nix')!;
    // The winner commits the same host between this write's reading of the repo and its journal.
    const stop = watchDiskSteps({
      before: (step) => {
        if (step.n !== 1) return;
        mkdirSync(dirname(join(repo, entry.path)), { recursive: true });
        writeFileSync(join(repo, entry.path), entry.content);
        gitCli(repo, 'add', entry.path);
        gitCli(repo, '-c', 'user.name=W', '-c', 'user.email=w@example.org', 'commit', '-qm', 'won');
      },
    });
    try {
      await expect(applyPlan(plan)).rejects.toMatchObject({
        error: {
          code: 'PLAN_CHANGED',
          message: 'Another write to this repo happened first, so nothing was written.',
          hint: expect.stringContaining('Plan again'),
        },
      });
    } finally {
      stop();
    }
    expect(gitCli(repo, 'log', '-1', '--format=%s').trim()).toBe('won');
    expect(snapshot(repo)[entry.path]).toBe(entry.content);
    expect(statusOf(repo)).toBe('');
    expect(headOf(repo)).not.toBeNull();
    expect(gitCli(repo, 'fsck', '--strict', '--no-dangling')).toBe('');
  });
});
