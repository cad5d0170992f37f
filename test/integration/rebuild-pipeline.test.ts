import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../common';
import { createRunStore, openLedger, recordedAnswers, recordWrite } from '../../main/core/ledger';
import { listRuns, readLog } from '../../main/core/rebuild';
import { stripAnsi } from '../../main/core/rebuild/text';
import { gitEnvAt } from '../helpers/git-at';
import { makeStandInFlake, standInEnv } from '../helpers/stand-in-flake';
import {
  collectEvents,
  listGenerations,
  rebuildDirs,
  standInRun,
  terminalText,
  waitForEvent,
} from './helpers/rebuild';

function phases(events: RunEvent[]) {
  return events
    .filter((e) => e.type === 'phase')
    .map((e) => `${e.phase}:${e.status}${e.exitCode === undefined ? '' : `:${e.exitCode}`}`);
}

describe('a switch on a stand-in flake', () => {
  it('builds, sets a real generation in the profile and runs switch-to-configuration switch', async () => {
    const flake = makeStandInFlake({
      demo: {
        steps: [
          { name: 'libfoo-1.2', lines: ['compiling foo.c', 'linking libfoo.so'] },
          { name: 'bar-0.9', lines: ['bar ✓'] },
        ],
      },
    });
    const { dataDir, profile } = rebuildDirs('switch');
    const run = await standInRun(flake, { dataDir, profile }, { confirm: 'ask' });
    const events = collectEvents(run);
    const question = await waitForEvent(run, (e) => e.type === 'confirm');
    expect(question).toMatchObject({ question: expect.stringMatching(/boot default/) });
    expect(listGenerations(profile)).toEqual([]);
    run.confirm(true);
    const result = await run.done;

    expect(result).toMatchObject({ status: 'succeeded', exitCode: 0, generation: 1 });
    expect(result.storePath).toMatch(/-nixos-system-demo-/);
    expect(fs.realpathSync(profile)).toBe(result.storePath);
    expect(listGenerations(profile)).toEqual([{ number: 1, current: true }]);
    expect(flake.calls()).toEqual(['switch-to-configuration switch']);
    // The generation is the system's GC root now, not a link in the run's folder.
    expect(fs.existsSync(path.join(dataDir, 'runs', run.id, 'result'))).toBe(false);
    expect(phases(events)).toEqual([
      'build:started',
      'build:succeeded:0',
      'validate:started',
      'validate:succeeded',
      'changes:started',
      'changes:succeeded',
      'confirm:succeeded',
      'set-profile:started',
      'set-profile:succeeded:0',
      'activate:started',
      'activate:succeeded:0',
    ]);
    const last = events.findLast((e) => e.type === 'progress');
    expect(last).toMatchObject({ builds: { done: 3, expected: 3, failed: 0 } });
    // What will change comes before the question: a first install adds everything.
    const changes = events.find((e) => e.type === 'changes');
    expect(events.indexOf(changes as RunEvent)).toBeLessThan(
      events.findIndex((e) => e.type === 'confirm'),
    );
    expect(changes).toMatchObject({
      added: [
        { name: 'bar', version: '0.9' },
        { name: 'libfoo', version: '1.2' },
        { name: 'nixos-system-demo', version: '24.11.20241231.stand-in' },
      ],
      removed: [],
      changed: [],
      sizeBefore: null,
    });

    const screen = stripAnsi(terminalText(run));
    expect(screen).toContain('libfoo-1.2> compiling foo.c');
    expect(screen).toContain('bar-0.9> bar ✓');
    expect(stripAnsi(readLog(dataDir, run.id))).toBe(screen);

    const [summary] = listRuns(dataDir);
    expect(summary).toMatchObject({
      id: run.id,
      status: 'succeeded',
      action: 'switch',
      host: 'demo',
      repo: flake.dir,
      dirty: false,
      generation: 1,
      storePath: result.storePath,
      profile,
    });
    expect(summary?.commit).toMatch(/^[0-9a-f]{40}$/);
    const ledger = openLedger(dataDir);
    expect(
      createRunStore(ledger)
        .phases(run.id)
        .map((p) => [p.phase, p.exitCode]),
    ).toEqual([
      ['build', 0],
      ['validate', null],
      ['changes', null],
      ['confirm', null],
      ['set-profile', 0],
      ['activate', 0],
    ]);
    ledger.close();

    // A second switch to a changed configuration adds generation 2.
    flake.update({ demo: { label: '24.11.second' } });
    const again = await standInRun(flake, { dataDir, profile });
    const againEvents = collectEvents(again);
    expect(await again.done).toMatchObject({ status: 'succeeded', generation: 2 });
    expect(againEvents.find((e) => e.type === 'changes')).toMatchObject({
      added: [],
      removed: [
        { name: 'bar', version: '0.9' },
        { name: 'libfoo', version: '1.2' },
      ],
      changed: [{ name: 'nixos-system-demo', from: '24.11.20241231.stand-in', to: '24.11.second' }],
      sizeBefore: expect.any(Number),
    });
    expect(stripAnsi(terminalText(again))).toContain('  - libfoo 1.2');
    expect(listGenerations(profile)).toEqual([
      { number: 1, current: false },
      { number: 2, current: true },
    ]);
  });

  it('keeps the commit it started from when the repo moves on during the build', async () => {
    const flake = makeStandInFlake({
      demo: { steps: [{ name: 'slow', lines: ['building slow'], sleepSeconds: 3 }] },
    });
    const git = (...args: string[]) =>
      execFileSync('git', args, {
        cwd: flake.dir,
        encoding: 'utf8',
        env: gitEnvAt('2026-11-27T10:00:00Z'),
      }).trim();
    const started = git('rev-parse', 'HEAD');
    const { dataDir, profile } = rebuildDirs('moved-on');
    const run = await standInRun(flake, { dataDir, profile }, { action: 'build' });
    // Nix has copied the tree once a builder runs: a commit made now is not what it builds.
    await waitForEvent(run, (e) => e.type === 'output' && e.text.includes('building slow'));
    fs.writeFileSync(path.join(flake.dir, 'notes.md'), 'later\n');
    git('add', 'notes.md');
    git('commit', '-q', '-m', 'Notes written during the build');
    expect(await run.done).toMatchObject({ status: 'succeeded' });
    expect(listRuns(dataDir)[0]).toMatchObject({
      commit: started,
      dirty: false,
      subject: 'stand-in configuration',
    });
  });

  it('records a dirty tree when tracked files have uncommitted changes', async () => {
    const flake = makeStandInFlake({ demo: {} });
    fs.appendFileSync(path.join(flake.dir, 'flake.nix'), '\n# edited\n');
    const { dataDir, profile } = rebuildDirs('dirty');
    const run = await standInRun(flake, { dataDir, profile }, { action: 'build' });
    expect(await run.done).toMatchObject({ status: 'succeeded' });
    expect(listRuns(dataDir)[0]).toMatchObject({ dirty: true, action: 'build' });
  });
});

