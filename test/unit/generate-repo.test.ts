import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  hostKind,
  inputsReferencedBy,
  nixosStateVersion,
  RELEASES,
  renderFlake,
  renderHost,
  renderRepo,
  renderScaffold,
  requiredInputs,
} from '../../main/core/generate';
import { relativePathLiterals } from '../../main/core/nix';
import { goldenCases } from '../helpers/golden-cases';

const cases = Object.fromEntries(goldenCases().map((golden) => [golden.name, golden]));
const get = (name: string) => cases[name]!;

describe('a repo lists only the inputs its hosts need', () => {
  it('adds the platform input of each kind of machine', () => {
    const inputs = (name: string) => requiredInputs(get(name).facts, get(name).answers);
    expect(inputs('qemu-vm')).toEqual(['nixpkgs', 'home-manager', 'sops-nix']);
    expect(inputs('wsl2')).toEqual(['nixpkgs', 'home-manager', 'nixos-wsl', 'sops-nix']);
    expect(inputs('raspberry-pi-4')).toEqual([
      'nixpkgs',
      'home-manager',
      'nixos-hardware',
      'sops-nix',
    ]);
    expect(inputs('asahi-m1')).toEqual([
      'nixpkgs',
      'home-manager',
      'nixos-apple-silicon',
      'sops-nix',
    ]);
    expect(inputs('macos-m2')).toEqual(['nixpkgs', 'home-manager', 'nix-darwin', 'sops-nix']);
  });

  it('leaves sops-nix out when the owner turns secrets off', () => {
    const { facts, answers } = get('qemu-vm');
    expect(requiredInputs(facts, { ...answers, secrets: false })).toEqual([
      'nixpkgs',
      'home-manager',
    ]);
    const host = renderHost(facts, { ...answers, secrets: false }).find((file) =>
      file.path.startsWith('hosts/'),
    )!;
    expect(host.content).not.toMatch(/sops/);
  });

  it('finds the inputs a host file uses, so adding a host can extend the flake', () => {
    for (const name of ['wsl2', 'raspberry-pi-4', 'asahi-m1', 'qemu-vm']) {
      const { facts, answers } = get(name);
      const host = renderHost(facts, answers).find((file) => file.path.startsWith('hosts/'))!;
      const platform = requiredInputs(facts, answers).filter(
        (input) => input !== 'nixpkgs' && input !== 'home-manager',
      );
      expect(inputsReferencedBy(host.content), name).toEqual(platform);
    }
    expect(
      inputsReferencedBy(
        '{ a = inputs.nixos-wsl.x; b = inputs."nixos-hardware".y; c = inputs.other; }',
      ),
    ).toEqual(['nixos-hardware', 'nixos-wsl']);
    expect(inputsReferencedBy('home-manager.inputs.nixpkgs.follows = "nixpkgs";')).toEqual([]);
  });

  it('writes exactly the requested inputs into flake.nix', () => {
    const flake = renderFlake(['nixpkgs', 'home-manager', 'nixos-wsl'], 'stable');
    expect(flake).toContain(`"github:NixOS/nixpkgs/${RELEASES.stable.nixpkgs}"`);
    expect(flake).toContain(`"github:nix-community/home-manager/${RELEASES.stable.homeManager}"`);
    expect(flake).toContain('nixos-wsl');
    expect(flake).not.toContain('nix-darwin');
    expect(flake).not.toContain('nixos-hardware');
    expect(flake).not.toContain('darwinConfigurations');
    const unstable = renderFlake(['nixpkgs', 'home-manager', 'nix-darwin'], 'unstable');
    expect(unstable).toContain('"github:NixOS/nixpkgs/nixos-unstable"');
    expect(unstable).toContain('"github:nix-darwin/nix-darwin/master"');
    expect(unstable).toContain('darwinConfigurations = hosts.darwinHosts ./hosts/darwin;');
  });
});

