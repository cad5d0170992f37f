import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NixstrapFailure } from '../../common';
import { listRuns } from '../../main/core/rebuild';
import { acquireRunLock } from '../../main/core/rebuild/lock';
import { stripAnsi } from '../../main/core/rebuild/text';
import { makeStandInFlake, standInEnv } from '../helpers/stand-in-flake';
import {
  collectEvents,
  rebuildDirs,
  standInRun,
  terminalText,
  waitForEvent,
} from './helpers/rebuild';

function slowFlake() {
  return makeStandInFlake({
    demo: { steps: [{ name: 'slow-1.0', lines: ['started the slow part'], sleepSeconds: 120 }] },
  });
}

describe('cancelling a run', () => {
  it('stops a build mid-way: Nix is interrupted, the run is cancelled, the profile untouched', async () => {
    const flake = slowFlake();
    const { dataDir, profile } = rebuildDirs('cancel');
    const run = await standInRun(flake, { dataDir, profile });
    const events = collectEvents(run);
    await waitForEvent(run, (e) => e.type === 'output' && e.text.includes('started the slow part'));
    const asked = Date.now();
    run.cancel();
    const result = await run.done;
    expect(Date.now() - asked).toBeLessThan(20_000);
    expect(result).toMatchObject({ status: 'cancelled', generation: null });
    expect(result.explanation?.kind).toBe('cancelled');
    expect(events.filter((e) => e.type === 'phase').map((e) => e.phase)).toEqual([
      'build',
      'build',
    ]);
    expect(fs.existsSync(profile)).toBe(false);
    expect(flake.calls()).toEqual([]);
    expect(stripAnsi(terminalText(run))).toContain('Cancelling…');
    expect(listRuns(dataDir)[0]).toMatchObject({
      id: run.id,
      status: 'cancelled',
      error: { code: 'CANCELLED' },
    });
  });

  it("Ctrl-C typed into the run's terminal cancels it as the Cancel button does", async () => {
    const flake = slowFlake();
    const { dataDir, profile } = rebuildDirs('ctrl-c');
    const run = await standInRun(flake, { dataDir, profile });
    await waitForEvent(run, (e) => e.type === 'output' && e.text.includes('started the slow part'));
    run.write('\u0003');
    const result = await run.done;
    expect(result).toMatchObject({ status: 'cancelled', generation: null });
    expect(result.explanation).toMatchObject({
      kind: 'cancelled',
      message: 'The run was cancelled before it changed anything on this machine.',
    });
    expect(fs.existsSync(profile)).toBe(false);
    expect(listRuns(dataDir)[0]).toMatchObject({ id: run.id, status: 'cancelled' });
  });

  it('declining the confirmation leaves the built result and changes nothing', async () => {
    const flake = makeStandInFlake({ demo: {} });
    const { dataDir, profile } = rebuildDirs('decline');
    const run = await standInRun(flake, { dataDir, profile }, { confirm: 'ask' });
    await waitForEvent(run, (e) => e.type === 'confirm');
    run.confirm(false);
    const result = await run.done;
    expect(result).toMatchObject({ status: 'cancelled', generation: null });
    expect(result.storePath).toMatch(/-nixos-system-demo-/);
    expect(result.explanation?.kind).toBe('declined');
    expect(fs.existsSync(profile)).toBe(false);
    expect(flake.calls()).toEqual([]);
  });

  it('a cancel during activation says the machine may be partly switched, not unchanged', async () => {
    const flake = makeStandInFlake({
      demo: { activationLines: ['restarting units...'], activationSleepSeconds: 60 },
    });
    const { dataDir, profile } = rebuildDirs('cancel-activation');
    const run = await standInRun(flake, { dataDir, profile });
    await waitForEvent(run, (e) => e.type === 'output' && e.text.includes('restarting units...'));
    run.cancel();
    const result = await run.done;
    expect(result).toMatchObject({ status: 'cancelled', generation: 1 });
    expect(result.explanation).toMatchObject({
      kind: 'cancelled-activation',
      message:
        'The run was cancelled during activation: generation 1 is the boot default, and this machine may be running only part of it.',
      hint: 'Run it again to finish switching, or roll back to the generation before it.',
    });
    expect(fs.readlinkSync(profile)).toBe('system-1-link');
    expect(flake.calls()).toEqual(['switch-to-configuration switch']);
  });

  it('a cancel before activation says nothing on the machine changed', async () => {
    const flake = slowFlake();
    const { dataDir, profile } = rebuildDirs('cancel-before');
    const run = await standInRun(flake, { dataDir, profile });
    await waitForEvent(run, (e) => e.type === 'output' && e.text.includes('started the slow part'));
    run.cancel();
    expect((await run.done).explanation).toEqual({
      kind: 'cancelled',
      message: 'The run was cancelled before it changed anything on this machine.',
      hint: 'Start it again when ready.',
    });
  });

  it('a cancel that lands as the profile is set says the new generation was not activated', async () => {
    const flake = makeStandInFlake({ demo: {} });
    const { dataDir, profile } = rebuildDirs('cancel-set-profile');
    // nix-env takes the interrupt only after it has set the profile, as when the cancel comes
    // in its last moment: the run must tell of the generation, not of "nothing changed".
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'nixstrap-slow-nix-env-'));
    const real = execFileSync('sh', ['-c', 'command -v nix-env'], { encoding: 'utf8' }).trim();
    fs.writeFileSync(
      path.join(bin, 'nix-env'),
      `#!/bin/sh\ntrap '' INT TERM\necho "setting the profile"\nsleep 1\nexec ${real} "$@"\n`,
      { mode: 0o755 },
    );
    const env = standInEnv();
    const run = await standInRun(
      flake,
      { dataDir, profile },
      { env: { ...env, PATH: `${bin}:${env.PATH}` } },
    );
    await waitForEvent(run, (e) => e.type === 'output' && e.text.includes('setting the profile'));
    run.cancel();
    const result = await run.done;
    expect(result).toMatchObject({ status: 'cancelled', generation: 1 });
    expect(result.explanation).toEqual({
      kind: 'cancelled-activation',
      message:
        'The run was cancelled after setting the profile: generation 1 is the boot default, but it was not activated: this machine runs what it ran before.',
      hint: 'Run it again to switch to it now, or roll back to the generation before it to leave the boot default as it was.',
    });
    expect(fs.readlinkSync(profile)).toBe('system-1-link');
    expect(flake.calls()).toEqual([]);
  });

  it('cancel while the run waits for confirmation ends it at once', async () => {
    const flake = makeStandInFlake({ demo: {} });
    const { dataDir, profile } = rebuildDirs('cancel-confirm');
    const run = await standInRun(flake, { dataDir, profile }, { action: 'boot', confirm: 'ask' });
    await waitForEvent(run, (e) => e.type === 'confirm');
    run.cancel();
    expect(await run.done).toMatchObject({ status: 'cancelled' });
    expect(fs.existsSync(profile)).toBe(false);
  });
});

