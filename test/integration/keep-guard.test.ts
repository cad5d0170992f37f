import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openLedger, takeLedgerNotices } from '../../main/core/ledger';
import { startGuardedRevert } from '../../main/core/ledger/guard-run';
import { createKeepWatch } from '../../main/core/ledger/keep-watch';
import { planRollback } from '../../main/core/ledger/rollback-plan';
import { startRollback } from '../../main/core/ledger/rollback-run';
import { type RebuildRun, readLog } from '../../main/core/rebuild';
import {
  guardDir,
  guardStateDir,
  readGuardLog,
  readGuardOutcome,
} from '../../main/core/rebuild/keep-guard';
import { firstOutput, killHolder, spawnHolder } from '../helpers/held-process';
import { activationEvents } from '../helpers/ledger-activations';
import { tempDir } from './helpers/cli';
import { buildGenerations, currentNumber, NIX_ENV, setProfile } from './helpers/generations';

/**
 * Generations 1 to 3 of a stand-in NixOS, the profile and the running system at 2 (its
 * `gaming` specialisation running, when `specialisation` says so).
 */
function machine(specialisation = false) {
  const root = tempDir('guard');
  const profile = path.join(root, 'profiles', 'system');
  const runDir = path.join(root, 'run');
  fs.mkdirSync(runDir);
  const stores = buildGenerations([
    { label: '25.05.1', packages: ['hello-2.12'] },
    {
      label: '25.05.2',
      packages: ['hello-2.13'],
      ...(specialisation ? { specialisations: ['gaming'] } : {}),
    },
    { label: '25.05.3', packages: ['hello-2.14'] },
  ]);
  setProfile(profile, stores);
  execNixEnv(['-p', profile, '--switch-generation', '2']);
  const running2 = specialisation
    ? fs.realpathSync(path.join(stores[1] as string, 'specialisation/gaming'))
    : (stores[1] as string);
  fs.symlinkSync(running2, path.join(runDir, 'current-system'));
  const dataDir = path.join(root, 'data');
  const env: NodeJS.ProcessEnv = {
    ...NIX_ENV,
    STANDIN_ACTIVATION_DIR: runDir,
    NIXSTRAP_RUN_DIR: runDir,
  };
  const running = () => fs.realpathSync(path.join(runDir, 'current-system'));
  return { profile, runDir, dataDir, env, stores, running };
}

function execNixEnv(args: string[]): void {
  execFileSync('nix-env', args, { env: NIX_ENV, stdio: 'pipe' });
}

/** The rollback plan to `to` of the machine, as the app makes it. */
async function planTo(m: ReturnType<typeof machine>, to: number) {
  const ledger = openLedger(m.dataDir);
  try {
    return await planRollback(ledger, { profile: m.profile, runDir: m.runDir, to });
  } finally {
    ledger.close();
  }
}

/** A rollback to `to` in this process, guarded for `keepSeconds` when given; it has succeeded. */
async function rollBackHere(m: ReturnType<typeof machine>, to: number, keepSeconds?: number) {
  const run = await startRollback({
    dataDir: m.dataDir,
    plan: await planTo(m, to),
    confirm: 'yes',
    runDir: m.runDir,
    env: m.env,
    ...(keepSeconds ? { keepSeconds } : {}),
  });
  expect((await run.done).status).toBe('succeeded');
  return run;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `holds` (for at most 20 s, then the test's next assertion tells what is wrong). */
async function until(holds: () => boolean): Promise<void> {
  const end = Date.now() + 20_000;
  while (!holds() && Date.now() < end) await sleep(200);
}

/** The guard's last word, once it has one (within `ms`). */
async function guardOutcome(runDir: string, runId: string, ms = 20_000): Promise<string | null> {
  const until = Date.now() + ms;
  for (;;) {
    const outcome = readGuardOutcome(runDir, runId);
    if (outcome || Date.now() > until) return outcome?.line ?? null;
    await sleep(200);
  }
}

const holders: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const kill of holders.splice(0)) await kill();
});

