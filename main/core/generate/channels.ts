/**
 * The releases a generated repo follows. A NixOS release bump is an edit to this file only:
 * flake inputs, `system.stateVersion` for new machines and Home Manager's state version all
 * read from here.
 */
export interface Channel {
  /** nixpkgs branch, also the NixOS release of a machine that is not NixOS yet. */
  nixpkgs: string;
  /** `system.stateVersion` for a machine installed from this channel. */
  release: string;
  homeManager: string;
  nixDarwin: string;
}

export type ChannelName = 'stable' | 'unstable';

export const CHANNELS: Readonly<Record<ChannelName, Channel>> = {
  stable: {
    nixpkgs: 'nixos-26.05',
    release: '26.05',
    homeManager: 'release-26.05',
    nixDarwin: 'nix-darwin-26.05',
  },
  unstable: {
    nixpkgs: 'nixos-unstable',
    release: '26.11',
    homeManager: 'master',
    nixDarwin: 'master',
  },
};

/** nix-darwin's `system.stateVersion` for a new machine: an integer, not a release. */
export const DARWIN_STATE_VERSION = 6;

/** A channel by name, or the exact releases an existing repo follows. */
export type ChannelChoice = ChannelName | Channel;

export function resolveChannel(choice: ChannelChoice): Channel {
  return typeof choice === 'string' ? CHANNELS[choice] : choice;
}

/**
 * The releases an existing repo's flake follows, read from its nixpkgs URL: a host added to it
 * must use the Home Manager state versions and input branches of that release, not ours.
 * Null when the URL names no release Nixstrap recognises.
 */
export function channelOfFlake(flakeSource: string): Channel | null {
  const branch = /github:nixos\/nixpkgs\/([\w.-]+)/i.exec(flakeSource)?.[1];
  if (branch === undefined) return null;
  if (/^(nixos-unstable|nixpkgs-unstable|master)$/.test(branch)) return CHANNELS.unstable;
  const release = /^(?:nixos|nixpkgs)-(\d{2}\.\d{2})(?:-darwin)?$/.exec(branch)?.[1];
  if (release === undefined) return null;
  return {
    nixpkgs: branch,
    release,
    homeManager: `release-${release}`,
    nixDarwin: `nix-darwin-${release}`,
  };
}
