import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NixstrapErrorSchema, type RollbackPlan, type RunEvent } from '../../common';
import { withCliHint } from '../../main/cli/hints';
import { type Ledger, listGenerations, openLedger, reconcileProfile } from '../../main/core/ledger';
import { checkGenerationCommit } from '../../main/core/ledger/commit-check';
import { planRollback, type RollbackRequest } from '../../main/core/ledger/rollback-plan';
import { startRollback } from '../../main/core/ledger/rollback-run';
import { listRuns, readLog } from '../../main/core/rebuild';
import { stripAnsi } from '../../main/core/rebuild/text';
import { killHolder, spawnHolder } from '../helpers/held-process';
import { loseLastCommit } from '../helpers/lost-commit';
import { tempDir } from './helpers/cli';
import {
  buildGenerations,
  currentNumber,
  NIX_ENV,
  type StandInGeneration,
  setProfile,
} from './helpers/generations';
import { collectEvents, waitForEvent } from './helpers/rebuild';
import { commitAll, committedRepo, gitCli } from './helpers/repo-trees';

const ledgers: Ledger[] = [];
afterEach(() => {
  for (const ledger of ledgers.splice(0)) ledger.close();
});

/** A profile of real generations, a data dir, and the folder the stand-in activation moves links in. */
function machine(specs: StandInGeneration[], name = 'system') {
  const root = tempDir('rollback');
  const profile = path.join(root, 'profiles', name);
  const runDir = path.join(root, 'run');
  fs.mkdirSync(runDir);
  const stores = buildGenerations(specs);
  setProfile(profile, stores);
  // The machine runs what the profile points at, as after a switch.
  fs.symlinkSync(stores.at(-1) as string, path.join(runDir, 'current-system'));
  const dataDir = path.join(root, 'data');
  const ledger = openLedger(dataDir);
  ledgers.push(ledger);
  const env = { ...NIX_ENV, STANDIN_ACTIVATION_DIR: runDir };
  return {
    profile,
    runDir,
    stores,
    dataDir,
    ledger,
    env,
    calls: () =>
      fs.existsSync(path.join(runDir, 'calls'))
        ? fs.readFileSync(path.join(runDir, 'calls'), 'utf8').trim().split('\n')
        : [],
    link: (name: string) => fs.realpathSync(path.join(runDir, name)),
    plan: (request: Partial<RollbackRequest> = {}) =>
      planRollback(ledger, { profile, runDir, ...request }),
    /** Runs `plan` on this machine, without asking unless told to; `env` is added to its own. */
    rollback: (
      plan: RollbackPlan,
      options: { confirm?: 'ask' | 'yes'; env?: NodeJS.ProcessEnv; moveRepo?: boolean } = {},
    ) =>
      startRollback({
        dataDir,
        plan,
        confirm: options.confirm ?? 'yes',
        runDir,
        env: { ...env, ...options.env },
        ...(options.moveRepo ? { moveRepo: true } : {}),
      }),
  };
}

const three: StandInGeneration[] = [
  { label: '25.05.1', packages: ['hello-2.12', 'curl-8.5.0'] },
  { label: '25.05.2', packages: ['hello-2.13', 'curl-8.5.0'] },
  { label: '25.05.3', packages: ['hello-2.14', 'git-2.44.0'] },
];

function phases(events: RunEvent[]): string[] {
  return events.filter((e) => e.type === 'phase').map((e) => `${e.phase}:${e.status}`);
}

