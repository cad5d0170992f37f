import type { ReleaseName } from '../../../common/answers';

/**
 * A nixpkgs release a generated repo follows, with the branches and versions of the projects
 * pinned beside it. A NixOS release bump is an edit to this file only: flake inputs,
 * `system.stateVersion` for new machines, Home Manager's and nix-darwin's state versions and
 * the options that differ between releases all read from here.
 */
export interface Release {
  /** nixpkgs branch. */
  nixpkgs: string;
  /** The NixOS version: `system.stateVersion` and `home.stateVersion` of a new machine. */
  version: string;
  homeManager: string;
  nixDarwin: string;
  /** NixOS-WSL keeps a branch per NixOS release; `main` follows unstable. */
  nixosWsl: string;
  /** nix-darwin's `system.maxStateVersion` on this branch, which a new Mac should use. */
  darwinStateVersion: number;
  /** nixpkgs 26.11 replaced `services.journald.extraConfig` with `settings.Journal`. */
  journaldSettings: boolean;
  /** nixpkgs 26.05 is the last release that builds for Intel Macs (x86_64-darwin). */
  intelMacs: boolean;
}

export const RELEASES: Readonly<Record<ReleaseName, Release>> = {
  stable: {
    nixpkgs: 'nixos-26.05',
    version: '26.05',
    homeManager: 'release-26.05',
    nixDarwin: 'nix-darwin-26.05',
    nixosWsl: 'release-26.05',
    darwinStateVersion: 7,
    journaldSettings: false,
    intelMacs: true,
  },
  unstable: {
    nixpkgs: 'nixos-unstable',
    version: '26.11',
    homeManager: 'master',
    nixDarwin: 'master',
    nixosWsl: 'main',
    darwinStateVersion: 7,
    journaldSettings: true,
    intelMacs: false,
  },
};

/**
 * nixos-apple-silicon has no release branches that track NixOS; its dated release tags are
 * the states whose kernel was built and cached against the nixpkgs it follows itself.
 */
export const APPLE_SILICON_RELEASE = 'release-2026-07-30';

/** A release by name, or the exact releases an existing repo follows. */
export type ReleaseChoice = ReleaseName | Release;

export function resolveRelease(choice: ReleaseChoice): Release {
  return typeof choice === 'string' ? RELEASES[choice] : choice;
}

/**
 * NixOS-WSL's branch for a NixOS release: a `release-` branch from 24.11 on, before that the
 * last tag made for the release.
 */
function nixosWslRefOf(version: string): string {
  if (version >= '24.11') return `release-${version}`;
  const tags: Readonly<Record<string, string>> = { '23.11': '2311.5.3', '24.05': '2405.5.4' };
  return tags[version] ?? 'main';
}

/** nix-darwin's newest state version on the branch of a NixOS release. */
function darwinStateVersionOf(version: string): number {
  if (version >= '26.05') return 7;
  if (version >= '25.05') return 6;
  return 5;
}

/**
 * The releases an existing repo's flake follows, read from its nixpkgs URL: a host added to it
 * must use the Home Manager state versions and input branches of that release, not ours.
 * Null when the URL names no release Nixstrap recognises.
 */
export function releaseOfFlake(flakeSource: string): Release | null {
  const branch = /github:nixos\/nixpkgs\/([\w.-]+)/i.exec(flakeSource)?.[1];
  if (branch === undefined) return null;
  if (/^(nixos-unstable|nixpkgs-unstable|master)$/.test(branch)) return RELEASES.unstable;
  const version = /^(?:nixos|nixpkgs)-(\d{2}\.\d{2})(?:-darwin)?$/.exec(branch)?.[1];
  if (version === undefined) return null;
  return {
    nixpkgs: branch,
    version,
    homeManager: `release-${version}`,
    nixDarwin: `nix-darwin-${version}`,
    nixosWsl: nixosWslRefOf(version),
    darwinStateVersion: darwinStateVersionOf(version),
    journaldSettings: version >= '26.11',
    intelMacs: version <= '26.05',
  };
}
