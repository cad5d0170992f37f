import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { nixString } from '../../main/core/nix';

/** What collect.nix says of a value. */
export type Value =
  | { t: 'package'; name: string; unfree: boolean; insecure: boolean }
  | { t: 'module' | 'stub'; name: string }
  | { t: 'wrapped'; kind: string }
  | { t: 'set'; attrs: Record<string, Value> }
  | { t: 'list'; items: Value[] }
  | { t: 'lambda' | 'float' | 'null' }
  | { t: 'path' | 'string'; value: string }
  | { t: 'int'; value: number }
  | { t: 'bool'; value: boolean };

/** One option definition: where it was made, at which priority, under a mkIf or not. */
export interface Definition {
  file: string;
  path: string[];
  priority: number;
  conditional: boolean;
  value: Value;
}

export interface Evaluation {
  definitions: Definition[];
  /** Modules from outside the repo the host imports: `<modulesPath>/…`, `nixos-hardware/…`. */
  externals: string[];
  /** For each allowUnfreePredicate, the unfree package names it lets through. */
  allowedUnfree: string[][];
}

/** The stand-ins collect.nix hands the modules, built from the schema. */
export interface Stubs {
  config: unknown;
  pkgs: unknown;
  unfreeNames: string[];
}

const COLLECT = join(import.meta.dirname, 'collect.nix');

/** Flake inputs as markers; nixpkgs' lib only as far as the repo's own lib/ uses it. */
function stubInputs(hardwareModules: readonly string[]): string {
  const markers = hardwareModules
    .map((name) => `${nixString(name)} = { _external = ${nixString(`nixos-hardware/${name}`)}; };`)
    .join(' ');
  return `{
    _stub = "inputs";
    nixpkgs.lib = {
      genAttrs = names: f: builtins.listToAttrs (map (n: { name = n; value = f n; }) names);
      filterAttrs = pred: set:
        builtins.removeAttrs set (builtins.filter (n: !(pred n set.\${n})) (builtins.attrNames set));
      nixosSystem = args: args // { kind = "nixos"; };
    };
    nix-darwin.lib.darwinSystem = args: args // { kind = "darwin"; };
    home-manager.nixosModules.home-manager = { _external = "home-manager/nixos"; };
    home-manager.darwinModules.home-manager = { _external = "home-manager/darwin"; };
    home-manager.homeManagerModules = { };
    nixos-hardware.nixosModules = { ${markers} };
    nixos-wsl.nixosModules.default = { _external = "nixos-wsl"; };
    nixos-apple-silicon.nixosModules.apple-silicon-support = { _external = "nixos-apple-silicon"; };
    sops-nix.nixosModules.sops = { _external = "sops-nix/nixos"; };
    sops-nix.darwinModules.sops = { _external = "sops-nix/darwin"; };
    sops-nix.homeManagerModules.sops = { _external = "sops-nix/home"; };
  }`;
}

function evaluate(expression: string): unknown {
  const out = execFileSync('nix-instantiate', ['--eval', '--strict', '--json', '-E', expression], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(out);
}

/** Every host of a repo on disk, by kind and name, with what its modules define. */
export function evaluateRepo(
  repo: string,
  stubs: { nixos: Stubs; darwin: Stubs },
  hardwareModules: readonly string[],
): { kind: 'nixos' | 'darwin'; name: string; evaluation: Evaluation }[] {
  const out: { kind: 'nixos' | 'darwin'; name: string; evaluation: Evaluation }[] = [];
  for (const kind of ['nixos', 'darwin'] as const) {
    const program = `
      let
        inputs = ${stubInputs(hardwareModules)};
        hosts = import ${repo}/lib { inherit inputs; self = { rev = "0000000"; }; };
        dir = ${repo}/hosts/${kind};
        all = if builtins.pathExists dir then hosts.${kind}Hosts dir else { };
      in
      builtins.mapAttrs (name: entry: import ${COLLECT} {
        inherit entry;
        stubsJson = ${nixString(JSON.stringify(stubs[kind]))};
      }) all`;
    const hosts = evaluate(program) as Record<string, Evaluation>;
    for (const [name, evaluation] of Object.entries(hosts)) out.push({ kind, name, evaluation });
  }
  return out;
}

/** A Home Manager module file, evaluated on its own with the Home Manager stand-ins. */
export function evaluateHomeModule(file: string, stubs: Stubs): Evaluation {
  return evaluate(`import ${COLLECT} {
    entry = { kind = "home"; modules = [ ${file} ]; specialArgs = { }; };
    stubsJson = ${nixString(JSON.stringify(stubs))};
  }`) as Evaluation;
}

/** Writes generated files into a fresh folder, as a repo would hold them. */
export function writeRepo(files: readonly { path: string; content: string }[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'nixstrap-schema-'));
  for (const file of files) {
    mkdirSync(dirname(join(dir, file.path)), { recursive: true });
    writeFileSync(join(dir, file.path), file.content);
  }
  return dir;
}