describe('rolling back to the previous generation', () => {
  it('shows what will change, asks, re-points the profile and activates the older system', async () => {
    const m = machine(three);
    const plan = await m.plan();
    expect(plan).toMatchObject({ kind: 'nixos', action: 'switch', warnings: expect.any(Array) });
    expect([plan.from?.number, plan.to.number]).toEqual([3, 2]);
    // Built outside Nixstrap, it names no commit: the sentence says what that means for the repo.
    expect(plan.warnings).toEqual([
      'Generation 2 does not say which commit it was built from, so the repo cannot be put back to it: the next rebuild from the repo builds what the repo holds, not generation 2.',
    ]);
    expect(plan.changes.changed).toContainEqual({ name: 'hello', from: '2.14', to: '2.13' });
    expect(plan.changes.added).toContainEqual({ name: 'curl', version: '8.5.0' });
    expect(plan.commands).toEqual([
      ['nix-env', '-p', m.profile, '--switch-generation', '2'],
      [`${m.stores[1]}/bin/switch-to-configuration`, 'switch'],
    ]);

    const run = await m.rollback(plan, { confirm: 'ask' });
    const events = collectEvents(run);
    const question = await waitForEvent(run, (e) => e.type === 'confirm');
    expect(question).toMatchObject({
      question: expect.stringMatching(/^Roll back to generation 2 \(25\.05\.2\) now\?/),
    });
    expect(currentNumber(m.profile)).toBe(3);
    run.confirm(true);
    const result = await run.done;

    expect(result).toMatchObject({ status: 'succeeded', generation: 2, storePath: m.stores[1] });
    expect(currentNumber(m.profile)).toBe(2);
    expect(m.calls()).toEqual([`nixos switch ${m.stores[1]}`]);
    expect(m.link('current-system')).toBe(m.stores[1]);
    expect(phases(events)).toEqual([
      'changes:started',
      'changes:succeeded',
      'confirm:started',
      'confirm:succeeded',
      'set-profile:started',
      'set-profile:succeeded',
      'activate:started',
      'activate:succeeded',
    ]);
    expect(events.find((e) => e.type === 'changes')).toMatchObject({
      sizeAfter: plan.changes.sizeAfter,
    });

    const listed = listGenerations(m.ledger, (await reconcileProfile(m.ledger, m)).targetId);
    expect(listed.map((g) => [g.number, g.current, g.running])).toEqual([
      [1, false, false],
      [2, true, true],
      [3, false, false],
    ]);
    const [summary] = listRuns(m.dataDir);
    expect(summary).toMatchObject({
      id: run.id,
      kind: 'rollback',
      status: 'succeeded',
      generation: 2,
    });
    expect(stripAnsi(readLog(m.dataDir, run.id))).toContain('switch-generation 2');
    const activation = m.ledger.db
      .prepare(
        'SELECT a.event, a.run_id, g.number FROM activations a JOIN generations g ON g.id = a.generation_id',
      )
      .all();
    expect(activation).toEqual([{ event: 'rolled-back', run_id: run.id, number: 2 }]);
  });

  it('changes nothing when the user says no', async () => {
    const m = machine(three);
    const run = await m.rollback(await m.plan(), { confirm: 'ask' });
    await waitForEvent(run, (e) => e.type === 'confirm');
    run.confirm(false);
    expect(await run.done).toMatchObject({ status: 'cancelled' });
    expect(currentNumber(m.profile)).toBe(3);
    expect(m.calls()).toEqual([]);
  });

  it('refuses when the current generation is the oldest one left', async () => {
    const m = machine(three.slice(0, 1));
    await expect(m.plan()).rejects.toMatchObject({ error: { code: 'NOTHING_TO_ROLL_BACK' } });
  });
});