describe('one rebuild at a time per data folder', () => {
  it('refuses a second run while one is going, and allows it once the first has ended', async () => {
    const flake = slowFlake();
    const dirs = rebuildDirs('busy');
    const options = { action: 'build' } as const;
    const first = await standInRun(flake, dirs, options);
    const second = await standInRun(flake, dirs, options).catch((error: unknown) => error);
    expect(second).toBeInstanceOf(NixstrapFailure);
    expect((second as NixstrapFailure).error).toMatchObject({
      code: 'REBUILD_BUSY',
      message: expect.stringContaining(first.id),
      // The run is this process's own: a page that lost it is given what it needs to show it.
      busyRun: { runId: first.id, action: 'build', repo: flake.dir, host: 'demo' },
    });
    first.cancel();
    await first.done;
    const third = await standInRun(flake, dirs, { ...options, host: 'missing' });
    expect(await third.done).toMatchObject({ status: 'failed' });
    expect(listRuns(dirs.dataDir).map((r) => r.status)).toEqual(['failed', 'cancelled']);
  });

  it('sends a run held by another process to where it was started, with no cancel it cannot give', () => {
    const dirs = rebuildDirs('busy-elsewhere');
    fs.mkdirSync(dirs.dataDir, { recursive: true });
    const held = acquireRunLock(dirs.dataDir);
    try {
      const refusal = (() => {
        try {
          acquireRunLock(dirs.dataDir);
        } catch (error) {
          return error;
        }
      })();
      expect(refusal).toBeInstanceOf(NixstrapFailure);
      expect((refusal as NixstrapFailure).error).toMatchObject({
        code: 'REBUILD_BUSY',
        message: `Another rebuild (process ${process.pid}) is running with this data folder.`,
        hint: 'Wait for it to finish, or answer or cancel it in the terminal or Nixstrap window that started it; `nixstrap runs` lists it.',
      });
    } finally {
      held.release();
    }
  });
});