describe('a run started through a symbolic link to the repo', () => {
  it('is recorded under the real path, and found by it with runs recorded through the link before', async () => {
    const flake = makeStandInFlake({ demo: {} });
    const real = fs.realpathSync(flake.dir);
    const { dataDir, profile } = rebuildDirs('linked');
    const link = path.join(path.dirname(dataDir), 'cfg');
    fs.symlinkSync(flake.dir, link);
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], {
      cwd: real,
      encoding: 'utf8',
    }).trim();
    const ledger = openLedger(dataDir);
    try {
      recordWrite(ledger, { repo: link, host: 'demo', commit, answers: { hostName: 'demo' } });
    } finally {
      ledger.close();
    }

    const run = await standInRun(flake, { dataDir, profile }, { repo: link, action: 'build' });
    expect(await run.done).toMatchObject({ status: 'succeeded' });
    expect(stripAnsi(terminalText(run))).toContain(`$ nix build ${real}#`);
    expect(listRuns(dataDir)[0]).toMatchObject({ id: run.id, repo: real, commit });

    const answers = openLedger(dataDir);
    try {
      const sources = () =>
        recordedAnswers(answers, real, 'demo').map((row) => [row.source, row.commit]);
      expect(sources()).toEqual([
        ['run', commit],
        ['write', commit],
      ]);
      // A run recorded before runs were by real path kept the link's path: still found by both.
      answers.db.prepare('UPDATE runs SET repo = ? WHERE id = ?').run(link, run.id);
      expect(sources()).toEqual([
        ['run', commit],
        ['write', commit],
      ]);
      expect(recordedAnswers(answers, link, 'demo')).toHaveLength(2);
    } finally {
      answers.close();
    }
  });
});