describe('rolling back to generation N', () => {
  it('activates exactly that generation, skipping the ones between', async () => {
    const m = machine(three);
    const plan = await m.plan({ to: 1 });
    const result = await (await m.rollback(plan)).done;
    expect(result).toMatchObject({ status: 'succeeded', generation: 1 });
    expect(currentNumber(m.profile)).toBe(1);
    expect(m.calls()).toEqual([`nixos switch ${m.stores[0]}`]);
  });

  it('refuses a generation whose link names a system the store no longer holds, changing nothing', async () => {
    const m = machine(three);
    const gone = '/nix/store/00000000000000000000000000000000-nixos-system-gone';
    fs.rmSync(`${m.profile}-1-link`);
    fs.symlinkSync(gone, `${m.profile}-1-link`);
    const refused = m.plan({ to: 1 });
    await expect(refused).rejects.toMatchObject({
      error: {
        code: 'STORE_PATH_GONE',
        message: `Generation 1's system, ${gone}, is no longer in the Nix store, so it cannot be activated again.`,
        hint: 'Choose another generation; deleting generation 1 removes the link that still names it.',
      },
    });
    const { error } = await refused.catch((failure) => failure);
    expect(withCliHint(error).hint).toBe(
      'Choose another generation; `nixstrap delete-generations 1` removes the link that still names it.',
    );
    expect(currentNumber(m.profile)).toBe(3);
    expect(m.calls()).toEqual([]);
  });

  it('an activation a cancel interrupts is not reported as a success', async () => {
    const m = machine(three);
    const run = await m.rollback(await m.plan({ to: 1 }), {
      env: { STANDIN_ACTIVATION_SLEEP: '30' },
    });
    await waitForEvent(run, (e) => e.type === 'phase' && e.phase === 'activate');
    // The stand-in activation is under way once it has recorded its call.
    await expect.poll(() => m.calls().length, { timeout: 10_000 }).toBe(1);
    run.cancel();
    const result = await run.done;
    expect(result).toMatchObject({
      status: 'cancelled',
      exitCode: 130,
      generation: 1,
      explanation: {
        kind: 'cancelled-activation',
        message:
          'The run was cancelled during activation: generation 1 is the boot default, and this machine may be running only part of it.',
      },
    });
    expect(listRuns(m.dataDir)[0]).toMatchObject({ status: 'cancelled' });
  });

  it('asks to switch, not to roll back, when the generation is newer than the one in use', async () => {
    const m = machine(three);
    expect(await (await m.rollback(await m.plan({ to: 1 }))).done).toMatchObject({
      status: 'succeeded',
    });
    const run = await m.rollback(await m.plan({ to: 3 }), { confirm: 'ask' });
    expect(await waitForEvent(run, (e) => e.type === 'confirm')).toMatchObject({
      question: expect.stringMatching(/^Switch to generation 3 \(25\.05\.3\) now\?/),
    });
    run.confirm(false);
    expect(await run.done).toMatchObject({ status: 'cancelled' });
  });

  it('on next boot only: the profile and boot default move, the running system stays', async () => {
    const m = machine(three);
    const plan = await m.plan({ to: 1, action: 'boot' });
    expect(plan.commands[1]).toEqual([`${m.stores[0]}/bin/switch-to-configuration`, 'boot']);
    const run = await m.rollback(plan, { confirm: 'ask' });
    expect(await waitForEvent(run, (e) => e.type === 'confirm')).toMatchObject({
      question: expect.stringMatching(/from the next boot on/),
    });
    run.confirm(true);
    expect(await run.done).toMatchObject({ status: 'succeeded' });
    expect(currentNumber(m.profile)).toBe(1);
    expect(m.calls()).toEqual([`nixos boot ${m.stores[0]}`]);
    expect(m.link('boot-default')).toBe(m.stores[0]);
    expect(m.link('current-system')).toBe(m.stores[2]);
    const { targetId } = await reconcileProfile(m.ledger, m);
    const listed = listGenerations(m.ledger, targetId);
    expect(listed.map((g) => [g.number, g.current, g.running])).toEqual([
      [1, true, false],
      [2, false, false],
      [3, false, true],
    ]);
  });

  it('after Boot into, asks which "previous" is meant instead of counting from either', async () => {
    const m = machine(three);
    expect(await (await m.rollback(await m.plan({ to: 2, action: 'boot' }))).done).toMatchObject({
      status: 'succeeded',
    });
    const refused = m.plan();
    await expect(refused).rejects.toMatchObject({
      error: {
        code: 'NOTHING_TO_ROLL_BACK',
        message:
          'Generation 3 is running now and generation 2 is the boot default, so "the previous generation" is not one generation.',
        hint: 'Choose a generation to roll back to from the list of generations: generation 2 comes before the running one, generation 1 comes before the boot default.',
      },
    });
    const { error } = await refused.catch((failure) => failure);
    // The same two as data, for a shell to offer them as choices, and as the contract sends them.
    expect(NixstrapErrorSchema.parse(error).previousChoices).toEqual({
      running: 3,
      bootDefault: 2,
      beforeRunning: 2,
      beforeBootDefault: 1,
    });
    expect(withCliHint(error).hint).toBe(
      'Pass --to N with a generation number from `nixstrap generations`: generation 2 comes before the running one, generation 1 comes before the boot default.',
    );
    // Named, either one goes ahead.
    expect((await m.plan({ to: 1 })).to.number).toBe(1);
    expect(currentNumber(m.profile)).toBe(2);
  });

  it('after Boot into, the choices count only generations still present, and none before the oldest', async () => {
    const m = machine([...three, { label: '25.05.4', packages: ['hello-2.15', 'git-2.44.0'] }]);
    expect(await (await m.rollback(await m.plan({ to: 1, action: 'boot' }))).done).toMatchObject({
      status: 'succeeded',
    });
    execFileSync('nix-env', ['-p', m.profile, '--delete-generations', '3'], {
      env: NIX_ENV,
      stdio: 'pipe',
    });
    await expect(m.plan()).rejects.toMatchObject({
      error: {
        code: 'NOTHING_TO_ROLL_BACK',
        hint: 'Choose a generation to roll back to from the list of generations: generation 2 comes before the running one, none comes before the boot default.',
        previousChoices: { running: 4, bootDefault: 1, beforeRunning: 2, beforeBootDefault: null },
      },
    });
  });

  it('after Boot into, goes back without asking when both choices are the same generation', async () => {
    const m = machine([...three, { label: '25.05.4', packages: ['hello-2.15', 'git-2.44.0'] }]);
    expect(await (await m.rollback(await m.plan({ to: 2 }))).done).toMatchObject({
      status: 'succeeded',
    });
    expect(await (await m.rollback(await m.plan({ to: 4, action: 'boot' }))).done).toMatchObject({
      status: 'succeeded',
    });
    // The running generation (2) and the one between go: 1 comes before either.
    execFileSync('nix-env', ['-p', m.profile, '--delete-generations', '2', '3'], {
      env: NIX_ENV,
      stdio: 'pipe',
    });
    expect((await m.plan()).to.number).toBe(1);
  });

  it('refuses a deleted generation and a number the profile never had', async () => {
    const m = machine(three);
    await reconcileProfile(m.ledger, m);
    execFileSync('nix-env', ['-p', m.profile, '--delete-generations', '1'], {
      env: NIX_ENV,
      stdio: 'pipe',
    });
    await expect(m.plan({ to: 1 })).rejects.toMatchObject({ error: { code: 'STORE_PATH_GONE' } });
    await expect(m.plan({ to: 7 })).rejects.toMatchObject({
      error: { code: 'GENERATION_NOT_FOUND' },
    });
  });

  it('reports a failed activation with what it means, and records it', async () => {
    const m = machine(three);
    const plan = await m.plan();
    const run = await m.rollback(plan, { env: { STANDIN_ACTIVATION_EXIT: '4' } });
    const result = await run.done;
    expect(result).toMatchObject({
      status: 'failed',
      exitCode: 4,
      explanation: { kind: 'units-failed' },
    });
    // The wizard reads plain words; the command line names the command.
    const hint = result.explanation?.hint ?? '';
    expect(hint).toMatch(/to go back, roll back to generation 3\.$/);
    expect(withCliHint({ code: 'ROLLBACK_FAILED', message: '', hint }).hint).toMatch(
      /nixstrap rollback --to 3/,
    );
  });

  it('tells a rollback that needs a reboot (exit 100) from a failed one', async () => {
    const m = machine(three);
    const run = await m.rollback(await m.plan(), { env: { STANDIN_ACTIVATION_EXIT: '100' } });
    expect(await run.done).toMatchObject({
      status: 'failed',
      exitCode: 100,
      explanation: {
        kind: 'reboot-required',
        message: expect.stringContaining('Generation 2 is the boot default'),
        hint: expect.stringMatching(/^Reboot to start it/),
      },
    });
  });
});

