import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../common';
import { createRunStore, openLedger } from '../../main/core/ledger';
import { listRuns, readLog, startRun } from '../../main/core/rebuild';
import { stripAnsi } from '../../main/core/rebuild/text';
import { makeStandInFlake, standInEnv } from '../helpers/stand-in-flake';
import {
  collectEvents,
  listGenerations,
  rebuildDirs,
  terminalText,
  waitForEvent,
} from './helpers/rebuild';

const env = standInEnv();

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
    const run = await startRun({
      dataDir,
      repo: flake.dir,
      host: 'demo',
      action: 'switch',
      profile,
      confirm: 'ask',
      env,
    });
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
    expect(phases(events)).toEqual([
      'build:started',
      'build:succeeded:0',
      'validate:started',
      'validate:succeeded',
      'changes:skipped',
      'confirm:succeeded',
      'set-profile:started',
      'set-profile:succeeded:0',
      'activate:started',
      'activate:succeeded:0',
    ]);
    const last = events.findLast((e) => e.type === 'progress');
    expect(last).toMatchObject({ builds: { done: 3, expected: 3, failed: 0 } });

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
    const again = await startRun({
      dataDir,
      repo: flake.dir,
      host: 'demo',
      action: 'switch',
      profile,
      confirm: 'yes',
      env,
    });
    expect(await again.done).toMatchObject({ status: 'succeeded', generation: 2 });
    expect(listGenerations(profile)).toEqual([
      { number: 1, current: false },
      { number: 2, current: true },
    ]);
  });

  it('records a dirty tree when tracked files have uncommitted changes', async () => {
    const flake = makeStandInFlake({ demo: {} });
    fs.appendFileSync(path.join(flake.dir, 'flake.nix'), '\n# edited\n');
    const { dataDir, profile } = rebuildDirs('dirty');
    const run = await startRun({
      dataDir,
      repo: flake.dir,
      host: 'demo',
      action: 'build',
      profile,
      confirm: 'yes',
      env,
    });
    expect(await run.done).toMatchObject({ status: 'succeeded' });
    expect(listRuns(dataDir)[0]).toMatchObject({ dirty: true, action: 'build' });
  });
});

describe('boot, test, build and dry-build', () => {
  it('boot sets the profile and installs the boot entry without activating', async () => {
    const flake = makeStandInFlake({ demo: {} });
    const { dataDir, profile } = rebuildDirs('boot');
    const run = await startRun({
      dataDir,
      repo: flake.dir,
      host: 'demo',
      action: 'boot',
      profile,
      confirm: 'yes',
      env,
    });
    expect(await run.done).toMatchObject({ status: 'succeeded', generation: 1 });
    expect(flake.calls()).toEqual(['switch-to-configuration boot']);
    expect(listGenerations(profile)).toEqual([{ number: 1, current: true }]);
  });

  it('test activates without touching the profile', async () => {
    const flake = makeStandInFlake({ demo: {} });
    const { dataDir, profile } = rebuildDirs('test');
    const run = await startRun({
      dataDir,
      repo: flake.dir,
      host: 'demo',
      action: 'test',
      profile,
      confirm: 'yes',
      env,
    });
    const events = collectEvents(run);
    expect(await run.done).toMatchObject({ status: 'succeeded', generation: null });
    expect(flake.calls()).toEqual(['switch-to-configuration test']);
    expect(fs.existsSync(profile)).toBe(false);
    expect(phases(events)).not.toContain('set-profile:started');
  });

  it('build stops after validating and the out-link stays under the data dir', async () => {
    const flake = makeStandInFlake({ demo: {} });
    const { dataDir, profile } = rebuildDirs('build');
    const run = await startRun({
      dataDir,
      repo: flake.dir,
      host: 'demo',
      action: 'build',
      profile,
      confirm: 'ask',
      env,
    });
    const result = await run.done;
    expect(result).toMatchObject({ status: 'succeeded', generation: null });
    expect(fs.realpathSync(path.join(dataDir, 'runs', run.id, 'result'))).toBe(result.storePath);
    expect(flake.calls()).toEqual([]);
    expect(fs.existsSync(profile)).toBe(false);
  });

  it('dry-build says what would be built and builds nothing', async () => {
    const flake = makeStandInFlake({ demo: { steps: [{ name: 'never-built-1.0' }] } });
    const { dataDir, profile } = rebuildDirs('dry');
    const run = await startRun({
      dataDir,
      repo: flake.dir,
      host: 'demo',
      action: 'dry-build',
      profile,
      confirm: 'ask',
      env,
    });
    expect(await run.done).toMatchObject({ status: 'succeeded', storePath: null });
    const screen = stripAnsi(terminalText(run));
    expect(screen).toMatch(/these 2 derivations will be built:/);
    expect(screen).toMatch(/never-built-1\.0\.drv/);
    expect(screen).toContain('2 derivation(s) would be built');
    expect(fs.existsSync(path.join(dataDir, 'runs', run.id, 'result'))).toBe(false);
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
    const first = await startRun({
      dataDir,
      repo: flake.dir,
      host: 'ok',
      action: 'switch',
      profile,
      confirm: 'yes',
      env,
    });
    const before = (await first.done).storePath;
    const run = await startRun({
      dataDir,
      repo: flake.dir,
      host: 'demo',
      action: 'switch',
      profile,
      confirm: 'yes',
      env,
    });
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
