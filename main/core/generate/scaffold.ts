import { HostKindSchema } from '../../../common/plan';
import { importClosure } from '../nix/imports';
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

type SharedFile = { template: string; path: string; owner: GeneratedFile['owner'] };

/** Files every repo carries, whatever its hosts. */
const REPO_FILES: readonly SharedFile[] = [
  { template: 'lib/default.nix', path: 'lib/default.nix', owner: 'nixstrap' },
  { template: 'README.md', path: 'README.md', owner: 'user' },
  { template: 'github/check.yml', path: '.github/workflows/check.yml', owner: 'nixstrap' },
  { template: 'gitignore', path: '.gitignore', owner: 'user' },
];

/** Shared modules and package sets: a repo gets those its hosts import. */
const MODULE_FILES: readonly SharedFile[] = [
  { template: 'modules/nixos/base.nix', path: 'modules/nixos/base.nix', owner: 'nixstrap' },
  { template: 'modules/darwin/base.nix', path: 'modules/darwin/base.nix', owner: 'nixstrap' },
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
];

const HOST_KINDS = HostKindSchema.options;

/** The systems a generated flake formats for; Intel Macs only while nixpkgs builds for them. */
const SYSTEMS = ['x86_64-linux', 'aarch64-linux', 'aarch64-darwin'];

/** The values the few release-dependent shared files need; every other file has none. */
function templateVars(template: string, release: Release): TemplateVars {
  if (template === 'modules/nixos/hardware/raspberry-pi.nix') {
    return { journaldSettings: release.journaldSettings };
  }
  return {};
}

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
    // `nix flake check` evaluates every system's formatter: only those this nixpkgs builds for.
    systems: release.intelMacs ? [...SYSTEMS, 'x86_64-darwin'] : SYSTEMS,
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

function render(file: SharedFile, release: Release): GeneratedFile {
  const content = file.path.endsWith('.nix')
    ? renderTemplate(loadTemplate(file.template), templateVars(file.template, release))
    : loadTemplate(file.template);
  return { path: file.path, content, owner: file.owner };
}

/**
 * Everything but the hosts: flake.nix, lib/, README, CI, .gitignore, and of modules/ and
 * packages/ exactly the files the given hosts' files import, directly or through each other.
 * lib/default.nix adds modules/<kind>/base.nix to every host of that kind.
 */
export function renderScaffold(
  inputs: readonly InputName[],
  choice: ReleaseChoice,
  hosts: readonly GeneratedFile[],
): GeneratedFile[] {
  const release = resolveRelease(choice);
  const modules = MODULE_FILES.map((file) => render(file, release));
  const kinds = HOST_KINDS.filter((kind) => hosts.some((f) => f.path.startsWith(`hosts/${kind}/`)));
  const start = [...hosts.map((f) => f.path), ...kinds.map((kind) => `modules/${kind}/base.nix`)];
  const needed = importClosure([...hosts, ...modules], start);
  return [
    { path: 'flake.nix', content: renderFlake(inputs, release), owner: 'nixstrap' as const },
    ...REPO_FILES.map((file) => render(file, release)),
    ...modules.filter((file) => needed.has(file.path)),
  ].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