describe('trying generation N until the next reboot', () => {
  it('runs its switch-to-configuration test only: the profile and the boot default stay', async () => {
    const m = machine(three);
    const plan = await m.plan({ to: 1, action: 'test' });
    expect(plan.commands).toEqual([[`${m.stores[0]}/bin/switch-to-configuration`, 'test']]);
    const run = await m.rollback(plan, { confirm: 'ask' });
    const events = collectEvents(run);
    const question = await waitForEvent(run, (e) => e.type === 'confirm');
    expect(question).toMatchObject({
      question: expect.stringMatching(/^Try generation 1 \(25\.05\.1\) until the next reboot\?/),
    });
    run.confirm(true);
    expect(await run.done).toMatchObject({ status: 'succeeded', generation: 1 });
    expect(phases(events)).toEqual([
      'changes:started',
      'changes:succeeded',
      'confirm:started',
      'confirm:succeeded',
      'activate:started',
      'activate:succeeded',
    ]);
    expect(fs.readlinkSync(m.profile)).toBe('system-3-link');
    expect(m.calls()).toEqual([`nixos test ${m.stores[0]}`]);
    expect(m.link('current-system')).toBe(m.stores[0]);
    expect(fs.existsSync(path.join(m.runDir, 'boot-default'))).toBe(false);
    const listed = listGenerations(m.ledger, (await reconcileProfile(m.ledger, m)).targetId);
    expect(listed.map((g) => [g.number, g.current, g.running])).toEqual([
      [1, false, true],
      [2, false, false],
      [3, true, false],
    ]);
    expect(listRuns(m.dataDir)[0]).toMatchObject({ kind: 'rollback', action: 'test' });
    const event = m.ledger.db
      .prepare(
        `SELECT a.event, g.number FROM activations a JOIN generations g ON g.id = a.generation_id
         WHERE a.run_id = ?`,
      )
      .get(run.id);
    expect(event).toEqual({ event: 'tested', number: 1 });
  });

  it('refuses the generation already running, even when the profile points elsewhere', async () => {
    const m = machine(three);
    await expect(m.plan({ to: 3, action: 'test' })).rejects.toMatchObject({
      error: { code: 'NOTHING_TO_ROLL_BACK', message: 'Generation 3 is already the one running.' },
    });
    await (await m.rollback(await m.plan({ to: 1, action: 'test' }))).done;
    // The profile's current generation is no longer what runs: trying it again is going back.
    expect((await m.plan({ to: 3, action: 'test' })).from?.number).toBe(1);
  });

  it('tries the base configuration of the generation whose specialisation runs', async () => {
    const m = machine([
      three[0] as StandInGeneration,
      { ...three[1], specialisations: ['gaming'] } as StandInGeneration,
    ]);
    const gaming = fs.realpathSync(path.join(m.stores[1] as string, 'specialisation/gaming'));
    fs.rmSync(path.join(m.runDir, 'current-system'));
    fs.symlinkSync(gaming, path.join(m.runDir, 'current-system'));
    // Staying in the specialisation that runs would change nothing: untold, the base is tried.
    for (const specialisation of [null, undefined]) {
      const plan = await m.plan({
        to: 2,
        action: 'test',
        ...(specialisation === null ? { specialisation } : {}),
      });
      expect(plan.from).toMatchObject({ number: 2, runningSpecialisation: 'gaming' });
      expect(plan).not.toHaveProperty('specialisation');
      expect(plan.commands).toEqual([[`${m.stores[1]}/bin/switch-to-configuration`, 'test']]);
    }
    await expect(m.plan({ to: 2, action: 'test', specialisation: 'gaming' })).rejects.toMatchObject(
      {
        error: {
          code: 'NOTHING_TO_ROLL_BACK',
          message: 'Generation 2 is already the one running.',
        },
      },
    );
  });

  it.each([
    [
      4,
      'Generation 1 runs until the next reboot, but some services failed to start.',
      'Look at them with `systemctl --failed`; a reboot returns to the boot default, or to go back now, try generation 3 until the next reboot.',
    ],
    [
      100,
      "Generation 1 cannot be tried without a reboot: its init differs from the running one's (exit 100), and trying it does not make it the boot default.",
      'Nothing was activated. To run it, boot into it from the next boot on and reboot.',
    ],
    [
      2,
      'Trying generation 1 failed (exit 2); the profile and the boot default did not change.',
      'Read the log above; a reboot returns to the boot default, or to put things back now, try generation 3 until the next reboot.',
    ],
  ])('exit %i is explained without moving the boot default', async (code, message, hint) => {
    const m = machine(three);
    const plan = await m.plan({ to: 1, action: 'test' });
    const result = await (
      await m.rollback(plan, { env: { STANDIN_ACTIVATION_EXIT: String(code) } })
    ).done;
    expect(result).toMatchObject({ status: 'failed', explanation: { message, hint } });
    expect(currentNumber(m.profile)).toBe(3);
  });

  it('exists only for NixOS: a Home Manager generation is refused and nothing runs', async () => {
    const m = machine(
      [
        { kind: 'home-manager', label: '25.05', packages: ['git-2.43.0'], nonce: 'a' },
        { kind: 'home-manager', label: '25.05', packages: ['git-2.44.0'], nonce: 'b' },
      ],
      'home-manager',
    );
    await expect(m.plan({ to: 1, action: 'test' })).rejects.toMatchObject({
      error: {
        code: 'INVALID_REQUEST',
        message:
          '"Until the next reboot" exists only for NixOS; a home-manager generation has no test activation, so it can only be switched to.',
      },
    });
    expect(m.calls()).toEqual([]);
  });
});

