/** One file of a generated repo. */
export interface GeneratedFile {
  /** Relative to the repo root, with forward slashes. */
  path: string;
  content: string;
  /**
   * `machine`: regenerated from detection (hardware-configuration.nix); `nixstrap`: shared
   * scaffolding; `user`: files the owner is expected to edit.
   */
  owner: 'machine' | 'nixstrap' | 'user';
}

/** Flake inputs, in the order flake.nix lists them. */
export const INPUT_NAMES = [
  'nixpkgs',
  'home-manager',
  'nix-darwin',
  'nixos-hardware',
  'nixos-wsl',
  'nixos-apple-silicon',
  'sops-nix',
] as const;
export type InputName = (typeof INPUT_NAMES)[number];

export type { HostKind } from '../../../common/plan';
