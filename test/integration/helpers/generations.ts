import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from './cli';

/** Offline Nix as root on a machine without the nixbld group: no sandbox, no substituters. */
export const NIX_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  NIX_CONFIG:
    'experimental-features = nix-command flakes\nsandbox = false\nsubstituters =\nbuild-users-group =\n',
};

export interface StandInGeneration {
  kind?: 'nixos' | 'nix-darwin' | 'home-manager';
  /** The NixOS version label (`nixos-version`), part of the store name. */
  label: string;
  packages?: string[];
  revision?: string;
  kernel?: string;
  host?: string;
  nonce?: string;
  /** NixOS: names of specialisations, each `specialisation/<name>` → a stand-in toplevel. */
  specialisations?: string[];
}

const GENERATIONS_NIX = path.join(repoRoot, 'test/fixtures/generations/generations.nix');

/** Builds stand-in generations with real `nix-build`; returns their store paths in order. */
export function buildGenerations(specs: StandInGeneration[]): string[] {
  const out = execFileSync(
    'nix-build',
    [GENERATIONS_NIX, '--no-out-link', '--argstr', 'spec', JSON.stringify(specs)],
    { env: NIX_ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return out.trim().split('\n');
}

/** `nix-env -p PROFILE --set` for each path in turn: each one a new generation. */
export function setProfile(profile: string, storePaths: string[]): void {
  fs.mkdirSync(path.dirname(profile), { recursive: true });
  for (const storePath of storePaths) {
    execFileSync('nix-env', ['-p', profile, '--set', storePath], { env: NIX_ENV, stdio: 'pipe' });
  }
}

/** The generation the profile points at, as Nix sees it (`system` → `system-3-link` → 3). */
export function currentNumber(profile: string): number {
  return Number(/-(\d+)-link$/.exec(fs.readlinkSync(profile))?.[1]);
}