describe('rolling back while a specialisation runs', () => {
  /** Three generations, the last two with a gaming specialisation; generation 3's runs. */
  function inGaming() {
    const m = machine([
      three[0] as StandInGeneration,
      { ...three[1], specialisations: ['gaming'] } as StandInGeneration,
      { ...three[2], specialisations: ['gaming'] } as StandInGeneration,
    ]);
    const gaming = (n: number) =>
      fs.realpathSync(path.join(m.stores[n - 1] as string, 'specialisation/gaming'));
    fs.rmSync(path.join(m.runDir, 'current-system'));
    fs.symlinkSync(gaming(3), path.join(m.runDir, 'current-system'));
    return { ...m, gaming };
  }

  it("stays in it when the generation has it too, comparing the specialisation's own systems", async () => {
    const m = inGaming();
    const plan = await m.plan();
    expect(plan).toMatchObject({
      specialisation: 'gaming',
      from: { number: 3 },
      to: { number: 2 },
    });
    expect(plan.commands).toEqual([
      ['nix-env', '-p', m.profile, '--switch-generation', '2'],
      [`${m.gaming(2)}/bin/switch-to-configuration`, 'switch'],
    ]);
    // A base closure holds its specialisations' too: the specialisation's alone is smaller.
    const base = await m.plan({ specialisation: null });
    expect(base).not.toHaveProperty('specialisation');
    expect(plan.changes.sizeAfter).toBeLessThan(base.changes.sizeAfter);
    expect(plan.changes.changed).toContainEqual({ name: 'hello', from: '2.14', to: '2.13' });

    const run = await m.rollback(plan, { confirm: 'ask' });
    const events = collectEvents(run);
    const question = await waitForEvent(run, (e) => e.type === 'confirm');
    expect(question).toMatchObject({
      question: expect.stringMatching(
        /^Roll back to generation 2 \(25\.05\.2\) in specialisation gaming now\?/,
      ),
    });
    run.confirm(true);
    expect(await run.done).toMatchObject({
      status: 'succeeded',
      generation: 2,
      specialisation: 'gaming',
    });
    expect(events.find((e) => e.type === 'changes')).toMatchObject({ specialisation: 'gaming' });
    expect(m.calls()).toEqual([`nixos switch ${m.gaming(2)}`]);
    expect(m.link('current-system')).toBe(m.gaming(2));
  });

  it('goes to the base configuration of a generation without it', async () => {
    const m = inGaming();
    const plan = await m.plan({ to: 1 });
    expect(plan).not.toHaveProperty('specialisation');
    expect(plan.commands.at(-1)).toEqual([`${m.stores[0]}/bin/switch-to-configuration`, 'switch']);
    expect(await (await m.rollback(plan)).done).toMatchObject({
      status: 'succeeded',
      specialisation: null,
    });
  });
});

