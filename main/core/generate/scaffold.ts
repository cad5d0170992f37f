import { type FlakeHost, listedHosts } from './flake-hosts';
import { sortInputs } from './inputs';
import { HARDWARE_MODULES } from './machine';
import {
  APPLE_SILICON_RELEASE,
  type Release,
  type ReleaseChoice,
  resolveRelease,
} from './releases';
import { loadTemplate, renderTemplate, type TemplateVars } from './template';
import type { GeneratedFile, InputName } from './types';

/** Files copied as they are: shared modules and package sets that every repo carries. */
const STATIC_FILES: readonly { template: string; path: string; owner: GeneratedFile['owner'] }[] = [
  { template: 'lib/default.nix', path: 'lib/default.nix', owner: 'nixstrap' },
  { template: 'modules/nixos/base.nix', path: 'modules/nixos/base.nix', owner: 'nixstrap' },
  ...HARDWARE_MODULES.map((name) => ({
    template: `modules/nixos/hardware/${name}.nix`,
    path: `modules/nixos/hardware/${name}.nix`,
    owner: 'nixstrap' as const,
  })),
  ...['networking', 'containers', 'development', 'printing', 'bluetooth', 'flatpak'].map(
    (name) => ({
      template: `modules/nixos/services/${name}.nix`,
      path: `modules/nixos/services/${name}.nix`,
      owner: 'nixstrap' as const,
    }),
  ),
  ...['plasma', 'gnome', 'remote-access'].map((name) => ({
    template: `modules/nixos/desktop/${name}.nix`,
    path: `modules/nixos/desktop/${name}.nix`,
    owner: 'nixstrap' as const,
  })),
  ...['minimal', 'essential', 'development', 'full'].map((name) => ({
    template: `packages/${name}.nix`,
    path: `packages/${name}.nix`,
    owner: 'user' as const,
  })),
  { template: 'README.md', path: 'README.md', owner: 'user' },
  { template: 'github/check.yml', path: '.github/workflows/check.yml', owner: 'nixstrap' },
  { template: 'gitignore', path: '.gitignore', owner: 'user' },
];

/** The values the few release-dependent shared files need; every other file has none. */
function templateVars(template: string, release: Release): TemplateVars {
  if (template === 'modules/nixos/hardware/raspberry-pi.nix') {
    return { journaldSettings: release.journaldSettings };
  }
  return {};
}

const DARWIN_FILES: typeof STATIC_FILES = [
  { template: 'modules/darwin/base.nix', path: 'modules/darwin/base.nix', owner: 'nixstrap' },
];

/**
 * flake.nix with exactly the given inputs (nixpkgs and Home Manager are always there). Its
 * hosts are discovered from hosts/ folders, or, with `listed`, named one by one (a repo
 * Nixstrap did not lay out).
 */
export function renderFlake(
  inputs: readonly InputName[],
  choice: ReleaseChoice,
  listed?: readonly FlakeHost[],
): string {
  const wanted = new Set(sortInputs(inputs));
  const release = resolveRelease(choice);
  return renderTemplate(loadTemplate('flake.nix'), {
    discoversHosts: listed === undefined,
    ...listedHosts(listed ?? []),
    listsDarwinHosts: listed?.some((h) => h.kind === 'darwin') ?? false,
    nixpkgsUrl: `github:NixOS/nixpkgs/${release.nixpkgs}`,
    homeManagerUrl: `github:nix-community/home-manager/${release.homeManager}`,
    nixDarwinUrl: `github:nix-darwin/nix-darwin/${release.nixDarwin}`,
    nixosWslUrl: `github:nix-community/NixOS-WSL/${release.nixosWsl}`,
    appleSiliconUrl: `github:nix-community/nixos-apple-silicon/${APPLE_SILICON_RELEASE}`,
    nixDarwin: wanted.has('nix-darwin'),
    nixosHardware: wanted.has('nixos-hardware'),
    nixosWsl: wanted.has('nixos-wsl'),
    nixosAppleSilicon: wanted.has('nixos-apple-silicon'),
    sopsNix: wanted.has('sops-nix'),
  });
}

/** Everything but the hosts: flake.nix, lib/, modules/, packages/, README, CI, .gitignore. */
export function renderScaffold(
  inputs: readonly InputName[],
  release: ReleaseChoice,
): GeneratedFile[] {
  const files = [...STATIC_FILES, ...(inputs.includes('nix-darwin') ? DARWIN_FILES : [])];
  const resolved = resolveRelease(release);
  return [
    { path: 'flake.nix', content: renderFlake(inputs, release), owner: 'nixstrap' as const },
    ...files.map((file) => ({
      path: file.path,
      content: file.path.endsWith('.nix')
        ? renderTemplate(loadTemplate(file.template), templateVars(file.template, resolved))
        : loadTemplate(file.template),
      owner: file.owner,
    })),
  ].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
