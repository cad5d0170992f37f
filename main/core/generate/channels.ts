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
