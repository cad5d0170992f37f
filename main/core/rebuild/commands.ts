import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NixstrapFailure, type RebuildAction, type TargetKind } from '../../../common';
import { readSpecialisations } from '../ledger/generation-contents';
import { nixAttrName, nixString } from '../nix';

/** What decides how activation runs here: who we are, what PID 1 is, whether this is WSL. */
export interface Platform {
  uid: number;
  /** The name of PID 1 (`systemd` on a booted NixOS), null where unreadable (macOS). */
  pid1: string | null;
  wsl: boolean;
}

function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return null;
  }
}

export function readPlatform(): Platform {
  return {
    uid: process.getuid?.() ?? -1,
    pid1: readText('/proc/1/comm'),
    wsl:
      fs.existsSync('/proc/sys/fs/binfmt_misc/WSLInterop') ||
      /microsoft/i.test(readText('/proc/sys/kernel/osrelease') ?? ''),
  };
}

/** Actions each kind of target knows: nix-darwin has no test or boot, Home Manager no boot. */
const ACTIONS: Record<TargetKind, readonly RebuildAction[]> = {
  nixos: ['build', 'dry-build', 'test', 'switch', 'boot'],
  'nix-darwin': ['build', 'dry-build', 'switch'],
  'home-manager': ['build', 'dry-build', 'test', 'switch'],
};

export function checkAction(kind: TargetKind, action: RebuildAction): void {
  if (ACTIONS[kind].includes(action)) return;
  throw new NixstrapFailure(
    'USAGE',
    `A ${kind} configuration has no \`${action}\` action.`,
    `Use one of: ${ACTIONS[kind].join(', ')}.`,
  );
}

/** The flake attribute that builds the target's system (or Home Manager generation). */
export function flakeAttribute(kind: TargetKind, host: string, user?: string): string {
  switch (kind) {
    case 'nixos':
      return `nixosConfigurations.${nixAttrName(host)}.config.system.build.toplevel`;
    case 'nix-darwin':
      return `darwinConfigurations.${nixAttrName(host)}.system`;
    case 'home-manager':
      return `homeConfigurations.${nixString(`${user ?? os.userInfo().username}@${host}`)}.activationPackage`;
  }
}

/**
 * `nix build` with the records Nixstrap reads and an out-link the run keeps; no `--option`
 * of our own, so the user's nix.conf and NIX_CONFIG decide everything else.
 */
export function buildArgv(
  repo: string,
  attribute: string,
  action: RebuildAction,
  outLink: string,
): string[] {
  const target = action === 'dry-build' ? ['--dry-run'] : ['--out-link', outLink];
  return ['nix', 'build', `${repo}#${attribute}`, '--log-format', 'internal-json', '-v', ...target];
}

/** The system profile, or the user's Home Manager profile where Home Manager looks for it. */
export function defaultProfile(kind: TargetKind, env: NodeJS.ProcessEnv): string {
  if (kind !== 'home-manager') return '/nix/var/nix/profiles/system';
  const state = env.XDG_STATE_HOME || path.join(os.homedir(), '.local', 'state');
  const profiles = path.join(state, 'nix', 'profiles');
  if (fs.existsSync(profiles)) return path.join(profiles, 'home-manager');
  const user = env.USER || os.userInfo().username;
  return `/nix/var/nix/profiles/per-user/${user}/home-manager`;
}

/** Files a build result must have to be activated as this kind of target. */
export function missingSystemFiles(kind: TargetKind, storePath: string): string[] {
  const required =
    kind === 'nixos' ? ['bin/switch-to-configuration', 'nixos-version'] : ['activate'];
  return required.filter((file) => !fs.existsSync(path.join(storePath, file)));
}

/**
 * Whether a command run as root here would wait for a password nobody may be there to type:
 * false for root, and for sudo that needs none (NOPASSWD, or a timestamp still fresh).
 */
export function rootNeedsPassword(platform: Platform, env: NodeJS.ProcessEnv): boolean {
  if (platform.uid === 0) return false;
  return spawnSync('sudo', ['-n', 'true'], { env, stdio: 'ignore', timeout: 10_000 }).status !== 0;
}

/** Runs as root through sudo, in the run's terminal so the user answers the prompt there. */
function elevated(argv: string[], needed: boolean): string[] {
  return needed ? ['sudo', ...argv] : argv;
}