describe('the repo has the nixstrap layout', () => {
  it('puts a NixOS host, its hardware file and the home folder in place', () => {
    const { facts, answers } = get('thinkpad-luks');
    const files = renderRepo(facts, answers);
    const byPath = Object.fromEntries(files.map((file) => [file.path, file]));
    expect(byPath['hosts/nixos/thinkpad/default.nix']?.owner).toBe('user');
    expect(byPath['hosts/nixos/thinkpad/hardware-configuration.nix']?.owner).toBe('machine');
    expect(byPath['home/alice/default.nix']?.owner).toBe('user');
    expect(byPath['flake.nix']?.owner).toBe('nixstrap');
    for (const path of [
      'lib/default.nix',
      'README.md',
      '.github/workflows/check.yml',
      '.gitignore',
    ]) {
      expect(byPath[path], path).toBeDefined();
    }
    expect(files.map((file) => file.path)).toEqual([...files.map((file) => file.path)].sort());
  });

  it('gives WSL and Macs no hardware-configuration.nix', () => {
    for (const name of ['wsl2', 'macos-m2']) {
      const paths = renderHost(get(name).facts, get(name).answers).map((file) => file.path);
      expect(
        paths.some((path) => path.endsWith('hardware-configuration.nix')),
        name,
      ).toBe(false);
    }
    expect(hostKind(get('macos-m2').facts)).toBe('darwin');
    expect(renderHost(get('macos-m2').facts, get('macos-m2').answers)[1]?.path).toBe(
      'hosts/darwin/alices-macbook-air/default.nix',
    );
  });

  it('nests the package profiles, each importing the smaller one', () => {
    const { facts, answers } = get('qemu-vm');
    const host = renderHost(facts, { ...answers, profile: 'full' });
    const packages = Object.fromEntries(
      renderScaffold(['nixpkgs', 'home-manager'], 'stable', host)
        .filter((file) => file.path.startsWith('packages/'))
        .map((file) => [file.path, file.content]),
    );
    expect(packages['packages/minimal.nix']).not.toContain('imports =');
    expect(packages['packages/essential.nix']).toContain('imports = [ ./minimal.nix ];');
    expect(packages['packages/development.nix']).toContain('imports = [ ./essential.nix ];');
    expect(packages['packages/full.nix']).toContain('imports = [ ./development.nix ];');
  });
});

describe('a repo holds only the modules its hosts import', () => {
  const paths = (name: string) => renderRepo(get(name).facts, get(name).answers).map((f) => f.path);

  it('gives a Mac-only repo no NixOS modules, and a NixOS-only repo no darwin ones', () => {
    const mac = paths('macos-m2');
    expect(mac.filter((path) => path.startsWith('modules/'))).toEqual(['modules/darwin/base.nix']);
    expect(paths('qemu-vm').filter((path) => path.startsWith('modules/darwin/'))).toEqual([]);
  });

  it('writes the modules a host imports, and the ones those import', () => {
    const hetzner = paths('hetzner-bios');
    expect(hetzner).toContain('modules/nixos/hardware/hetzner.nix');
    expect(hetzner).toContain('modules/nixos/hardware/qemu-guest.nix');
    expect(hetzner).toContain('modules/nixos/services/containers.nix');
    expect(hetzner).not.toContain('modules/nixos/desktop/gnome.nix');
    expect(hetzner).not.toContain('modules/nixos/hardware/wsl.nix');
    expect(hetzner.filter((path) => path.startsWith('packages/'))).toEqual([
      'packages/minimal.nix',
    ]);
  });

  it('misses no file a host imports', () => {
    for (const name of Object.keys(cases)) {
      const files = renderRepo(get(name).facts, get(name).answers);
      const present = new Set(files.map((f) => f.path));
      // flake.nix names hosts/nixos and hosts/darwin, which lib/ reads only when they exist.
      for (const file of files.filter((f) => f.path.endsWith('.nix') && f.path !== 'flake.nix')) {
        for (const { text } of relativePathLiterals(file.content)) {
          // Modules only: ./firmware (Asahi) and ./secrets.yaml (sops) are data the plan adds.
          if (!text.endsWith('.nix') && !text.includes('/home/')) continue;
          const target = path.posix.normalize(path.posix.join(path.posix.dirname(file.path), text));
          const found = present.has(target) || present.has(`${target}/default.nix`);
          expect(
            found || [...present].some((p) => p.startsWith(`${target}/`)),
            `${name}: ${file.path} → ${text}`,
          ).toBe(true);
        }
      }
    }
  });
});

describe('stateVersion is never a constant', () => {
  it('keeps the release an existing NixOS runs, else uses the channel release', () => {
    const { facts, answers } = get('qemu-vm');
    expect(nixosStateVersion(facts, answers)).toBe('25.11');
    expect(
      nixosStateVersion(
        { ...facts, os: { id: 'nixos', version: '24.05.20240101.abc', prettyName: null } },
        answers,
      ),
    ).toBe('24.05');
    expect(
      nixosStateVersion(
        { ...facts, os: { id: 'debian', version: '12', prettyName: null } },
        answers,
      ),
    ).toBe(RELEASES.stable.version);
    expect(
      nixosStateVersion(
        { ...facts, os: { id: 'ubuntu', version: '24.04', prettyName: null } },
        {
          ...answers,
          channel: 'unstable',
        },
      ),
    ).toBe(RELEASES.unstable.version);
  });
});