describe('boot, test, build and dry-build', () => {
  it('boot sets the profile and installs the boot entry without activating', async () => {
    const flake = makeStandInFlake({ demo: {} });
    const { dataDir, profile } = rebuildDirs('boot');
    const run = await standInRun(flake, { dataDir, profile }, { action: 'boot' });
    expect(await run.done).toMatchObject({ status: 'succeeded', generation: 1 });
    expect(flake.calls()).toEqual(['switch-to-configuration boot']);
    expect(listGenerations(profile)).toEqual([{ number: 1, current: true }]);
  });

  it('test activates without touching the profile', async () => {
    const flake = makeStandInFlake({ demo: {} });
    const { dataDir, profile } = rebuildDirs('test');
    const run = await standInRun(flake, { dataDir, profile }, { action: 'test' });
    const events = collectEvents(run);
    expect(await run.done).toMatchObject({ status: 'succeeded', generation: null });
    expect(flake.calls()).toEqual(['switch-to-configuration test']);
    expect(fs.existsSync(profile)).toBe(false);
    expect(phases(events)).not.toContain('set-profile:started');
  });

  it('says when the new kernel runs only after a reboot, and not when the kernel is the same', async () => {
    const flake = makeStandInFlake({ demo: {} });
    const { dataDir, profile } = rebuildDirs('reboot-notice');
    // Stand-ins for /run: booted-system and current-system, each with its own kernel.
    const runDir = path.join(dataDir, 'run');
    const system = (name: string, kernel: string) => {
      const dir = path.join(runDir, `${name}-system-dir`);
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(runDir, kernel), '');
      fs.symlinkSync(path.join(runDir, kernel), path.join(dir, 'kernel'));
      fs.symlinkSync(dir, path.join(runDir, `${name}-system`));
    };
    system('booted', 'bzImage-6.6');
    system('current', 'bzImage-6.12');
    const env = { ...standInEnv(), NIXSTRAP_RUN_DIR: runDir };
    const newer = await standInRun(flake, { dataDir, profile }, { env });
    expect(await newer.done, 'the final screen says it too').toMatchObject({
      status: 'succeeded',
      explanation: {
        kind: 'reboot-for-kernel',
        message: expect.stringMatching(/^The new kernel /),
      },
    });
    expect(stripAnsi(terminalText(newer))).toContain(
      'The new kernel takes effect only after a reboot',
    );
    fs.rmSync(path.join(runDir, 'current-system'));
    fs.symlinkSync(path.join(runDir, 'booted-system-dir'), path.join(runDir, 'current-system'));
    const same = await standInRun(flake, { dataDir, profile }, { env, action: 'test' });
    expect(await same.done).toMatchObject({ status: 'succeeded', explanation: null });
    expect(stripAnsi(terminalText(same))).not.toContain('only after a reboot');
  });

  it('build stops after validating and the out-link stays under the data dir', async () => {
    const flake = makeStandInFlake({ demo: {} });
    const { dataDir, profile } = rebuildDirs('build');
    const run = await standInRun(flake, { dataDir, profile }, { action: 'build', confirm: 'ask' });
    const result = await run.done;
    expect(result).toMatchObject({ status: 'succeeded', generation: null });
    expect(fs.realpathSync(path.join(dataDir, 'runs', run.id, 'result'))).toBe(result.storePath);
    expect(flake.calls()).toEqual([]);
    expect(fs.existsSync(profile)).toBe(false);
  });

  it('dry-build says what would be built and builds nothing', async () => {
    const flake = makeStandInFlake({ demo: { steps: [{ name: 'never-built-1.0' }] } });
    const { dataDir, profile } = rebuildDirs('dry');
    const run = await standInRun(
      flake,
      { dataDir, profile },
      { action: 'dry-build', confirm: 'ask' },
    );
    expect(await run.done).toMatchObject({ status: 'succeeded', storePath: null });
    const screen = stripAnsi(terminalText(run));
    expect(screen).toMatch(/these 2 derivations will be built:/);
    expect(screen).toMatch(/never-built-1\.0\.drv/);
    expect(screen).toContain('2 derivation(s) would be built');
    expect(fs.existsSync(path.join(dataDir, 'runs', run.id, 'result'))).toBe(false);
  });
});

