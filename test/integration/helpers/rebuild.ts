import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { RunEvent } from '../../../common';
import { type RebuildRun, type StartRunOptions, startRun } from '../../../main/core/rebuild';
import { type StandInFlake, standInEnv } from '../../helpers/stand-in-flake';
import { tempDir } from './cli';

/** A data dir and a profile folder that exists (nix-env needs it), both temporary. */
export function rebuildDirs(prefix: string): { dataDir: string; profile: string } {
  const root = tempDir(prefix);
  const profiles = path.join(root, 'profiles');
  fs.mkdirSync(profiles);
  return { dataDir: path.join(root, 'data'), profile: path.join(profiles, 'system') };
}

/** Every event of a run so far, and the ones to come, in order. */
export function collectEvents(run: RebuildRun): RunEvent[] {
  const events: RunEvent[] = [];
  run.onEvent((event) => events.push(event));
  return events;
}

/** Resolves with the first event (replayed or new) that matches. */
export function waitForEvent<T extends RunEvent>(
  run: RebuildRun,
  match: (event: RunEvent) => event is T,
): Promise<T>;
export function waitForEvent(
  run: RebuildRun,
  match: (event: RunEvent) => boolean,
): Promise<RunEvent>;
export function waitForEvent(run: RebuildRun, match: (event: RunEvent) => boolean) {
  return new Promise<RunEvent>((resolve) => {
    const stop = run.onEvent((event) => {
      if (!match(event)) return;
      queueMicrotask(() => stop());
      resolve(event);
    });
  });
}

/** The terminal stream from the start, as one string. */
export function terminalText(run: RebuildRun): string {
  let text = '';
  run.onTerminal((chunk) => {
    text += chunk;
  })();
  return text;
}

/** The generations of a real profile as nix-env lists them: `[number, current]` pairs. */
export function listGenerations(profile: string): { number: number; current: boolean }[] {
  if (!fs.existsSync(profile)) return [];
  const out = execFileSync('nix-env', ['-p', profile, '--list-generations'], { encoding: 'utf8' });
  return out
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => ({
      number: Number(line.trim().split(/\s+/)[0]),
      current: /\(current\)/.test(line),
    }));
}

/**
 * A run of the stand-in flake's host `demo` into the test's own profile and data dir, as the
 * pipeline tests start them: switch, confirmed, with the stand-in Nix settings; `options`
 * changes what a test is about.
 */
export function standInRun(
  flake: StandInFlake,
  dirs: { dataDir: string; profile: string },
  options: Partial<StartRunOptions> = {},
): Promise<RebuildRun> {
  return startRun({
    ...dirs,
    repo: flake.dir,
    host: 'demo',
    action: 'switch',
    confirm: 'yes',
    env: standInEnv(),
    ...options,
  });
}