describe('a Home Manager profile beside the system one', () => {
  it('rolls back with the generation own activate, as the user', async () => {
    const m = machine(
      [
        { kind: 'home-manager', label: '25.05', packages: ['git-2.43.0'], nonce: 'a' },
        { kind: 'home-manager', label: '25.05', packages: ['git-2.44.0'], nonce: 'b' },
      ],
      'home-manager',
    );
    const system = path.join(path.dirname(m.profile), 'system');
    setProfile(system, buildGenerations(three.slice(0, 2)));
    const plan = await m.plan();
    expect(plan.kind).toBe('home-manager');
    expect(plan.commands[1]).toEqual([`${m.stores[0]}/activate`, '--driver-version', '1']);
    await expect(m.plan({ action: 'boot' })).rejects.toMatchObject({
      error: { code: 'INVALID_REQUEST' },
    });
    const result = await (await m.rollback(plan)).done;
    expect(result.status).toBe('succeeded');
    expect(currentNumber(m.profile)).toBe(1);
    expect(currentNumber(system)).toBe(2);
    expect(m.calls()).toEqual([`home-manager --driver-version 1 ${m.stores[0]}`]);
  });
});

describe('the configuration repo', () => {
  /** A config repo of two commits; `commit` is the first. */
  function repoWithCommit(): { repo: string; commit: string } {
    const repo = committedRepo({ 'flake.nix': '{ }\n' });
    const commit = gitCli(repo, 'rev-parse', 'HEAD').trim();
    fs.writeFileSync(path.join(repo, 'flake.nix'), '{ outputs = _: { }; }\n');
    commitAll(repo, 'second');
    return { repo, commit };
  }

  it('warns when the target generation was built from a commit no longer in the repo', async () => {
    const { repo } = repoWithCommit();
    const gone = 'f'.repeat(40);
    const m = machine([{ label: '25.05.1', revision: gone }, three[1] as StandInGeneration]);
    const plan = await m.plan({ repo });
    expect(plan.commitInRepo).toBe(false);
    expect(plan.warnings[0]).toMatch(/commit ffffffffffff, which is no longer in/);
  });

  it('has nothing to move when the repo is on the generation commit already', async () => {
    const { repo } = repoWithCommit();
    const head = execFileSync('git', ['-C', repo, 'rev-parse', 'HEAD'], { encoding: 'utf8' });
    const m = machine([{ label: '25.05.1', revision: head.trim() }, three[1] as StandInGeneration]);
    const plan = await m.plan({ repo });
    expect(plan).toMatchObject({ commitInRepo: true, repoAhead: null });
  });

  it('a commit rewritten out of the repo: the plan and the generation say so in the same words', async () => {
    const { repo, commit: kept } = repoWithCommit();
    const lost = loseLastCommit(repo);
    const m = machine([
      { label: '25.05.1', revision: lost },
      { label: '25.05.2', revision: kept },
    ]);
    const plan = await m.plan({ repo });
    expect(plan.commitInRepo).toBe(false);
    const check = await checkGenerationCommit(
      m.ledger,
      { profile: m.profile, runDir: m.runDir },
      1,
      repo,
    );
    expect(check).toEqual({
      repo,
      commitInRepo: false,
      warning: `Generation 1 was built from commit ${lost.slice(0, 12)}, which is no longer in ${repo}: the system can go back to it, the configuration repo cannot.`,
      repoFolderGone: false,
    });
    expect(plan.warnings).toEqual([check.warning]);
    // The commit still there is not reported.
    const still = await checkGenerationCommit(
      m.ledger,
      { profile: m.profile, runDir: m.runDir },
      2,
      repo,
    );
    expect(still).toEqual({ repo, commitInRepo: true, warning: null, repoFolderGone: false });
    // Once Nix has deleted the generation too, nothing can go back to it: the sentence says so.
    execFileSync('nix-env', ['-p', m.profile, '--delete-generations', '1'], { env: NIX_ENV });
    const deleted = await checkGenerationCommit(
      m.ledger,
      { profile: m.profile, runDir: m.runDir },
      1,
      repo,
    );
    expect(deleted.warning).toBe(
      `Generation 1 was built from commit ${lost.slice(0, 12)}, which is no longer in ${repo}: Nix deleted the generation too, so neither the system nor the repo can go back to it.`,
    );
  });

  it('a repo folder that is gone entirely: the commit is gone with it', async () => {
    const { repo, commit } = repoWithCommit();
    fs.rmSync(repo, { recursive: true });
    const m = machine([{ label: '25.05.1', revision: commit }, three[1] as StandInGeneration]);
    const plan = await m.plan({ repo });
    expect(plan.commitInRepo).toBe(false);
    expect(plan.warnings).toEqual([
      `Generation 1 was built from commit ${commit.slice(0, 12)} in ${repo}, which no longer exists: the system can go back to it, the configuration repo cannot.`,
    ]);
    const check = await checkGenerationCommit(
      m.ledger,
      { profile: m.profile, runDir: m.runDir },
      1,
      repo,
    );
    expect(check.warning).toBe(plan.warnings[0]);
  });

  it('moves the repo back to the generation commit on a new branch when asked', async () => {
    const { repo, commit } = repoWithCommit();
    const m = machine([{ label: '25.05.1', revision: commit }, three[1] as StandInGeneration]);
    const plan = await m.plan({ repo });
    expect(plan.commitInRepo).toBe(true);
    expect(plan.repoAhead).toBe(
      execFileSync('git', ['-C', repo, 'rev-parse', 'main'], { encoding: 'utf8' }).trim(),
    );
    expect(plan.warnings).toEqual([]);
    const run = await m.rollback(plan, { moveRepo: true });
    expect((await run.done).status).toBe('succeeded');
    const head = (ref: string) =>
      execFileSync('git', ['-C', repo, ...ref.split(' ')], { encoding: 'utf8' }).trim();
    expect(head('rev-parse --abbrev-ref HEAD')).toBe('nixstrap/rollback-1');
    expect(head('rev-parse HEAD')).toBe(commit);
    expect(head('rev-parse main')).not.toBe(commit);
    expect(fs.readFileSync(path.join(repo, 'flake.nix'), 'utf8')).toBe('{ }\n');
  });
});

describe('a process killed during a rollback', () => {
  it('leaves the run interrupted, the ledger open and the next rollback free to run', async () => {
    const m = machine(three);
    const holder = spawnHolder(
      path.join(import.meta.dirname, 'helpers/rollback-child.ts'),
      [m.dataDir, m.profile, '1', m.runDir],
      { env: { ...m.env, STANDIN_ACTIVATION_SLEEP: '30' }, stdio: 'ignore' },
    );
    const started = Date.now();
    while (!m.calls().length) {
      if (Date.now() - started > 60_000) throw new Error('the rollback never reached activation');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const { pid } = m.ledger.db.prepare('SELECT pid FROM runs').get() as { pid: number };
    await killHolder(holder, pid);
    const [run] = listRuns(m.dataDir);
    expect(run).toMatchObject({ kind: 'rollback', status: 'interrupted' });
    const again = await m.rollback(await m.plan({ to: 2 }));
    expect((await again.done).status).toBe('succeeded');
    expect(currentNumber(m.profile)).toBe(2);
  });
});
