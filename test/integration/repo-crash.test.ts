import { spawn } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listRuns, startRun } from '../../main/core/rebuild';
import {
  applyPlan,
  checkRepo,
  computePlan,
  inspectRepo,
  type PlanRequest,
} from '../../main/core/repo';
import { nixstrap } from './helpers/cli';
import { answersFor, pcFacts } from './helpers/repo-machines';
import { type Ends, expectOldOrNew, headOf, statusOf } from './helpers/repo-outcome';
import { snapshot, tempDir } from './helpers/repo-trees';

const facts = pcFacts('desk');
const answers = answersFor(facts);
const hardware = 'hosts/nixos/desk/hardware-configuration.nix';
const HELPER = join(import.meta.dirname, 'helpers/apply-plan.ts');

type Outcome = { signal: NodeJS.Signals | null; stdout: string; stderr: string };

/** The apply in a child process, stopped after its `killAfter`-th disk step (held, with `hold`). */
function startChild(request: PlanRequest, take: string[], killAfter: number | null, hold = false) {
  const job = join(tempDir('nixstrap-job-'), 'job.json');
  writeFileSync(job, JSON.stringify({ request, take, killAfter, hold }));
  return spawn(process.execPath, ['--import', 'tsx', HELPER, job], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs the apply in a child process that kills itself after its `killAfter`-th disk step. */
function runChild(
  request: PlanRequest,
  take: string[],
  killAfter: number | null,
): Promise<Outcome> {
  const child = startChild(request, take, killAfter);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk;
  });
  return new Promise((resolve) =>
    child.on('close', (_code, signal) => resolve({ signal, stdout, stderr })),
  );
}

type Scenario = Ends & {
  /** A folder as it is before the apply, copied afresh for each kill. */
  base: string;
  /** The repo inside a copy of that folder. */
  repoOf: (dir: string) => string;
  request: (dir: string) => PlanRequest;
  take: string[];
  steps: number;
};

async function scenario(
  base: string,
  repoOf: (dir: string) => string,
  take: string[],
  answersNow = answers,
): Promise<Scenario> {
  const request = (dir: string): PlanRequest => ({
    journey: 'init',
    repo: repoOf(dir),
    facts,
    answers: answersNow,
  });
  const repo = repoOf(base);
  const before = { tree: snapshot(base), head: headOf(repo), status: statusOf(repo) };
  const full = join(tempDir(), 'repo');
  cpSync(base, full, { recursive: true });
  const run = await runChild(request(full), take, null);
  expect(run.stderr).toBe('');
  const { steps } = JSON.parse(run.stdout) as { steps: number };
  return { base, repoOf, request, take, before, after: snapshot(full), steps };
}

/** Kills the apply after step `n`, then plans again (the next start), and checks the repo. */
async function killAt(s: Scenario, n: number): Promise<'old' | 'new'> {
  const dir = join(tempDir(), 'repo');
  cpSync(s.base, dir, { recursive: true });
  const run = await runChild(s.request(dir), s.take, n);
  // The count varies by a step or two between runs (a commit's time decides whether its
  // object folder is new), so the last points may see the apply end by itself.
  if (run.signal !== 'SIGKILL') expect(run.stdout, `step ${n}: ${run.stderr}`).toMatch(/"commit"/);

  const next = await computePlan(s.request(dir));
  const outcome = expectOldOrNew(dir, s.repoOf(dir), s, `step ${n}`);
  if (outcome === 'new') {
    expect(next.files.every((f) => f.action === 'unchanged' || f.action === 'conflict')).toBe(true);
  }
  return outcome;
}

/**
 * Every step of the scenario's apply, and a few past its count: a run can take a step or two
 * more than the one counted, and the last points must still see an apply that ends.
 */
function killPoints(s: Scenario): number[] {
  return [...Array(s.steps + 3).keys()].map((i) => i + 1);
}

/** Kills at each of `points`, two at a time; returns the outcomes seen. */
async function killAtEach(s: Scenario, points: number[]): Promise<string[]> {
  const seen = new Set<string>();
  for (let i = 0; i < points.length; i += 2) {
    const pair = points.slice(i, i + 2).map((n) => killAt(s, n));
    for (const outcome of await Promise.all(pair)) seen.add(outcome);
  }
  return [...seen].sort();
}