function writable(dir: string): boolean {
  try {
    fs.accessSync(dir, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** A system profile needs root unless we are root or may write its folder; Home Manager's never. */
function profileNeedsRoot(kind: TargetKind, profile: string, platform: Platform): boolean {
  return kind !== 'home-manager' && platform.uid !== 0 && !writable(path.dirname(profile));
}

/**
 * Whether an action's commands go through sudo here: setting a profile whose folder only root
 * may write, or activating a system (NixOS, nix-darwin) as a user who is not root.
 */
export function actionNeedsRoot(
  kind: TargetKind,
  action: RebuildAction,
  profile: string,
  platform: Platform,
): boolean {
  if (action === 'build' || action === 'dry-build') return false;
  if (action !== 'test' && profileNeedsRoot(kind, profile, platform)) return true;
  return kind !== 'home-manager' && platform.uid !== 0;
}

/** `nix-env -p PROFILE --set OUT`: a new generation (none when OUT is already the newest). */
export function setProfileArgv(
  kind: TargetKind,
  profile: string,
  storePath: string,
  platform: Platform,
): string[] {
  return elevated(
    ['nix-env', '-p', profile, '--set', storePath],
    profileNeedsRoot(kind, profile, platform),
  );
}

/** `nix-env -p PROFILE --switch-generation N`: re-points the profile under Nix's lock (a rollback). */
export function switchGenerationArgv(
  kind: TargetKind,
  profile: string,
  generation: number,
  platform: Platform,
): string[] {
  return elevated(
    ['nix-env', '-p', profile, '--switch-generation', String(generation)],
    profileNeedsRoot(kind, profile, platform),
  );
}

/** `nix-env -p PROFILE --delete-generations N M …`: removes those links under Nix's lock. */
export function deleteGenerationsArgv(
  kind: TargetKind | null,
  profile: string,
  generations: number[],
  platform: Platform,
): string[] {
  return elevated(
    ['nix-env', '-p', profile, '--delete-generations', ...generations.map(String)],
    profileNeedsRoot(kind ?? 'nixos', profile, platform),
  );
}

/**
 * Activation as nixos-rebuild-ng does it: switch-to-configuration under systemd-run when
 * systemd is PID 1 (so it survives a closed terminal), directly otherwise; nix-darwin's
 * `activate` as root; Home Manager's `activate` as the user.
 */
export function activationArgv(
  kind: TargetKind,
  storePath: string,
  action: 'switch' | 'boot' | 'test',
  platform: Platform,
): string[] {
  const sudo = platform.uid !== 0;
  if (kind === 'home-manager') return [path.join(storePath, 'activate'), '--driver-version', '1'];
  if (kind === 'nix-darwin') return elevated([path.join(storePath, 'activate')], sudo);
  const command = [path.join(storePath, 'bin', 'switch-to-configuration'), action];
  if (platform.pid1 !== 'systemd') return elevated(command, sudo);
  return elevated(
    [
      'systemd-run',
      '-E',
      'LOCALE_ARCHIVE',
      '-E',
      'NIXOS_INSTALL_BOOTLOADER',
      '-E',
      'NIXOS_NO_CHECK',
      '--collect',
      '--no-ask-password',
      '--pipe',
      '--quiet',
      '--service-type=exec',
      '--unit=nixos-rebuild-switch-to-configuration',
      ...command,
    ],
    sudo,
  );
}

/** The generation a profile points at (`system-42-link` → 42), null when it has none. */
export function currentGeneration(profile: string): number | null {
  try {
    const match = /-(\d+)-link$/.exec(fs.readlinkSync(profile));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/**
 * The specialisation of the profile's generation that runs now (`/run/current-system` is its own
 * toplevel), or null when the base configuration, or something else, runs.
 */
export function runningSpecialisation(profile: string, runDir: string): string | null {
  const running = resolvedStorePath(path.join(runDir, 'current-system'));
  const current = resolvedStorePath(profile);
  if (!running || !current || running === current) return null;
  const found = Object.entries(readSpecialisations(current)).find(([, p]) => p === running);
  return found?.[0] ?? null;
}

/** The store path a profile (or out-link) points at, null when absent. */
export function resolvedStorePath(link: string): string | null {
  try {
    return fs.realpathSync(link);
  } catch {
    return null;
  }
}
