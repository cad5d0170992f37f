import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from '@playwright/test';
import { startRun } from '../../main/core/rebuild';
import {
  makeStandInFlake,
  STAND_IN_NIX_CONFIG,
  type StandInFlake,
  type StandInHost,
  type StandInInputs,
} from '../helpers/stand-in-flake';

/** The variables a machine made here sets for its switches and the servers started after them. */
const STAND_IN_ENV = ['NIX_CONFIG', 'NIXSTRAP_RUN_DIR', 'STANDIN_ACTIVATION_DIR'] as const;

/**
 * Those variables as they are now; the function returned puts them back. A worker runs other
 * spec files after this one, whose servers must not inherit its stand-in /run (a later rebuild
 * then measured its changes against a system another test had switched to).
 */
export function keepStandInEnv(): () => void {
  const before = STAND_IN_ENV.map((name) => [name, process.env[name]] as const);
  return () => {
    for (const [name, value] of before) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}

export interface MachineWithGenerations {
  /** The test's own temporary folder, holding all below. */
  root: string;
  profile: string;
  dataDir: string;
  /** The stand-in /run (current-system, booted-system), as NIXSTRAP_RUN_DIR names it. */
  runDir: string;
  flake: StandInFlake;
}

export interface GenerationsOptions {
  /** The temporary folder's name starts with it. */
  prefix: string;
  /** One real switch of the stand-in flake's host `demo` each, in order: generation 1 first. */
  hosts: StandInHost[];
  /** The flake's folder inside the root; none: a temporary folder of its own. */
  flakeFolder?: string;
  inputs?: StandInInputs;
  /**
   * The stand-in activation points the stand-in /run's current-system as NixOS's does, so what
   * runs follows each switch.
   */
  runningMoves?: boolean;
  /** Called before each switch, with the switch's index, once the flake is made. */
  beforeSwitch?: (index: number, flake: StandInFlake) => void;
}

/**
 * A profile with generations made by real switches (Nix builds the stand-in flake, `nix-env`
 * sets the profile, the stand-in activation runs), recorded in a data folder as Nixstrap's own
 * runs. Sets NIX_CONFIG and NIXSTRAP_RUN_DIR for them and for the servers started after them:
 * pair it with keepStandInEnv.
 */
export async function profileWithGenerations(
  options: GenerationsOptions,
): Promise<MachineWithGenerations> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), options.prefix));
  const profile = path.join(root, 'profiles', 'system');
  // Nix makes no folder for a profile: it must be there before the first `nix-env -p`.
  fs.mkdirSync(path.dirname(profile));
  const dataDir = path.join(root, 'data');
  const runDir = path.join(root, 'run');
  fs.mkdirSync(runDir);
  // Nix as this machine has it (no nixbld group), for the switches here and for the server.
  process.env.NIX_CONFIG = STAND_IN_NIX_CONFIG;
  process.env.NIXSTRAP_RUN_DIR = runDir;
  if (options.runningMoves) process.env.STANDIN_ACTIVATION_DIR = runDir;
  else delete process.env.STANDIN_ACTIVATION_DIR;
  const [first] = options.hosts;
  if (!first) throw new Error('profileWithGenerations needs at least one host to switch to');
  const flake = makeStandInFlake(
    { demo: first },
    {
      ...(options.flakeFolder ? { dir: path.join(root, options.flakeFolder) } : {}),
      ...(options.inputs ? { inputs: options.inputs } : {}),
    },
  );
  for (const [index, host] of options.hosts.entries()) {
    options.beforeSwitch?.(index, flake);
    flake.update({ demo: host });
    const run = await startRun({
      dataDir,
      repo: flake.dir,
      host: 'demo',
      action: 'switch',
      profile,
      confirm: 'yes',
    });
    expect((await run.done).status).toBe('succeeded');
  }
  return { root, profile, dataDir, runDir, flake };
}