describe('a switch while a specialisation runs', () => {
  /** Generation 1 of the flake in the profile, running its gaming specialisation; then a change. */
  async function inGaming(prefix: string) {
    const flake = makeStandInFlake({ demo: { label: '25.05.1', specialisations: ['gaming'] } });
    const { dataDir, profile } = rebuildDirs(prefix);
    const runDir = path.join(path.dirname(profile), 'run');
    fs.mkdirSync(runDir);
    const env = standInEnv({ NIXSTRAP_RUN_DIR: runDir, STANDIN_ACTIVATION_DIR: runDir });
    const first = await standInRun(flake, { dataDir, profile }, { env, specialisation: 'gaming' });
    expect(await first.done).toMatchObject({ status: 'succeeded', generation: 1 });
    flake.update({ demo: { label: '25.05.2', specialisations: ['gaming'] } });
    return { flake, dataDir, profile, runDir, env };
  }

  it('asks naming it, and activates the base configuration when the answer leaves it', async () => {
    const m = await inGaming('specialisation-leave');
    const run = await standInRun(
      m.flake,
      { dataDir: m.dataDir, profile: m.profile },
      { env: m.env, confirm: 'ask' },
    );
    const question = await waitForEvent(run, (e) => e.type === 'confirm');
    expect(question).toMatchObject({ runningSpecialisation: 'gaming' });
    run.confirm(true, null);
    expect(await run.done).toMatchObject({ status: 'succeeded', generation: 2 });
    expect(m.flake.calls()).toEqual([
      'gaming/switch-to-configuration switch',
      'switch-to-configuration switch',
    ]);
    expect(fs.realpathSync(path.join(m.runDir, 'current-system'))).toBe(fs.realpathSync(m.profile));
  });

  it('stays in it when asked without the choice (--yes), and says so', async () => {
    const m = await inGaming('specialisation-yes');
    const run = await standInRun(
      m.flake,
      { dataDir: m.dataDir, profile: m.profile },
      { env: m.env },
    );
    expect(await run.done).toMatchObject({
      status: 'succeeded',
      generation: 2,
      specialisation: 'gaming',
    });
    expect(m.flake.calls().at(-1)).toBe('gaming/switch-to-configuration switch');
    expect(stripAnsi(terminalText(run))).toContain(
      'Specialisation gaming runs now and the new configuration has it too, so it stays in it (--no-specialisation activates the base configuration).',
    );
  });

  it("compares the specialisation's own systems when staying in it, and the bases when not", async () => {
    const m = await inGaming('specialisation-changes');
    const gaming1 = fs.realpathSync(path.join(m.profile, 'specialisation/gaming'));
    const base1 = fs.realpathSync(m.profile);
    const stay = await standInRun(
      m.flake,
      { dataDir: m.dataDir, profile: m.profile },
      { env: m.env, confirm: 'ask' },
    );
    expect(await waitForEvent(stay, (e) => e.type === 'confirm')).toMatchObject({
      runningSpecialisation: 'gaming',
    });
    const changes = await waitForEvent(stay, (e) => e.type === 'changes');
    expect(changes).toMatchObject({ specialisation: 'gaming' });
    expect(stripAnsi(terminalText(stay))).toContain(
      `What will change in specialisation gaming (from ${gaming1}):`,
    );
    stay.confirm(false);
    expect(await stay.done).toMatchObject({ status: 'cancelled' });

    const leave = await standInRun(
      m.flake,
      { dataDir: m.dataDir, profile: m.profile },
      { env: m.env, confirm: 'ask', specialisation: null },
    );
    const question = await waitForEvent(leave, (e) => e.type === 'confirm');
    // Told to go to the base: nothing to offer, and the base systems are compared.
    expect(question).not.toHaveProperty('runningSpecialisation');
    const based = await waitForEvent(leave, (e) => e.type === 'changes');
    expect(based).not.toHaveProperty('specialisation');
    expect(stripAnsi(terminalText(leave))).toContain(`What will change (from ${base1}):`);
    leave.confirm(true);
    expect(await leave.done).toMatchObject({ status: 'succeeded', specialisation: null });
    expect(m.flake.calls().at(-1)).toBe('switch-to-configuration switch');
  });

  it("stays in it when the answer says so: the new system's specialisation is activated", async () => {
    const m = await inGaming('specialisation-stay');
    const run = await standInRun(
      m.flake,
      { dataDir: m.dataDir, profile: m.profile },
      { env: m.env, confirm: 'ask' },
    );
    await waitForEvent(run, (e) => e.type === 'confirm');
    run.confirm(true, 'gaming');
    expect(await run.done).toMatchObject({ status: 'succeeded', generation: 2 });
    expect(m.flake.calls().at(-1)).toBe('gaming/switch-to-configuration switch');
    expect(fs.realpathSync(path.join(m.runDir, 'current-system'))).toBe(
      fs.realpathSync(path.join(m.profile, 'specialisation/gaming')),
    );
  });
});

