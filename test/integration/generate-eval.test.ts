import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderHost, renderRepo } from '../../main/core/generate';
import { nixAvailable, nixString } from '../../main/core/nix';
import { fixtureCases } from '../helpers/golden-cases';

/**
 * No nixpkgs here, so the repo's own structure is evaluated against the few nixpkgs `lib`
 * functions its `lib/default.nix` uses, written in Nix. `nixosSystem` returns its arguments,
 * which is exactly what the flake would hand to nixpkgs.
 */
const STUB_INPUTS = `
  let
    lib = {
      genAttrs = names: f: builtins.listToAttrs (map (n: { name = n; value = f n; }) names);
      filterAttrs = pred: set:
        builtins.removeAttrs set (builtins.filter (n: !(pred n set.\${n})) (builtins.attrNames set));
    };
  in {
    nixpkgs.lib = lib // { nixosSystem = args: args; };
    home-manager.nixosModules.home-manager = "home-manager module";
    home-manager.darwinModules.home-manager = "home-manager darwin module";
    nix-darwin.lib.darwinSystem = args: args;
  }`;

function writeRepo(dir: string, files: { path: string; content: string }[]): void {
  for (const file of files) {
    fs.mkdirSync(path.dirname(path.join(dir, file.path)), { recursive: true });
    fs.writeFileSync(path.join(dir, file.path), file.content);
  }
}

function evaluate(repo: string, expression: string): unknown {
  const program = `
    let
      inputs = ${STUB_INPUTS};
      hosts = import ${repo}/lib { inherit inputs; self = { rev = "0123abc"; }; };
    in ${expression}`;
  const out = execFileSync('nix-instantiate', ['--eval', '--strict', '--json', '-E', program], {
    encoding: 'utf8',
  });
  return JSON.parse(out);
}

describe.skipIf(!nixAvailable())('the generated flake finds its machines from folders', () => {
  const cases = fixtureCases();
  const nixosCase = cases.find((c) => c.name === 'qemu-kvm-uefi')!;
  const piCase = cases.find((c) => c.name === 'raspberry-pi-4')!;
  const macCase = cases.find((c) => c.name === 'macos-m2')!;
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'nixstrap-eval-'));
  writeRepo(repo, renderRepo(nixosCase.facts, nixosCase.answers));
  writeRepo(repo, renderHost(piCase.facts, piCase.answers));
  writeRepo(repo, renderHost(macCase.facts, macCase.answers));

  it('turns every folder in hosts/nixos into a nixosConfiguration, with no flake.nix edit', () => {
    const names = evaluate(repo, `builtins.attrNames (hosts.nixosHosts ${repo}/hosts/nixos)`);
    expect(names).toEqual([nixosCase.answers.hostName, piCase.answers.hostName].sort());
  });

  it('turns every folder in hosts/darwin into a darwinConfiguration', () => {
    expect(evaluate(repo, `builtins.attrNames (hosts.darwinHosts ${repo}/hosts/darwin)`)).toEqual([
      macCase.answers.hostName,
    ]);
  });

  it('gives each machine its own folder, the shared base module and its commit', () => {
    const name = nixosCase.answers.hostName;
    const modules = evaluate(
      repo,
      `map
         (m:
           if builtins.isPath m then toString m
           else if builtins.isString m then m
           else if builtins.isAttrs m && m ? system then { revision = m.system.configurationRevision; }
           else if builtins.isAttrs m then builtins.attrNames m
           else "function")
         (hosts.nixosHosts ${repo}/hosts/nixos).${nixString(name)}.modules`,
    ) as unknown[];
    expect(modules).toContain(`${repo}/hosts/nixos/${name}`);
    expect(modules).toContain('home-manager module');
    expect(modules).toContainEqual({ revision: '0123abc' });
    const base = modules.find(
      (m) => typeof m === 'string' && m.endsWith('/modules/nixos/base.nix'),
    );
    expect(base && fs.existsSync(base as string)).toBe(true);
  });

  it('ignores a folder without a default.nix, as a half-copied host would be', () => {
    fs.mkdirSync(path.join(repo, 'hosts/nixos/half-copied'));
    const names = evaluate(repo, `builtins.attrNames (hosts.nixosHosts ${repo}/hosts/nixos)`);
    expect(names).not.toContain('half-copied');
  });
});
