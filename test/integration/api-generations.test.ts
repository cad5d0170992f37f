import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../common';
import { createApi } from '../../main/api';
import { getRun } from '../../main/core/rebuild';
import { makeStandInFlake, standInEnv } from '../helpers/stand-in-flake';
import { tempDir } from './helpers/cli';
import { buildGenerations, currentNumber, NIX_ENV, setProfile } from './helpers/generations';

async function value<T>(result: Promise<{ ok: true; value: T } | { ok: false; error: unknown }>) {
  const settled = await result;
  if (!settled.ok) throw new Error(JSON.stringify(settled.error));
  return settled.value;
}

describe('a switch started from the app', () => {
  it('is on trial: unconfirmed, it goes back to the generation before it', async () => {
    Object.assign(process.env, standInEnv(), { NIXSTRAP_RUN_DIR: tempDir('run') });
    const root = tempDir('api-generations');
    const profile = path.join(root, 'profiles', 'system');
    fs.mkdirSync(path.dirname(profile));
    const dataDir = path.join(root, 'data');
    const api = createApi({ shell: 'browser', dataDir, profile, keepSeconds: 1 });
    const flake = makeStandInFlake({ demo: { label: '25.05.1' } });

    const switchTo = async (label: string) => {
      flake.update({ demo: { label } });
      const { runId } = await value(api.invoke('rebuild.start', { repo: flake.dir, host: 'demo' }));
      const run = getRun(dataDir, runId);
      if (!run) throw new Error('the run is not registered');
      const asked = new Promise<void>((resolve) =>
        run.onEvent((event: RunEvent) => event.type === 'confirm' && resolve()),
      );
      await asked;
      await value(api.invoke('rebuild.confirm', { runId, proceed: true }));
      return run.done;
    };

    expect((await switchTo('25.05.1')).status).toBe('succeeded');
    // The first generation has nothing before it to go back to: no trial.
    expect((await value(api.invoke('generations.pending', {}))).pending).toEqual([]);
    expect((await switchTo('25.05.2')).status).toBe('succeeded');
    // The trial starts as the run ends, on the API's side of the run.
    let pending = (await value(api.invoke('generations.pending', {}))).pending;
    while (!pending.length) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      pending = (await value(api.invoke('generations.pending', {}))).pending;
    }
    const [trial] = pending;
    expect(trial).toMatchObject({ profile, generation: 2, revertTo: 1 });

    // Nobody keeps it: the API starts the revert as a run of its own; wait for that run.
    const started = Date.now();
    let listed = await value(api.invoke('generations.list', {}));
    while (!listed.reverted) {
      if (Date.now() - started > 30_000) throw new Error('the trial never reverted');
      await new Promise((resolve) => setTimeout(resolve, 100));
      listed = await value(api.invoke('generations.list', {}));
    }
    expect((await getRun(dataDir, listed.reverted.runId)?.done)?.status).toBe('succeeded');
    expect(currentNumber(profile)).toBe(1);
    listed = await value(api.invoke('generations.list', {}));
    expect(listed.pending).toBeNull();
    expect(listed.reverted).toMatchObject({ generation: 2, revertTo: 1 });
    expect(listed.generations.map((g) => [g.number, g.current, g.runId !== null])).toEqual([
      [2, false, true],
      [1, true, true],
    ]);
    expect(flake.calls()).toEqual([
      'switch-to-configuration switch',
      'switch-to-configuration switch',
      'switch-to-configuration switch',
    ]);

    // A page opened now learns of the revert from the poll every screen makes.
    const polled = await value(api.invoke('generations.pending', {}));
    expect(polled.reverted).toEqual([{ profile, ...listed.reverted }]);
    // Once the profile moves on, the revert is history, not news.
    execFileSync('nix-env', ['-p', profile, '--switch-generation', '2'], { env: standInEnv() });
    expect((await value(api.invoke('generations.pending', {}))).reverted).toEqual([]);
  });
});

describe('a generation tried until the next reboot from the app', () => {
  it('is on trial: unconfirmed, what ran before runs again, and the profile never moves', async () => {
    const runDir = tempDir('run');
    const saved = { ...process.env };
    Object.assign(process.env, NIX_ENV, {
      NIXSTRAP_RUN_DIR: runDir,
      STANDIN_ACTIVATION_DIR: runDir,
    });
    try {
      const root = tempDir('api-generations-test');
      const profile = path.join(root, 'profiles', 'system');
      const stores = buildGenerations([
        { label: '25.05.1', packages: ['hello-2.12'] },
        { label: '25.05.2', packages: ['hello-2.13'] },
      ]);
      setProfile(profile, stores);
      fs.symlinkSync(stores[1] as string, path.join(runDir, 'current-system'));
      const dataDir = path.join(root, 'data');
      const api = createApi({ shell: 'browser', dataDir, profile, keepSeconds: 1 });
      const running = () => fs.realpathSync(path.join(runDir, 'current-system'));

      const { runId } = await value(
        api.invoke('generations.rollback', { to: 1, action: 'test', keepSeconds: 1 }),
      );
      expect((await getRun(dataDir, runId)?.done)?.status).toBe('succeeded');
      expect(fs.readlinkSync(profile)).toBe('system-2-link');
      expect(running()).toBe(stores[0]);

      let listed = await value(api.invoke('generations.list', {}));
      const started = Date.now();
      while (!listed.reverted) {
        if (Date.now() - started > 30_000) throw new Error('the trial never reverted');
        if (listed.pending) {
          expect(listed.pending).toMatchObject({
            generation: 1,
            revertTo: 2,
            revertAction: 'test',
          });
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
        listed = await value(api.invoke('generations.list', {}));
      }
      expect((await getRun(dataDir, listed.reverted.runId)?.done)?.status).toBe('succeeded');
      // Going back tried generation 2 again; a switch would have re-pointed the profile.
      expect(fs.readFileSync(path.join(runDir, 'calls'), 'utf8').trim().split('\n')).toEqual([
        `nixos test ${stores[0]}`,
        `nixos test ${stores[1]}`,
      ]);
      expect(fs.readlinkSync(profile)).toBe('system-2-link');
      expect(running()).toBe(stores[1]);
      listed = await value(api.invoke('generations.list', {}));
      expect(listed.generations.map((g) => [g.number, g.current, g.running])).toEqual([
        [2, true, true],
        [1, false, false],
      ]);
    } finally {
      for (const key of Object.keys(process.env)) {
        if (!(key in saved)) delete process.env[key];
      }
      Object.assign(process.env, saved);
    }
  });
});
