import { nixAttrName, nixString } from '../nix/literal';
import type { HostKind } from './layout';

/** A machine the new flake builds: its name and the module files (repo-relative) it imports. */
export type FlakeHost = { name: string; kind: HostKind; modules: string[] };

/** A module path as Nix source: a path literal when it can be one, else `./. + "/…"`. */
function modulePath(path: string): string {
  return /^[A-Za-z0-9._+/-]+$/.test(path) ? `./${path}` : `(./. + ${nixString(`/${path}`)})`;
}

function indent(text: string, pad: string): string {
  return text
    .split('\n')
    .map((line) => (line ? pad + line : line))
    .join('\n');
}

function hostSet(attr: string, builder: string, hosts: FlakeHost[]): string[] {
  if (hosts.length === 0) return [];
  const entries = hosts.map((host) =>
    [
      `${nixAttrName(host.name)} = ${builder} {`,
      '  specialArgs = { inherit inputs; };',
      `  modules = [ ${host.modules.map(modulePath).join(' ')} ];`,
      '};',
    ].join('\n'),
  );
  return [`${attr} = {`, indent(entries.join('\n'), '  '), '};'];
}

/**
 * flake.nix for a repo that had none: the given input definitions (as Nixstrap's own flake
 * writes them) and one explicit entry per machine, the plainest flake a NixOS user reads.
 */
export function flakeForHosts(inputDefinitions: readonly string[], hosts: FlakeHost[]): string {
  const outputs = [
    ...hostSet(
      'nixosConfigurations',
      'nixpkgs.lib.nixosSystem',
      hosts.filter((h) => h.kind === 'nixos'),
    ),
    ...hostSet(
      'darwinConfigurations',
      'inputs.nix-darwin.lib.darwinSystem',
      hosts.filter((h) => h.kind === 'darwin'),
    ),
  ];
  return [
    '# Every machine of this repo is one entry below: `sudo nixos-rebuild switch --flake .#<name>`.',
    '{',
    '  inputs = {',
    indent(inputDefinitions.join('\n'), '    '),
    '  };',
    '',
    '  outputs =',
    '    { nixpkgs, ... }@inputs:',
    '    {',
    indent(outputs.join('\n'), '      '),
    '    };',
    '}',
    '',
  ].join('\n');
}
