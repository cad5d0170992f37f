import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TargetKind } from '../../common';
import { nixAttrName, nixString } from '../../main/core/nix';
import { testGit } from './git-at';

/**
 * Stand-in flakes: repos with no inputs (or local ones only) whose system attribute is a plain derivation shaped
 * like a NixOS system (or a nix-darwin system, or a Home Manager activation package), built
 * by the real Nix here. Only activation is a stand-in: a script that appends how it was called
 * to a file the test reads.
 */

/** The settings a user of this offline machine would have in nix.conf, passed as NIX_CONFIG. */
export const STAND_IN_NIX_CONFIG = [
  'experimental-features = nix-command flakes',
  'sandbox = false',
  'substituters =',
  // Debian's nix-bin creates no nixbld group; as root Nix then builds as root.
  'build-users-group =',
].join('\n');

/** The environment to run Nix in for stand-in flakes: the caller's, with NIX_CONFIG set. */
export function standInEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, NIX_CONFIG: STAND_IN_NIX_CONFIG, ...extra };
}

/** A dependency built before the system: prints its lines, may sleep, may fail. */
export interface StandInStep {
  name: string;
  /** Lines the builder prints (odd ones to stderr, as real builders mix both). */
  lines?: string[];
  sleepSeconds?: number;
  /** Non-zero makes the builder fail with this code after printing its lines. */
  exitCode?: number;
}

export interface StandInHost {
  kind?: TargetKind;
  /** Home Manager: the user of `homeConfigurations."<user>@<host>"`. */
  user?: string;
  steps?: StandInStep[];
  /** Written to `nixos-version`; change it to get a new system store path. */
  label?: string;
  /** The stand-in switch-to-configuration (or activate) exits with this code. */
  activationExitCode?: number;
  /** Lines the stand-in activation prints before exiting. */
  activationLines?: string[];
  /** Seconds the stand-in activation takes after its lines, as a real one restarting units does. */
  activationSleepSeconds?: number;
  /**
   * NixOS: names of specialisations, each `specialisation/<name>` → a stand-in toplevel of its own
   * whose activation records itself as `<name>/switch-to-configuration ACTION`.
   */
  specialisations?: string[];
}

