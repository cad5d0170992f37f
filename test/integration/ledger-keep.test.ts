import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NixstrapFailure } from '../../common';
import { openLedger } from '../../main/core/ledger';
import { createKeepWatch, DEFAULT_KEEP_SECONDS } from '../../main/core/ledger/keep-watch';
import { planRollback } from '../../main/core/ledger/rollback-plan';
import { startRollback } from '../../main/core/ledger/rollback-run';
import type { RebuildRun } from '../../main/core/rebuild';
import { acquireRunLock } from '../../main/core/rebuild/lock';
import { firstOutput, killHolder, spawnHolder } from '../helpers/held-process';
import { activationEvents } from '../helpers/ledger-activations';
import { tempDir } from './helpers/cli';
import { buildGenerations, currentNumber, NIX_ENV, setProfile } from './helpers/generations';

/** A machine that just rolled back from generation 2 to 1, as the app would have done it. */
async function afterRollback() {
  const root = tempDir('keep');
  const profile = path.join(root, 'profiles', 'system');
  const runDir = path.join(root, 'run');
  fs.mkdirSync(runDir);
  const stores = buildGenerations([
    { label: '25.05.1', packages: ['hello-2.12'] },
    { label: '25.05.2', packages: ['hello-2.13'] },
  ]);
  setProfile(profile, stores);
  const dataDir = path.join(root, 'data');
  const env = { ...NIX_ENV, STANDIN_ACTIVATION_DIR: runDir };
  const ledger = openLedger(dataDir);
  const plan = await planRollback(ledger, { profile, runDir });
  ledger.close();
  const run = await startRollback({ dataDir, plan, confirm: 'yes', runDir, env });
  expect((await run.done).status).toBe('succeeded');
  expect(currentNumber(profile)).toBe(1);
  const events = () => activationEvents(dataDir);
  return { profile, runDir, dataDir, env, stores, run, events };
}