describe('a crash at any point of an apply', () => {
  it('ends, after the next start, with the old commit and files or the new ones', async () => {
    // An update with a hand-edited file taken: files, a backup commit, the index and two refs.
    const base = join(tempDir(), 'repo');
    await applyPlan(await computePlan({ journey: 'init', repo: base, facts, answers }));
    writeFileSync(join(base, hardware), `${readFileSync(join(base, hardware), 'utf8')}# mine\n`);
    const s = await scenario(base, (dir) => dir, [hardware], { ...answers, timeZone: 'UTC' });
    expect(s.steps).toBeGreaterThan(30);
    const seen = await killAtEach(s, killPoints(s));
    expect(seen).toEqual(['new', 'old']);
  }, 300_000);

  it('ends with no repo or a whole one when the first setup is cut', async () => {
    const parent = tempDir();
    const s = await scenario(parent, (dir) => join(dir, 'config'), []);
    // Every early step (making the repository, the journal, the first objects), then a sample.
    const points = killPoints(s).filter((n) => n <= 16 || n % 40 === 0 || n > s.steps - 6);
    expect(await killAtEach(s, points)).toEqual(['new', 'old']);
  }, 300_000);
});

describe('a write under way in another process', () => {
  it('keeps a plan from starting until it ends, then is settled', async () => {
    const repo = join(tempDir(), 'repo');
    await applyPlan(await computePlan({ journey: 'init', repo, facts, answers }));
    const before = snapshot(repo);
    const request: PlanRequest = {
      journey: 'init',
      repo,
      facts,
      answers: { ...answers, timeZone: 'UTC' },
    };
    const child = startChild(request, [], 12, true);
    await new Promise<void>((resolve) =>
      child.stderr.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('holding')) resolve();
      }),
    );
    await expect(computePlan(request)).rejects.toMatchObject({
      error: {
        code: 'REPO_BUSY',
        message: `Another Nixstrap (process ${child.pid}) is writing to this repo right now, so nothing was written.`,
        hint: expect.stringContaining('plan again'),
      },
    });
    expect((await inspectRepo(repo, 'init')).summary).toContain(
      `Another Nixstrap (process ${child.pid}) is writing to this repo right now`,
    );
    await expect(
      startRun({
        repo,
        host: 'desk',
        action: 'build',
        confirm: 'yes',
        dataDir: tempDir('nixstrap-data-'),
      }),
    ).rejects.toMatchObject({
      error: {
        code: 'REPO_BUSY',
        message: `Another Nixstrap (process ${child.pid}) is writing to ${repo} right now, so nothing was built.`,
      },
    });
    const ended = new Promise((resolve) => child.on('close', resolve));
    child.kill('SIGKILL');
    await ended;
    const plan = await computePlan(request);
    expect(plan.warnings[0]).toMatch(/^A write interrupted at .* was undone/);
    expect(snapshot(repo)).toEqual(before);
  }, 60_000);
});

describe('a write cut by a crash, before the next plan', () => {
  it('is told at every look at the repo (folder check, check, hosts), refused by rebuild, then settled by the plan', async () => {
    const repo = join(tempDir(), 'repo');
    await applyPlan(await computePlan({ journey: 'init', repo, facts, answers }));
    const request: PlanRequest = {
      journey: 'init',
      repo,
      facts,
      answers: { ...answers, timeZone: 'UTC' },
    };
    const run = await runChild(request, [], 12);
    expect(run.signal).toBe('SIGKILL');
    const told =
      /^A write by Nixstrap to this repo was interrupted at .*, so its files may be part old, part new; the next plan of this repo \(in the app, or `nixstrap plan`\) finishes or undoes it\.$/;

    const { summary } = await inspectRepo(repo, 'add-host');
    expect(summary.replace(/^A Nixstrap repo with host desk \(a git repository\)\. /, '')).toMatch(
      told,
    );
    const report = await checkRepo(repo);
    expect(report.findings[0]).toMatchObject({
      file: '.git/nixstrap-journal',
      rule: 'write-unfinished',
      message: expect.stringMatching(told),
    });
    const hosts = nixstrap(['hosts', '--repo', repo, '--json']);
    expect(hosts.code).toBe(0);
    expect(JSON.parse(hosts.stdout)).toMatchObject([{ name: 'desk' }]);
    expect(hosts.stderr.trim().replace(/^nixstrap: /, '')).toMatch(told);
    const dataDir = tempDir('nixstrap-data-');
    await expect(
      startRun({ repo, host: 'desk', action: 'build', confirm: 'yes', dataDir }),
    ).rejects.toMatchObject({
      error: {
        code: 'REPO_BUSY',
        message: `A write by Nixstrap to ${repo} did not end, so its files may be part old, part new, and nothing was built.`,
        hint: expect.stringContaining('the plan finishes or undoes that write first'),
      },
    });
    expect(listRuns(dataDir)).toEqual([]);

    const plan = await computePlan(request);
    expect(plan.warnings[0]).toMatch(/^A write interrupted at .* was undone/);
    expect((await inspectRepo(repo, 'add-host')).summary).toBe(
      'A Nixstrap repo with host desk (a git repository).',
    );
    expect((await checkRepo(repo)).findings).toEqual([]);
    expect(nixstrap(['hosts', '--repo', repo]).stderr).toBe('');
  }, 60_000);
});