export interface StandInFlake {
  readonly dir: string;
  /** Each line: how activation was called, e.g. `switch-to-configuration switch`. */
  readonly callsFile: string;
  calls(): string[];
  /** Rewrites flake.nix for these hosts and commits it. */
  update(hosts: Record<string, StandInHost>): void;
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function printLines(lines: readonly string[]): string {
  return lines
    .map((line, index) => `printf '%s\\n' ${shellQuote(line)}${index % 2 ? ' >&2' : ''}`)
    .join('; ');
}

function derivation(name: string, script: string, salt: string, extra = ''): string {
  return `builtins.derivation {
      name = ${nixString(name)};
      system = "x86_64-linux";
      builder = "/bin/sh";
      PATH = "/usr/bin:/bin";
      salt = ${nixString(salt)};${extra}
      args = [ "-c" ${nixString(script)} ];
    }`;
}

function stepDerivation(step: StandInStep, salt: string): string {
  const script = [
    printLines(step.lines ?? [`building ${step.name}`]),
    step.sleepSeconds ? `sleep ${step.sleepSeconds}` : '',
    step.exitCode ? `exit ${step.exitCode}` : 'mkdir -p $out && echo done > $out/done',
  ]
    .filter(Boolean)
    .join('; ');
  return derivation(step.name, script, salt);
}

function activationScript(callsFile: string, name: string, host: StandInHost): string {
  return [
    '#!/bin/sh',
    `echo "${name} $*" >> ${shellQuote(callsFile)}`,
    ...(host.activationLines ?? []).map((line) => `printf '%s\\n' ${shellQuote(line)}`),
    ...(host.activationSleepSeconds ? [`sleep ${host.activationSleepSeconds}`] : []),
    // As the real one, switch and test point the running system (/run/current-system) at this
    // generation, and switch and boot make it the boot menu's default (`boot-default`), never
    // the profile; only where a test gives a stand-in /run for it.
    ...(name.endsWith('switch-to-configuration')
      ? [
          'self="$(dirname "$(dirname "$0")")"',
          '[ -z "$STANDIN_ACTIVATION_DIR" ] || case "$1" in switch | test) ln -sfn "$self" "$STANDIN_ACTIVATION_DIR/current-system" ;; esac',
          '[ -z "$STANDIN_ACTIVATION_DIR" ] || case "$1" in switch | boot) ln -sfn "$self" "$STANDIN_ACTIVATION_DIR/boot-default" ;; esac',
        ]
      : []),
    `exit ${host.activationExitCode ?? 0}`,
    '',
  ].join('\n');
}

/**
 * Inputs by name, each a flake reference to a local source (`git+file:///…`, `path:/…`) read as
 * plain files (`flake = false`), so Nix locks them in flake.lock with no network. Every system
 * carries their pins, so moving one builds a new generation.
 */
export type StandInInputs = Record<string, string>;

function pinsAttribute(inputs: StandInInputs): string {
  const names = Object.keys(inputs).map(nixString).join(' ');
  return `\n      pins = map (name: inputs.\${name}.rev or inputs.\${name}.narHash) [ ${names} ];`;
}

function systemDerivation(
  hostName: string,
  host: StandInHost,
  callsFile: string,
  salt: string,
  inputs: StandInInputs,
  activationName = 'switch-to-configuration',
): string {
  const kind = host.kind ?? 'nixos';
  const label = host.label ?? '24.11.20241231.stand-in';
  const write = (file: string, text: string, mode = '') =>
    `printf '%s' ${shellQuote(text)} > $out/${file}${mode ? `; chmod ${mode} $out/${file}` : ''}`;
  const files =
    kind === 'nixos'
      ? [
          'mkdir -p $out/bin $out/sw/bin',
          write('nixos-version', label),
          write(
            'bin/switch-to-configuration',
            activationScript(callsFile, activationName, host),
            '+x',
          ),
          ...(host.specialisations ?? []).map(
            (special, index) =>
              `mkdir -p $out/specialisation && ln -s $special${index} $out/specialisation/${shellQuote(special)}`,
          ),
        ]
      : kind === 'nix-darwin'
        ? [
            'mkdir -p $out',
            write('darwin-version.json', JSON.stringify({ darwinLabel: label })),
            write('activate', activationScript(callsFile, 'activate', host), '+x'),
          ]
        : [
            'mkdir -p $out',
            write('hm-version', label),
            write('activate', activationScript(callsFile, 'activate', host), '+x'),
          ];
  const steps = host.steps ?? [];
  const deps = steps.map((step, index) => `\n      dep${index} = ${stepDerivation(step, salt)};`);
  // Each specialisation is a whole system of its own, as NixOS builds it.
  (kind === 'nixos' ? (host.specialisations ?? []) : []).forEach((special, index) => {
    const own = { ...host, steps: [], specialisations: [] };
    const drv = systemDerivation(
      hostName,
      own,
      callsFile,
      `${salt}-${special}`,
      inputs,
      `${special}/switch-to-configuration`,
    );
    deps.push(`\n      special${index} = ${drv};`);
  });
  // The system refers to what it was built from (as a real one does to its packages), so the
  // dependencies that succeed are in its runtime closure.
  const packages = steps
    .map((step, index) => (step.exitCode ? null : `$dep${index}`))
    .filter((dep) => dep !== null);
  if (packages.length) {
    files.push(`echo ${packages.join(' ')} > $out/${kind === 'nixos' ? 'sw/' : ''}packages`);
  }
  const name =
    kind === 'nixos'
      ? `nixos-system-${hostName}-${label}`
      : kind === 'nix-darwin'
        ? `darwin-system-${label}`
        : 'home-manager-generation';
  const pins = Object.keys(inputs).length ? pinsAttribute(inputs) : '';
  return derivation(name, files.join('; '), salt, deps.join('') + pins);
}

function flakeText(
  hosts: Record<string, StandInHost>,
  callsFile: string,
  salt: string,
  inputs: StandInInputs,
): string {
  const groups: Record<TargetKind, string[]> = { nixos: [], 'nix-darwin': [], 'home-manager': [] };
  for (const [name, host] of Object.entries(hosts)) {
    const kind = host.kind ?? 'nixos';
    const drv = systemDerivation(name, host, callsFile, salt, inputs);
    if (kind === 'nixos') {
      groups.nixos.push(`${nixAttrName(name)}.config.system.build.toplevel = ${drv};`);
    } else if (kind === 'nix-darwin') {
      groups['nix-darwin'].push(`${nixAttrName(name)}.system = ${drv};`);
    } else {
      const attr = nixString(`${host.user ?? 'alice'}@${name}`);
      groups['home-manager'].push(`${attr}.activationPackage = ${drv};`);
    }
  }
  const section = (attr: string, entries: string[]) =>
    `    ${attr} = {\n${entries.map((e) => `      ${e}`).join('\n')}\n    };`;
  const declared = Object.entries(inputs).map(
    ([name, url]) =>
      `\n  inputs.${nixAttrName(name)} = { url = ${nixString(url)}; flake = false; };`,
  );
  return `{
  description = "A stand-in configuration: systems shaped like the real ones";${declared.join('')}
  outputs = { self, ... }@inputs: {
${section('nixosConfigurations', groups.nixos)}
${section('darwinConfigurations', groups['nix-darwin'])}
${section('homeConfigurations', groups['home-manager'])}
  };
}
`;
}

/**
 * A committed stand-in flake in a new temp folder (or `dir`). Every derivation carries the
 * folder's path as a salt, so each flake builds afresh instead of reusing another test's paths.
 */
export function makeStandInFlake(
  hosts: Record<string, StandInHost>,
  options: { dir?: string; inputs?: StandInInputs } = {},
): StandInFlake {
  const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'nixstrap-flake-'));
  fs.mkdirSync(dir, { recursive: true });
  const callsFile = path.join(dir, '.activation-calls');
  testGit(dir, 'init', '-q', '-b', 'main');
  fs.writeFileSync(path.join(dir, '.gitignore'), '.activation-calls\n');
  const update = (next: Record<string, StandInHost>) => {
    fs.writeFileSync(
      path.join(dir, 'flake.nix'),
      flakeText(next, callsFile, dir, options.inputs ?? {}),
    );
    testGit(dir, 'add', '-A');
    testGit(dir, 'commit', '-q', '--allow-empty', '-m', 'stand-in configuration');
  };
  update(hosts);
  return {
    dir,
    callsFile,
    calls: () =>
      fs.existsSync(callsFile) ? fs.readFileSync(callsFile, 'utf8').trim().split('\n') : [],
    update,
  };
}