describe('keys typed during a build', () => {
  it("are shown as the terminal echoes them, and Nix's records after them are still read", async () => {
    const flake = makeStandInFlake({
      demo: {
        steps: [
          { name: 'quiet-1.0', lines: ['before the keys'], sleepSeconds: 2 },
          { name: 'after-1.0', lines: ['after the keys'] },
        ],
      },
    });
    const { dataDir, profile } = rebuildDirs('typed');
    const run = await standInRun(flake, { dataDir, profile });
    const events = collectEvents(run);
    await waitForEvent(run, (e) => e.type === 'output' && e.text.includes('before the keys'));
    // Typed while Nix is quiet: the echo stands at the start of the line of its next record.
    run.write('~q');
    const result = await run.done;
    expect(result).toMatchObject({ status: 'succeeded', generation: 1 });
    const shown = stripAnsi(terminalText(run));
    expect(shown).toContain('~q');
    expect(shown).toContain('after the keys');
    expect(shown, 'no record shown as raw JSON').not.toContain('@nix');
    const last = events.findLast((e) => e.type === 'progress');
    expect(last).toMatchObject({ builds: { done: 3, failed: 0 } });
  });
});

describe('a build that fails', () => {
  it('names the failing derivation with its last lines, and leaves the profile alone', async () => {
    const flake = makeStandInFlake({
      ok: {},
      demo: {
        steps: [
          { name: 'good-1.0', lines: ['fine'] },
          {
            name: 'broken-2.0',
            lines: ['checking for cc... cc', 'main.c:3: error: expected ;', 'make: *** Error 1'],
            exitCode: 2,
          },
        ],
      },
    });
    const { dataDir, profile } = rebuildDirs('fail');
    // An earlier generation, to show the failed run leaves it current.
    const first = await standInRun(flake, { dataDir, profile }, { host: 'ok' });
    const before = (await first.done).storePath;
    const run = await standInRun(flake, { dataDir, profile });
    const events = collectEvents(run);
    const result = await run.done;
    expect(result).toMatchObject({ status: 'failed', exitCode: 1, generation: null });
    expect(result.explanation).toMatchObject({
      kind: 'build-failed',
      message: 'Building broken-2.0 failed (its builder exited with 2).',
      drv: expect.stringMatching(/-broken-2\.0\.drv$/),
      logTail: ['checking for cc... cc', 'main.c:3: error: expected ;', 'make: *** Error 1'],
    });
    const last = events.findLast((e) => e.type === 'progress');
    expect(last).toMatchObject({ builds: { failed: 1 } });
    expect(phases(events)).toEqual(['build:started', 'build:failed:1']);
    expect(flake.calls()).toEqual(['switch-to-configuration switch']);
    expect(fs.realpathSync(profile)).toBe(before);
    expect(listGenerations(profile)).toEqual([{ number: 1, current: true }]);
    expect(listRuns(dataDir)[0]).toMatchObject({
      id: run.id,
      status: 'failed',
      error: {
        code: 'REBUILD_FAILED',
        message: 'Building broken-2.0 failed (its builder exited with 2).',
      },
    });
  });
});

