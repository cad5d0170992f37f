import type { ReleaseName } from '../../common/answers';
import type { Stubs } from './evaluate';

type Package = { __package: { name: string; pname: string; unfree?: boolean; insecure?: boolean } };
const pkg = (name: string, flags: { unfree?: boolean; insecure?: boolean } = {}): Package => ({
  __package: { name, pname: name, ...flags },
});

/** The packages the templates name, by attribute; a new one must be added here to evaluate. */
const PACKAGE_NAMES = [
  'btop',
  'cargo',
  'clippy',
  'curl',
  'fd',
  'ffmpeg',
  'file',
  'fish',
  'gcc',
  'gdb',
  'gh',
  'git',
  'gnumake',
  'go',
  'gopls',
  'htop',
  'imagemagick',
  'intel-media-driver',
  'intel-vaapi-driver',
  'jdk',
  'jq',
  'nil',
  'nix-tree',
  'nixfmt',
  'nmap',
  'nodejs',
  'pandoc',
  'python3',
  'ripgrep',
  'rust-analyzer',
  'rustc',
  'rustfmt',
  'shellcheck',
  'tree',
  'unzip',
  'uv',
  'wget',
  'yt-dlp',
  'zsh',
];

/** Unfree packages the checker knows, so it can ask each allowUnfreePredicate about them. */
const UNFREE_NAMES = ['nvidia-x11', 'nvidia-settings', 'prl-tools', 'vscode', 'broadcom-sta'];

const PKGS = {
  ...Object.fromEntries(PACKAGE_NAMES.map((name) => [name, pkg(name)])),
  stdenv: { hostPlatform: { isx86_64: true } },
};

/**
 * The config values the templates read (lib.mkIf conditions, defaults that follow another
 * option), typed as upstream declares them. `config.boot.kernelPackages` answers with the
 * kernel packages the generator may name: NVIDIA's drivers, and broadcom_sta, which nixpkgs
 * marks insecure.
 */
function nixosConfig(secretNames: readonly string[]) {
  return {
    hardware: { enableRedistributableFirmware: true },
    boot: {
      initrd: { systemd: { enable: false } },
      kernelPackages: {
        nvidiaPackages: {
          stable: pkg('nvidia-x11', { unfree: true }),
          legacy_580: pkg('nvidia-x11', { unfree: true }),
        },
        broadcom_sta: pkg('broadcom-sta', { unfree: true, insecure: true }),
      },
    },
    virtualisation: { podman: { enable: true }, docker: { enable: true } },
    services: {
      tailscale: { enable: true, port: 41641 },
      desktopManager: { gnome: { enable: true }, plasma6: { enable: true } },
    },
    sops: {
      secrets: Object.fromEntries(
        secretNames.map((name) => [name, { path: `/run/secrets/${name}` }]),
      ),
    },
  };
}

export function stubsFor(secretNames: readonly string[]): {
  nixos: Stubs;
  darwin: Stubs;
  home: Stubs;
} {
  const base = { pkgs: PKGS, unfreeNames: UNFREE_NAMES };
  return {
    nixos: { ...base, config: nixosConfig(secretNames) },
    darwin: { ...base, config: { nix: { enable: true } } },
    home: { ...base, config: {} },
  };
}

/**
 * The flake input URLs each release must pin: NixOS-WSL's branch for the pinned NixOS, and a
 * tagged nixos-apple-silicon release rather than its moving main branch.
 */
export const INPUT_URLS: Readonly<Record<ReleaseName, Readonly<Record<string, string>>>> = {
  stable: {
    nixpkgs: 'github:NixOS/nixpkgs/nixos-26.05',
    'home-manager': 'github:nix-community/home-manager/release-26.05',
    'nix-darwin': 'github:nix-darwin/nix-darwin/nix-darwin-26.05',
    'nixos-wsl': 'github:nix-community/NixOS-WSL/release-26.05',
    'nixos-apple-silicon': 'github:nix-community/nixos-apple-silicon/release-2026-07-30',
    'nixos-hardware': 'github:NixOS/nixos-hardware/master',
    'sops-nix': 'github:Mic92/sops-nix',
  },
  unstable: {
    nixpkgs: 'github:NixOS/nixpkgs/nixos-unstable',
    'home-manager': 'github:nix-community/home-manager/master',
    'nix-darwin': 'github:nix-darwin/nix-darwin/master',
    'nixos-wsl': 'github:nix-community/NixOS-WSL/main',
    'nixos-apple-silicon': 'github:nix-community/nixos-apple-silicon/release-2026-07-30',
    'nixos-hardware': 'github:NixOS/nixos-hardware/master',
    'sops-nix': 'github:Mic92/sops-nix',
  },
};
