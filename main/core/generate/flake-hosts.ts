import { type NixValue, nixApply, nixExpr, nixRepoPath } from '../nix/literal';
import type { HostKind } from './types';

/** A machine a flake lists by name: the module files (repo-relative) it is built from. */
export type FlakeHost = { name: string; kind: HostKind; modules: string[] };

function entries(hosts: readonly FlakeHost[], builder: ReturnType<typeof nixExpr>): NixValue {
  return Object.fromEntries(
    hosts.map((host) => [
      host.name,
      nixApply(builder, {
        specialArgs: nixExpr('{ inherit inputs; }'),
        modules: host.modules.map((path) => nixRepoPath(path)),
      }),
    ]),
  );
}

/** The `nixosConfigurations` and `darwinConfigurations` values of a flake that names its hosts. */
export function listedHosts(hosts: readonly FlakeHost[]): {
  nixosHosts: NixValue;
  darwinHosts: NixValue;
} {
  return {
    nixosHosts: entries(
      hosts.filter((h) => h.kind === 'nixos'),
      nixExpr('nixpkgs.lib.nixosSystem'),
    ),
    darwinHosts: entries(
      hosts.filter((h) => h.kind === 'darwin'),
      nixExpr('inputs.nix-darwin.lib.darwinSystem'),
    ),
  };
}