/** A Nixstrap in another process that rolls back to `to` with a guard and arms the trial. */
async function nixstrapOnTrial(
  m: ReturnType<typeof machine>,
  to: number,
  seconds: number,
  action: 'switch' | 'test' = 'switch',
) {
  const holder = spawnHolder(
    path.join(import.meta.dirname, 'helpers/guarded-child.ts'),
    [m.dataDir, m.profile, m.runDir, String(to), String(seconds), action],
    { env: m.env, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  holder.stdout?.on('data', (chunk) => {
    out += chunk;
  });
  await firstOutput(holder);
  await sleep(50);
  const runId = out.trim();
  const owner = Number(
    fs.readFileSync(path.join(guardDir(m.dataDir, runId), 'owner'), 'utf8').split(' ')[0],
  );
  let killed: Promise<void> | null = null;
  const kill = () => {
    killed ??= killHolder(holder, owner);
    return killed;
  };
  holders.push(kill);
  return { runId, kill };
}

describe('the keep guard', () => {
  it('puts the generation before back when Nixstrap dies during the countdown and none starts again', async () => {
    const m = machine();
    const trial = await nixstrapOnTrial(m, 1, 3);
    expect(currentNumber(m.profile)).toBe(1);
    expect(m.running()).toBe(m.stores[0]);
    await trial.kill();

    expect(await guardOutcome(m.runDir, trial.runId)).toBe('reverted');
    expect(currentNumber(m.profile)).toBe(2);
    expect(m.running()).toBe(m.stores[1]);
    const log = fs.readFileSync(
      path.join(guardStateDir(m.runDir, trial.runId), 'guard.log'),
      'utf8',
    );
    expect(log).toContain('nobody kept generation 1: switching the profile back to generation 2');

    // The next Nixstrap to start records what the guard did, as a run the page can tell of.
    let told: RebuildRun | null = null;
    const next = createKeepWatch({
      dataDir: m.dataDir,
      runDir: m.runDir,
      env: m.env,
      onRevert: (run) => {
        told = run;
      },
    });
    expect(await next.adopt(8)).toEqual([]);
    const recorded = told as RebuildRun | null;
    expect(recorded).not.toBeNull();
    expect(await recorded?.done).toMatchObject({ status: 'succeeded', generation: 2 });
    const shown = readLog(m.dataDir, recorded?.id ?? '');
    expect(shown).toContain(
      'Generation 1 was not kept in time while no Nixstrap was running, so the keep guard started with its switch put generation 2 back:',
    );
    expect(shown).toContain('activating generation 2 (switch)');
    expect(activationEvents(m.dataDir).slice(-2)).toEqual([
      { event: 'rolled-back', number: 2 },
      { event: 'auto-reverted', number: 1 },
    ]);
    // Recorded once: a later start finds nothing left to tell.
    expect(await next.adopt(8)).toEqual([]);
    next.dispose();
  }, 60_000);

  it('puts back the specialisation that ran before, not its base configuration', async () => {
    const m = machine(true);
    const gaming = m.running();
    expect(gaming).not.toBe(m.stores[1]);
    const trial = await nixstrapOnTrial(m, 1, 3);
    expect(m.running()).toBe(m.stores[0]);
    await trial.kill();

    expect(await guardOutcome(m.runDir, trial.runId)).toBe('reverted');
    expect(currentNumber(m.profile)).toBe(2);
    expect(m.running()).toBe(gaming);
  }, 60_000);

  it('undoes a try until the next reboot by trying what ran before, leaving the profile alone', async () => {
    const m = machine();
    const trial = await nixstrapOnTrial(m, 1, 2, 'test');
    expect(m.running()).toBe(m.stores[0]);
    await trial.kill();

    expect(await guardOutcome(m.runDir, trial.runId)).toBe('reverted');
    expect(m.running()).toBe(m.stores[1]);
    expect(currentNumber(m.profile)).toBe(2);
    expect(fs.readdirSync(path.dirname(m.profile)).filter((f) => f.endsWith('-link'))).toHaveLength(
      3,
    );
  }, 60_000);

  it('does nothing once the machine was switched to another generation meanwhile', async () => {
    const m = machine();
    const trial = await nixstrapOnTrial(m, 1, 3);
    await trial.kill();
    await rollBackHere(m, 3);

    expect(await guardOutcome(m.runDir, trial.runId)).toBe('moved-on');
    expect(currentNumber(m.profile)).toBe(3);
    expect(m.running()).toBe(m.stores[2]);
  }, 60_000);

  it('ends when the configuration is kept, and the machine stays on it', async () => {
    const m = machine();
    const run = await rollBackHere(m, 1, 1);
    const watch = createKeepWatch({ dataDir: m.dataDir, runDir: m.runDir, env: m.env });
    watch.arm({ profile: m.profile, runId: run.id, generation: 1, revertTo: 2, seconds: 1 });
    expect(watch.confirm(m.profile)).toBe(true);
    watch.dispose();

    expect(await guardOutcome(m.runDir, run.id)).toBe('kept');
    await sleep(2000);
    expect(currentNumber(m.profile)).toBe(1);
    expect(m.running()).toBe(m.stores[0]);
  }, 60_000);

  it('has a restart start the generation before while the trial lasts, and its own once kept', async () => {
    const m = machine();
    const bootDefault = () => fs.realpathSync(path.join(m.runDir, 'boot-default'));
    const run = await rollBackHere(m, 1, 600);
    expect(bootDefault()).toBe(m.stores[0]);
    const watch = createKeepWatch({ dataDir: m.dataDir, runDir: m.runDir, env: m.env });
    watch.arm({ profile: m.profile, runId: run.id, generation: 1, revertTo: 2, seconds: 600 });
    // Once armed, a power cycle boots generation 2, while generation 1 runs and stays current.
    await until(() => bootDefault() === m.stores[1]);
    expect(m.running()).toBe(m.stores[0]);
    expect(currentNumber(m.profile)).toBe(1);
    expect(readGuardLog(m.runDir, run.id)).toContain(
      'until generation 1 is kept, the boot menu starts generation 2',
    );

    expect(watch.confirm(m.profile)).toBe(true);
    watch.dispose();
    expect(await guardOutcome(m.runDir, run.id)).toBe('kept');
    expect(bootDefault()).toBe(m.stores[0]);
    expect(m.running()).toBe(m.stores[0]);
  }, 60_000);

  it('says so when the boot menu could not be given back to the generation kept, and how to mend it', async () => {
    const m = machine();
    m.env.STANDIN_BOOT_FAILS_FOR = m.stores[0];
    const run = await rollBackHere(m, 1, 600);
    const watch = createKeepWatch({ dataDir: m.dataDir, runDir: m.runDir, env: m.env });
    watch.arm({ profile: m.profile, runId: run.id, generation: 1, revertTo: 2, seconds: 600 });
    const bootDefault = () => fs.realpathSync(path.join(m.runDir, 'boot-default'));
    await until(() => bootDefault() === m.stores[1]);
    expect(watch.pending()).toEqual([expect.objectContaining({ bootsBack: true })]);

    expect(await watch.keep(m.profile)).toBe(true);
    watch.dispose();
    expect(readGuardOutcome(m.runDir, run.id)?.line).toBe('kept boot-menu 1');
    expect(bootDefault()).toBe(m.stores[1]);
    expect(takeLedgerNotices(m.dataDir)).toEqual([
      `Generation 1 is kept and runs, but the boot menu still starts generation 2: the keep guard could not make generation 1 its default again (switch-to-configuration boot exited 1). Run \`sudo ${m.profile}-1-link/bin/switch-to-configuration boot\` to make it the default.`,
    ]);
  }, 60_000);

  it('gives the boot menu back to the generation on trial when a new run ends the trial', async () => {
    const m = machine();
    const run = await rollBackHere(m, 1, 600);
    const watch = createKeepWatch({ dataDir: m.dataDir, runDir: m.runDir, env: m.env });
    watch.arm({ profile: m.profile, runId: run.id, generation: 1, revertTo: 2, seconds: 600 });
    const bootDefault = () => fs.realpathSync(path.join(m.runDir, 'boot-default'));
    await until(() => bootDefault() === m.stores[1]);
    expect(bootDefault()).toBe(m.stores[1]);

    watch.cancel(m.profile);
    watch.dispose();
    expect(await guardOutcome(m.runDir, run.id)).toBe('cancelled');
    expect(bootDefault()).toBe(m.stores[0]);
  }, 60_000);

  it('tells, after a restart during the trial, that the machine started the generation before', async () => {
    const m = machine();
    const run = await rollBackHere(m, 1, 600);
    const watch = createKeepWatch({ dataDir: m.dataDir, runDir: m.runDir, env: m.env });
    watch.arm({ profile: m.profile, runId: run.id, generation: 1, revertTo: 2, seconds: 600 });
    const bootDefault = path.join(m.runDir, 'boot-default');
    await until(() => fs.realpathSync(bootDefault) === m.stores[1]);
    watch.dispose();

    // The restart: the guard and what it kept in /run are gone, and the boot default runs.
    execFileSync('pkill', ['-f', guardDir(m.dataDir, run.id)]);
    fs.rmSync(path.join(m.runDir, 'nixstrap'), { recursive: true });
    fs.rmSync(path.join(m.runDir, 'current-system'));
    fs.symlinkSync(fs.realpathSync(bootDefault), path.join(m.runDir, 'current-system'));
    const ledger = openLedger(m.dataDir);
    ledger.db.prepare("UPDATE keep_trials SET boot_id = 'before-the-restart'").run();
    ledger.close();

    const next = createKeepWatch({ dataDir: m.dataDir, runDir: m.runDir, env: m.env });
    expect(await next.adopt(8)).toEqual([]);
    next.dispose();
    expect(takeLedgerNotices(m.dataDir)).toEqual([
      'Generation 1 was still on trial when the machine restarted, so it started generation 2, which the keep guard had made the boot default; the profile still points at generation 1: switch to generation 2 in Generations to stay on it, or to 1 to try it again.',
    ]);
    expect(currentNumber(m.profile)).toBe(1);
    expect(m.running()).toBe(m.stores[1]);
  }, 60_000);

  it('reverts at once for a Nixstrap that would need a sudo password, in a run that shows its log', async () => {
    const m = machine();
    const run = await rollBackHere(m, 1, 600);
    expect(readLog(m.dataDir, run.id)).toContain(
      'A guard puts generation 2 back unless you keep this configuration',
    );

    const revert = await startGuardedRevert({
      dataDir: m.dataDir,
      plan: await planTo(m, 2),
      confirm: 'yes',
      runDir: m.runDir,
      env: m.env,
      trialRunId: run.id,
    });
    expect(await revert.done).toMatchObject({ status: 'succeeded', generation: 2 });
    expect(currentNumber(m.profile)).toBe(2);
    expect(m.running()).toBe(m.stores[1]);
    const log = readLog(m.dataDir, revert.id);
    expect(log).toContain('the keep guard started with the switch puts generation 2 back');
    expect(log).toContain('activating generation 2 (switch)');
    expect(activationEvents(m.dataDir).map((e) => `${e.event} ${e.number}`)).toEqual([
      'rolled-back 1',
      'rolled-back 2',
    ]);
  }, 60_000);
});