/** The trials the ledger still holds, answered or reverted ones gone. */
function trialsLeft(dataDir: string): number {
  const ledger = openLedger(dataDir);
  try {
    return (ledger.db.prepare('SELECT COUNT(*) AS n FROM keep_trials').get() as { n: number }).n;
  } finally {
    ledger.close();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Another process (helpers/keep-child.ts) puts generation 1 on trial; it and its pid, once armed. */
async function startWatcher(
  m: Awaited<ReturnType<typeof afterRollback>>,
  seconds: number,
  options: { runDir?: string; env?: NodeJS.ProcessEnv } = {},
) {
  const holder = spawnHolder(
    path.join(import.meta.dirname, 'helpers/keep-child.ts'),
    [
      m.dataDir,
      m.profile,
      m.run.id,
      '1',
      '2',
      String(seconds),
      ...(options.runDir ? [options.runDir] : []),
    ],
    { env: options.env ?? m.env, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await firstOutput(holder);
  const l = openLedger(m.dataDir);
  try {
    const owner = (l.db.prepare('SELECT pid FROM keep_trials').get() as { pid: number }).pid;
    return { holder, owner };
  } finally {
    l.close();
  }
}

/** A keep watch in this process over the machine's profile, and the revert run it starts. */
function watchHere(m: Awaited<ReturnType<typeof afterRollback>>) {
  let reverted: (run: RebuildRun) => void = () => {};
  const revert = new Promise<RebuildRun>((resolve) => {
    reverted = resolve;
  });
  const watch = createKeepWatch({
    dataDir: m.dataDir,
    runDir: m.runDir,
    env: m.env,
    onRevert: (run) => reverted(run),
  });
  return { watch, revert };
}

function killWatcher(watcher: Awaited<ReturnType<typeof startWatcher>>): Promise<void> {
  return killHolder(watcher.holder, watcher.owner);
}

describe('keep this configuration?', () => {
  it('gives 60 seconds to answer unless told otherwise', () => {
    const watch = createKeepWatch({ dataDir: tempDir('keep-default') });
    const pending = watch.arm({
      profile: '/nix/var/nix/profiles/system',
      runId: 'r',
      generation: 2,
      revertTo: 1,
    });
    const left = Date.parse(pending.deadline) - Date.now();
    expect(left).toBeGreaterThan((DEFAULT_KEEP_SECONDS - 1) * 1000);
    expect(left).toBeLessThanOrEqual(60_000);
    watch.dispose();
    expect(watch.pending()).toEqual([]);
  });

  it('rolls back by itself when nobody confirms in time, through a recorded run', async () => {
    const m = await afterRollback();
    const { watch, revert } = watchHere(m);
    const pending = watch.arm({
      profile: m.profile,
      runId: m.run.id,
      generation: 1,
      revertTo: 2,
      seconds: 1,
    });
    expect(watch.pending()).toEqual([pending]);
    expect(Date.parse(pending.deadline) - Date.now()).toBeLessThanOrEqual(1000);
    const result = await (await revert).done;
    // The watch records the outcome as soon as the run ends, before this test hears of it.
    expect(result).toMatchObject({ status: 'succeeded', generation: 2 });
    expect(currentNumber(m.profile)).toBe(2);
    expect(fs.realpathSync(path.join(m.runDir, 'current-system'))).toBe(m.stores[1]);
    expect(watch.pending()).toEqual([]);
    expect(m.events()).toEqual([
      { event: 'rolled-back', number: 1 },
      { event: 'rolled-back', number: 2 },
      { event: 'auto-reverted', number: 1 },
    ]);
    watch.dispose();
  });

  it('goes back to the specialisation that ran before, not to its base configuration', async () => {
    const root = tempDir('keep-specialisation');
    const profile = path.join(root, 'profiles', 'system');
    const runDir = path.join(root, 'run');
    fs.mkdirSync(runDir);
    const stores = buildGenerations([
      { label: '25.05.1', packages: ['hello-2.12'] },
      { label: '25.05.2', packages: ['hello-2.13'], specialisations: ['gaming'] },
    ]);
    setProfile(profile, stores);
    const gaming = fs.realpathSync(path.join(stores[1] as string, 'specialisation/gaming'));
    fs.symlinkSync(gaming, path.join(runDir, 'current-system'));
    const dataDir = path.join(root, 'data');
    const env = { ...NIX_ENV, STANDIN_ACTIVATION_DIR: runDir };
    const ledger = openLedger(dataDir);
    const plan = await planRollback(ledger, { profile, runDir });
    ledger.close();
    expect(plan.from).toMatchObject({ number: 2, runningSpecialisation: 'gaming' });
    const run = await startRollback({ dataDir, plan, confirm: 'yes', runDir, env });
    expect((await run.done).status).toBe('succeeded');
    expect(fs.realpathSync(path.join(runDir, 'current-system'))).toBe(stores[0]);

    const m = { profile, runDir, dataDir, env } as Awaited<ReturnType<typeof afterRollback>>;
    const { watch, revert } = watchHere(m);
    watch.arm({
      profile,
      runId: run.id,
      generation: 1,
      revertTo: 2,
      revertSpecialisation: plan.from?.runningSpecialisation ?? null,
      seconds: 1,
    });
    expect((await (await revert).done).status).toBe('succeeded');
    expect(currentNumber(profile)).toBe(2);
    expect(fs.realpathSync(path.join(runDir, 'current-system'))).toBe(gaming);
    expect(fs.readFileSync(path.join(runDir, 'calls'), 'utf8').trim().split('\n').at(-1)).toBe(
      `nixos switch ${gaming}`,
    );
    watch.dispose();
  });

  it('waits for a run that holds the lock at the deadline, then rolls back', async () => {
    const m = await afterRollback();
    const { watch, revert } = watchHere(m);
    // A build started from the app (or the CLI) before anyone answered.
    const build = acquireRunLock(m.dataDir);
    watch.arm({ profile: m.profile, runId: m.run.id, generation: 1, revertTo: 2, seconds: 1 });
    await sleep(2500);
    expect(currentNumber(m.profile)).toBe(1);
    build.release();
    const result = await (await revert).done;
    expect(result).toMatchObject({ status: 'succeeded', generation: 2 });
    expect(currentNumber(m.profile)).toBe(2);
    expect(m.events().at(-1)).toEqual({ event: 'auto-reverted', number: 1 });
    watch.dispose();
  });

  it('goes back to nothing when that run switched the machine meanwhile', async () => {
    const m = await afterRollback();
    let reverts = 0;
    const watch = createKeepWatch({
      dataDir: m.dataDir,
      runDir: m.runDir,
      env: m.env,
      onRevert: () => {
        reverts += 1;
      },
    });
    const build = acquireRunLock(m.dataDir);
    watch.arm({ profile: m.profile, runId: m.run.id, generation: 1, revertTo: 2, seconds: 1 });
    await sleep(2000);
    // The run made a new generation of its own and switched to it.
    setProfile(m.profile, [m.stores[0] as string]);
    build.release();
    await expect.poll(() => trialsLeft(m.dataDir), { timeout: 15_000 }).toBe(0);
    expect(reverts).toBe(0);
    expect(currentNumber(m.profile)).toBe(3);
    watch.dispose();
  });

  it('keeps the configuration when confirmed, and records that', async () => {
    const m = await afterRollback();
    const { watch, revert } = watchHere(m);
    let reverted = false;
    void revert.then(() => {
      reverted = true;
    });
    watch.arm({ profile: m.profile, runId: m.run.id, generation: 1, revertTo: 2, seconds: 1 });
    expect(watch.confirm(m.profile)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(reverted).toBe(false);
    expect(currentNumber(m.profile)).toBe(1);
    expect(watch.confirm(m.profile)).toBe(false);
    expect(m.events()).toEqual([
      { event: 'rolled-back', number: 1 },
      { event: 'confirmed', number: 1 },
    ]);
  });

  it('is taken up by the next Nixstrap when the process watching it dies, and still reverts', async () => {
    const m = await afterRollback();
    await killWatcher(await startWatcher(m, 2));

    // A trial of this very process is its own, not an orphan, and stays where it is.
    const alive = createKeepWatch({ dataDir: m.dataDir, runDir: m.runDir, env: m.env });
    const { watch: next, revert } = watchHere(m);
    const [adopted] = await next.adopt(1);
    expect(adopted).toMatchObject({ profile: m.profile, generation: 1, revertTo: 2 });
    expect(await alive.adopt(1)).toEqual([]);
    expect(next.pending()).toEqual([adopted]);
    expect(await (await revert).done).toMatchObject({ status: 'succeeded' });
    expect(currentNumber(m.profile)).toBe(2);
    expect(m.events()).toEqual([
      { event: 'rolled-back', number: 1 },
      { event: 'rolled-back', number: 2 },
      { event: 'auto-reverted', number: 1 },
    ]);
    expect(await next.adopt(1)).toEqual([]);
  });

  it('is taken up by a Nixstrap already running when the process watching it dies, and still reverts', async () => {
    const m = await afterRollback();
    const watcher = await startWatcher(m, 5);
    const { watch: here, revert } = watchHere(m);
    expect(await here.poll(1)).toMatchObject([
      { profile: m.profile, generation: 1, revertTo: 2, elsewhere: { pid: watcher.owner } },
    ]);

    await killWatcher(watcher);
    const [taken] = await here.poll(1);
    // Asked here now, with at least the second given to answer, and reverted here unanswered.
    expect(taken).toMatchObject({ profile: m.profile, generation: 1, revertTo: 2 });
    expect(taken).not.toHaveProperty('elsewhere');
    expect(await (await revert).done).toMatchObject({ status: 'succeeded' });
    expect(currentNumber(m.profile)).toBe(2);
    expect(await here.poll(1)).toEqual([]);
    here.dispose();
  });

  it("leaves another machine's trial alone in a data folder two machines share", async () => {
    const m = await afterRollback();
    await killWatcher(await startWatcher(m, 1));
    // The same trial as written by a machine with the same profile path (a home folder on NFS):
    // its watcher is gone from here, but that says nothing about the other machine.
    const other = 'f'.repeat(32);
    const trial = () => {
      const l = openLedger(m.dataDir);
      try {
        return l.db.prepare('SELECT machine, pid, deadline FROM keep_trials').all();
      } finally {
        l.close();
      }
    };
    const l = openLedger(m.dataDir);
    l.db.prepare('UPDATE keep_trials SET machine = ?').run(other);
    l.close();
    const written = trial();
    const calls = fs.readFileSync(path.join(m.runDir, 'calls'), 'utf8');

    const { watch: here } = watchHere(m);
    expect(await here.adopt(1), 'no "Keep it?" about the other machine\'s switch').toEqual([]);
    await sleep(1500);
    expect(fs.readFileSync(path.join(m.runDir, 'calls'), 'utf8'), 'nothing reverted').toBe(calls);
    expect(currentNumber(m.profile)).toBe(1);
    expect(trial(), "the other machine's trial is kept for it, unclaimed").toEqual(written);

    // A trial of this machine's on the same profile path stands beside it, and goes on its own.
    here.arm({ profile: m.profile, runId: m.run.id, generation: 1, revertTo: 2, seconds: 30 });
    expect(trial()).toHaveLength(2);
    here.confirm(m.profile);
    expect(trial()).toEqual(written);
    here.dispose();
  });

  it('is taken up after a reboot even when its pid belongs to another process now', async () => {
    const m = await afterRollback();
    await killWatcher(await startWatcher(m, 1));
    // The switch hung the machine and it was reset: after the boot, the watcher's pid is this
    // test's parent, alive, but started at another time; or this very process, in another boot.
    for (const [pid, set] of [
      [process.ppid, 'process_started = process_started + 1'],
      [process.pid, "boot_id = '00000000-0000-0000-0000-000000000000'"],
    ] as const) {
      const l = openLedger(m.dataDir);
      l.db.prepare(`UPDATE keep_trials SET pid = ?, ${set}`).run(pid);
      l.close();
      const { watch: next } = watchHere(m);
      expect(await next.adopt(30), `taken up (pid ${pid}, ${set})`).toEqual([
        expect.objectContaining({ profile: m.profile, generation: 1 }),
      ]);
      next.dispose();
    }
  });

  it("takes up a trial recorded before machines were, as this machine's", async () => {
    const m = await afterRollback();
    await killWatcher(await startWatcher(m, 1));
    const l = openLedger(m.dataDir);
    l.db.prepare("UPDATE keep_trials SET machine = ''").run();
    l.close();
    const { watch: next, revert } = watchHere(m);
    expect(await next.adopt(1)).toEqual([
      expect.objectContaining({ profile: m.profile, generation: 1 }),
    ]);
    expect(await (await revert).done).toMatchObject({ status: 'succeeded' });
    expect(currentNumber(m.profile)).toBe(2);
  });

  it('is settled, not taken up, when the machine moved to another generation meanwhile', async () => {
    const m = await afterRollback();
    await killWatcher(await startWatcher(m, 30));
    // Switched elsewhere while no Nixstrap watched: generation 2 is the profile's and runs.
    execFileSync('nix-env', ['-p', m.profile, '--switch-generation', '2'], { env: m.env });
    fs.symlinkSync(m.stores[1] as string, path.join(m.runDir, 'next-system'));
    fs.renameSync(path.join(m.runDir, 'next-system'), path.join(m.runDir, 'current-system'));
    const calls = fs.readFileSync(path.join(m.runDir, 'calls'), 'utf8');

    const { watch: next } = watchHere(m);
    expect(await next.adopt(1), 'no "Keep it?" about a generation not in use').toEqual([]);
    expect(next.pending()).toEqual([]);
    const l = openLedger(m.dataDir);
    try {
      expect(l.db.prepare('SELECT COUNT(*) FROM keep_trials').pluck().get()).toBe(0);
    } finally {
      l.close();
    }
    await sleep(1500);
    expect(fs.readFileSync(path.join(m.runDir, 'calls'), 'utf8'), 'nothing reverted').toBe(calls);
    expect(currentNumber(m.profile)).toBe(2);
    next.dispose();
  });

  it('is taken up again when the process dies in the middle of the revert, and reverts again', async () => {
    const m = await afterRollback();
    const calls = path.join(m.runDir, 'calls');
    const activations = () => fs.readFileSync(calls, 'utf8').trim().split('\n').length;
    const before = activations();
    const watcher = await startWatcher(m, 1, {
      runDir: m.runDir,
      env: { ...m.env, STANDIN_ACTIVATION_SLEEP: '30' },
    });
    // The revert is under way: the profile is back on 2, generation 1 still runs.
    while (activations() === before) await sleep(100);
    await killWatcher(watcher);
    expect(currentNumber(m.profile)).toBe(2);
    expect(fs.realpathSync(path.join(m.runDir, 'current-system'))).toBe(m.stores[0]);

    const { watch: next, revert } = watchHere(m);
    const [adopted] = await next.adopt(1);
    expect(adopted, 'the trial outlived the revert that died').toMatchObject({
      profile: m.profile,
      generation: 1,
      revertTo: 2,
    });
    expect(await (await revert).done).toMatchObject({ status: 'succeeded' });
    expect(fs.realpathSync(path.join(m.runDir, 'current-system'))).toBe(m.stores[1]);
    expect(m.events()).toEqual([
      { event: 'rolled-back', number: 1 },
      { event: 'rolled-back', number: 2 },
      { event: 'auto-reverted', number: 1 },
    ]);
    expect(await next.adopt(1), 'a finished revert settles the trial').toEqual([]);
    const l = openLedger(m.dataDir);
    try {
      const statuses = l.db.prepare('SELECT status FROM runs ORDER BY started_at').pluck().all();
      expect(statuses, 'the revert that died is kept, marked interrupted').toEqual([
        'succeeded',
        'interrupted',
        'succeeded',
      ]);
    } finally {
      l.close();
    }
  });
});

describe('a trial every Nixstrap on the data folder sees', () => {
  /** Plans and starts going back to generation 2 from this process, as the CLI would. */
  async function rollBackHere(m: Awaited<ReturnType<typeof afterRollback>>, keepWatcher?: string) {
    const l = openLedger(m.dataDir);
    const plan = await planRollback(l, { profile: m.profile, runDir: m.runDir, to: 2 });
    l.close();
    return startRollback({
      dataDir: m.dataDir,
      plan,
      confirm: 'yes',
      runDir: m.runDir,
      env: m.env,
      ...(keepWatcher ? { keepWatcher } : {}),
    });
  }

  it("is listed by another watch, whose Keep it stops the owner's countdown and revert", async () => {
    const m = await afterRollback();
    let reverted = false;
    const owner = createKeepWatch({
      dataDir: m.dataDir,
      runDir: m.runDir,
      env: m.env,
      shell: 'browser',
      onRevert: () => {
        reverted = true;
      },
    });
    // Another shell on the same data folder: the app beside a `serve`, or a second `serve`.
    const other = createKeepWatch({ dataDir: m.dataDir, runDir: m.runDir, env: m.env });
    const pending = owner.arm({
      profile: m.profile,
      runId: m.run.id,
      generation: 1,
      revertTo: 2,
      seconds: 3,
    });
    expect(other.pending(), 'the other shell asks too, saying who switched').toEqual([
      { ...pending, elsewhere: { pid: process.pid, shell: 'browser' } },
    ]);
    expect(await other.keep(m.profile)).toBe(true);
    expect(owner.pending(), "the owner's countdown is over").toEqual([]);
    expect(other.pending()).toEqual([]);
    await sleep(4000);
    expect(reverted).toBe(false);
    expect(currentNumber(m.profile)).toBe(1);
    expect(trialsLeft(m.dataDir)).toBe(0);
    expect(m.events()).toEqual([
      { event: 'rolled-back', number: 1 },
      { event: 'confirmed', number: 1 },
    ]);
    expect(await owner.keep(m.profile), 'nothing left to keep').toBe(false);
    owner.dispose();
    other.dispose();
  });

  it('is kept from another process, whose owner then does not go back', async () => {
    const m = await afterRollback();
    const calls = fs.readFileSync(path.join(m.runDir, 'calls'), 'utf8');
    // The owner reverts as the app would (it has the run folder), in 2 s unless kept.
    const watcher = await startWatcher(m, 2, { runDir: m.runDir });
    const { watch: here } = watchHere(m);
    expect(here.pending()).toEqual([
      expect.objectContaining({
        profile: m.profile,
        generation: 1,
        revertTo: 2,
        elsewhere: { pid: watcher.owner, shell: null },
      }),
    ]);
    expect(here.confirm(m.profile)).toBe(true);
    await sleep(3500);
    expect(fs.readFileSync(path.join(m.runDir, 'calls'), 'utf8'), 'nothing reverted').toBe(calls);
    expect(currentNumber(m.profile)).toBe(1);
    expect(m.events().at(-1)).toEqual({ event: 'confirmed', number: 1 });
    await killWatcher(watcher);
    here.dispose();
  });

  it('refuses a rollback from elsewhere while it waits, naming it, until its owner is gone', async () => {
    const m = await afterRollback();
    const watcher = await startWatcher(m, 30);
    const { watch: here } = watchHere(m);
    for (const keepWatcher of [undefined, here.id]) {
      const refused = await rollBackHere(m, keepWatcher).then(
        () => null,
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(NixstrapFailure);
      const { error } = refused as NixstrapFailure;
      expect(error.code).toBe('TRIAL_PENDING');
      expect(error.message).toMatch(
        new RegExp(
          `^Generation 1 is on trial: another Nixstrap \\(process ${watcher.owner}\\) asks "Keep this configuration\\?" until \\d\\d:\\d\\d:\\d\\d UTC, and goes back to generation 2 unless it is kept`,
        ),
      );
      expect(error.hint).toMatch(/^Answer it first: Keep it on the Generations screen/);
    }
    expect(currentNumber(m.profile)).toBe(1);
    expect(trialsLeft(m.dataDir), 'the trial stands').toBe(1);

    // Its owner died: the keep guard, and the next Nixstrap to start, deal with it.
    await killWatcher(watcher);
    expect(here.pending(), 'no question about a trial nobody asks').toEqual([]);
    const run = await rollBackHere(m);
    expect((await run.done).status).toBe('succeeded');
    expect(currentNumber(m.profile)).toBe(2);
    here.dispose();
  });
});