describe('nix-darwin and Home Manager targets', () => {
  it('switches a nix-darwin system: its profile gets the generation, then `activate` runs', async () => {
    const flake = makeStandInFlake({ mac: { kind: 'nix-darwin' } });
    const { dataDir, profile } = rebuildDirs('darwin');
    const run = await standInRun(
      flake,
      { dataDir, profile },
      { host: 'mac', target: 'nix-darwin' },
    );
    const result = await run.done;
    expect(result).toMatchObject({ status: 'succeeded', generation: 1 });
    expect(result.storePath).toMatch(/-darwin-system-/);
    expect(flake.calls()).toEqual(['activate']);
    expect(listGenerations(profile)).toEqual([{ number: 1, current: true }]);
  });

  it('refuses boot for nix-darwin before recording anything', async () => {
    const flake = makeStandInFlake({ mac: { kind: 'nix-darwin' } });
    const { dataDir, profile } = rebuildDirs('darwin-boot');
    await expect(
      standInRun(
        flake,
        { dataDir, profile },
        { host: 'mac', target: 'nix-darwin', action: 'boot' },
      ),
    ).rejects.toThrow('A nix-darwin configuration has no `boot` action.');
    expect(listRuns(dataDir)).toEqual([]);
  });

  it('switches a Home Manager generation for user@host with the activation driver', async () => {
    const flake = makeStandInFlake({ atlas: { kind: 'home-manager', user: 'alice' } });
    const { dataDir, profile } = rebuildDirs('hm');
    const run = await standInRun(
      flake,
      { dataDir, profile },
      { host: 'atlas', user: 'alice', target: 'home-manager' },
    );
    expect(await run.done).toMatchObject({ status: 'succeeded', generation: 1 });
    expect(flake.calls()).toEqual(['activate --driver-version 1']);
    expect(fs.realpathSync(profile)).toMatch(/-home-manager-generation$/);
  });
});

describe('activation exit codes', () => {
  it('4: switched, but units failed — the generation stays current and the units are named', async () => {
    const flake = makeStandInFlake({
      demo: {
        activationExitCode: 4,
        activationLines: [
          'activating the configuration...',
          'warning: the following units failed: nginx.service',
        ],
      },
    });
    const { dataDir, profile } = rebuildDirs('exit-4');
    const run = await standInRun(flake, { dataDir, profile });
    const events = collectEvents(run);
    const result = await run.done;
    expect(result).toMatchObject({ status: 'failed', exitCode: 4, generation: 1 });
    expect(result.explanation).toMatchObject({
      kind: 'units-failed',
      message: expect.stringMatching(/active and the boot default.*Failed: nginx\.service\.$/),
    });
    expect(phases(events).slice(-2)).toEqual(['activate:started', 'activate:failed:4']);
    expect(listGenerations(profile)).toEqual([{ number: 1, current: true }]);
    expect(stripAnsi(terminalText(run))).toContain(
      'warning: the following units failed: nginx.service',
    );
    expect(listRuns(dataDir)[0]).toMatchObject({ status: 'failed', generation: 1, exitCode: 4 });
  });

  it('100: installed for the next boot, a reboot is needed', async () => {
    const flake = makeStandInFlake({ demo: { activationExitCode: 100 } });
    const { dataDir, profile } = rebuildDirs('exit-100');
    const run = await standInRun(flake, { dataDir, profile });
    expect((await run.done).explanation?.kind).toBe('reboot-required');
  });
});
