import type { ReleaseName } from '../../common/answers';
import type { Definition, Value } from './evaluate';

/**
 * The type of an option, as a short string:
 * `bool`, `str`, `lines`, `int`, `int:1..7`, `port`, `path`, `package`, `lambda`, `module`,
 * `enum:a|b`, `list:<type>`, `oneOf:<type>,<type>`, `set:<name>` (a submodule in SUBMODULES),
 * `attrs` (opaque: anything below it), `stateVersion` (a NixOS release no newer than the pin).
 * A type that differs between releases is given per release.
 */
export type OptionType = string | Readonly<Record<ReleaseName, string>>;

/** One option the templates set, and where upstream declares it. */
export interface OptionSpec {
  /** Dotted path; `<name>` stands for any one attribute name. */
  path: string;
  type: OptionType;
  /** The upstream project and the file that declares the option. */
  from: Upstream;
  file: string;
  /** Removed or renamed upstream in these releases, and what to use instead. */
  gone?: { in: readonly ReleaseName[]; use: string };
  /** Unfree packages turning the option on brings in. */
  unfree?: readonly string[];
  /** The value a machine set up now must use (nix-darwin's newest state version). */
  newMachine?: Readonly<Record<ReleaseName, number | string>>;
}

export type Upstream =
  | 'nixpkgs'
  | 'home-manager'
  | 'nix-darwin'
  | 'nixos-wsl'
  | 'nixos-apple-silicon'
  | 'sops-nix';

/** The branch or tag each upstream is read at, for each release the generator can pin. */
export const UPSTREAM_REFS: Readonly<Record<Upstream, Readonly<Record<ReleaseName, string>>>> = {
  nixpkgs: { stable: 'nixos-26.05', unstable: 'nixos-unstable (26.11)' },
  'home-manager': { stable: 'release-26.05', unstable: 'master' },
  'nix-darwin': { stable: 'nix-darwin-26.05', unstable: 'master' },
  'nixos-wsl': { stable: 'release-26.05', unstable: 'main' },
  'nixos-apple-silicon': { stable: 'release-2026-07-30', unstable: 'release-2026-07-30' },
  'sops-nix': { stable: 'master', unstable: 'master' },
};

/** A module from outside the repo that a host imports, with the definitions that matter. */
export interface ExternalModule {
  from: Upstream | 'nixos-hardware';
  file: string;
  /** Options it defines at a priority that can meet the templates' own (value null: varies). */
  defines: readonly { path: string; priority: number; value: unknown }[];
}

export interface Finding {
  file: string;
  path: string;
  problem: string;
}

interface Schema {
  options: readonly OptionSpec[];
  submodules: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

function typeFor(spec: OptionSpec, release: ReleaseName): string {
  return typeof spec.type === 'string' ? spec.type : spec.type[release];
}

function segmentsMatch(pattern: readonly string[], path: readonly string[]): boolean {
  return (
    pattern.length === path.length &&
    pattern.every((part, i) => part === '<name>' || part === path[i])
  );
}

/** The option a definition sets: its own path, or an opaque (`attrs`) option above it. */
export function findOption(
  schema: Schema,
  path: readonly string[],
  release: ReleaseName,
): OptionSpec | undefined {
  const exact = schema.options.find((spec) => segmentsMatch(spec.path.split('.'), path));
  if (exact) return exact;
  return schema.options.find((spec) => {
    const pattern = spec.path.split('.');
    return (
      typeFor(spec, release) === 'attrs' &&
      pattern.length < path.length &&
      segmentsMatch(pattern, path.slice(0, pattern.length))
    );
  });
}

function describeValue(value: Value): string {
  switch (value.t) {
    case 'string':
    case 'path':
      return JSON.stringify(value.value);
    case 'int':
    case 'bool':
      return String(value.value);
    default:
      return `a ${value.t}`;
  }
}

/** Whether a value fits a type; a reason when it does not. */
export function typeProblem(
  schema: Schema,
  type: string,
  value: Value,
  release: ReleaseName,
): string | null {
  const expect = (ok: boolean) => (ok ? null : `is ${describeValue(value)}, not ${type}`);
  if (type === 'attrs') return null;
  if (type.startsWith('oneOf:')) {
    const choices = type.slice(6).split(',');
    return choices.some((choice) => typeProblem(schema, choice, value, release) === null)
      ? null
      : `is ${describeValue(value)}, not one of ${choices.join(', ')}`;
  }
  if (type.startsWith('list:')) {
    if (value.t !== 'list') return expect(false);
    for (const item of value.items) {
      const problem = typeProblem(schema, type.slice(5), item, release);
      if (problem) return `has an item that ${problem}`;
    }
    return null;
  }
  if (type.startsWith('set:')) {
    const fields = schema.submodules[type.slice(4)] ?? {};
    if (value.t !== 'set') return expect(false);
    for (const [name, inner] of Object.entries(value.attrs)) {
      const fieldType = fields[name];
      if (!fieldType) return `has ${name}, which ${type.slice(4)} does not declare`;
      const problem = typeProblem(schema, fieldType, inner, release);
      if (problem) return `has ${name} that ${problem}`;
    }
    return null;
  }
  if (type.startsWith('enum:')) {
    const allowed = type.slice(5).split('|');
    return value.t === 'string' && allowed.includes(value.value)
      ? null
      : `is ${describeValue(value)}, not one of ${allowed.join(', ')}`;
  }
  if (type.startsWith('int:')) {
    const [low = 0, high = 0] = type.slice(4).split('..').map(Number);
    return value.t === 'int' && value.value >= low && value.value <= high
      ? null
      : `is ${describeValue(value)}, not an integer from ${low} to ${high}`;
  }
  switch (type) {
    case 'bool':
      return expect(value.t === 'bool');
    case 'str':
    case 'lines':
      return expect(value.t === 'string');
    case 'int':
      return expect(value.t === 'int');
    case 'port':
      return expect(value.t === 'int' && value.value >= 0 && value.value <= 65535);
    case 'path':
      return expect(value.t === 'path');
    case 'package':
      return expect(value.t === 'package');
    case 'lambda':
      return expect(value.t === 'lambda');
    case 'null':
      return expect(value.t === 'null');
    case 'module':
      return expect(value.t === 'path' || value.t === 'module');
    case 'stateVersion':
      return value.t === 'string' && /^\d{2}\.\d{2}$/.test(value.value)
        ? null
        : `is ${describeValue(value)}, not a NixOS release such as 26.05`;
    default:
      throw new Error(`the schema uses an unknown type "${type}"`);
  }
}

/** Types whose definitions the module system merges; any other needs one winning value. */
function merges(type: string): boolean {
  return type === 'attrs' || type === 'lines' || type.startsWith('list:');
}

/**
 * Checks a host's definitions against the schema of one release: every path declared and
 * not removed, every value of its type, no two different values at the winning priority
 * (the imported upstream modules' definitions included), no insecure package and no unfree
 * one the host does not allow.
 */
export function checkDefinitions(
  schema: Schema,
  externals: Readonly<Record<string, ExternalModule>>,
  host: {
    definitions: readonly Definition[];
    externals: readonly string[];
    allowedUnfree: readonly (readonly string[])[];
  },
  release: ReleaseName,
  repo: string,
): Finding[] {
  const findings: Finding[] = [];
  const rel = (file: string) => {
    if (!file.startsWith(`${repo}/`)) return file;
    // A host is imported as its folder: name the file Nix reads there.
    const inRepo = file.slice(repo.length + 1);
    return file.endsWith('.nix') ? inRepo : `${inRepo}/default.nix`;
  };
  const byPath = new Map<string, { file: string; priority: number; value: unknown }[]>();
  const unfreeUsed: { file: string; path: string; name: string }[] = [];
  const visitPackages = (file: string, path: string, value: Value) => {
    if (value.t === 'package') {
      if (value.insecure) {
        findings.push({ file, path, problem: `uses ${value.name}, which nixpkgs marks insecure` });
      }
      if (value.unfree) unfreeUsed.push({ file, path, name: value.name });
    }
    if (value.t === 'list') for (const item of value.items) visitPackages(file, path, item);
    if (value.t === 'set')
      for (const inner of Object.values(value.attrs)) visitPackages(file, path, inner);
  };

  for (const definition of host.definitions) {
    const file = rel(definition.file);
    const path = definition.path.join('.');
    const spec = findOption(schema, definition.path, release);
    visitPackages(file, path, definition.value);
    if (!spec) {
      findings.push({ file, path, problem: 'is not an option upstream declares' });
      continue;
    }
    if (spec.gone?.in.includes(release)) {
      findings.push({
        file,
        path,
        problem: `was removed or renamed in ${UPSTREAM_REFS[spec.from][release]}: use ${spec.gone.use}`,
      });
      continue;
    }
    const type = typeFor(spec, release);
    const problem = typeProblem(schema, type, definition.value, release);
    if (problem) findings.push({ file, path, problem });
    const newest = spec.newMachine?.[release];
    if (newest !== undefined && describeValue(definition.value) !== String(newest)) {
      findings.push({
        file,
        path,
        problem: `must be ${newest} for a new machine on ${UPSTREAM_REFS[spec.from][release]}`,
      });
    }
    if (definition.value.t === 'bool' && definition.value.value) {
      for (const name of spec.unfree ?? []) unfreeUsed.push({ file, path, name });
    }
    if (!merges(type)) {
      const value =
        definition.value.t === 'lambda' ? Symbol('lambda') : JSON.stringify(definition.value);
      const list = byPath.get(path) ?? [];
      list.push({ file, priority: definition.priority, value });
      byPath.set(path, list);
    }
  }

  for (const name of host.externals) {
    const module = externals[name];
    if (!module) {
      findings.push({
        file: name,
        path: '(imports)',
        problem: 'is a module the option schema does not know',
      });
      continue;
    }
    for (const defined of module.defines) {
      const list = byPath.get(defined.path);
      if (!list) continue;
      const value =
        defined.value === null ? Symbol('varies') : JSON.stringify(describeJson(defined.value));
      list.push({ file: `${module.from} ${module.file}`, priority: defined.priority, value });
    }
  }

  for (const [path, list] of byPath) {
    const winning = Math.min(...list.map((d) => d.priority));
    const top = list.filter((d) => d.priority === winning);
    const distinct = new Set(top.map((d) => d.value));
    if (top.length > 1 && distinct.size > 1) {
      findings.push({
        file: top.map((d) => d.file).join(' and '),
        path,
        problem: `has conflicting definitions at the same priority (${winning})`,
      });
    }
  }

  const allowAll = host.definitions.some(
    (d) =>
      d.path.join('.') === 'nixpkgs.config.allowUnfree' && d.value.t === 'bool' && d.value.value,
  );
  const allowed = new Set(host.allowedUnfree.flat());
  for (const used of unfreeUsed) {
    if (!allowAll && !allowed.has(used.name)) {
      findings.push({
        file: used.file,
        path: used.path,
        problem: `needs the unfree package ${used.name}, which the host does not allow`,
      });
    }
  }
  return findings;
}

/** A plain value written in the schema, described the way collect.nix describes values. */
function describeJson(value: unknown): Value {
  if (typeof value === 'string') return { t: 'string', value };
  if (typeof value === 'boolean') return { t: 'bool', value };
  if (typeof value === 'number') return { t: 'int', value };
  throw new Error(`the schema cannot describe ${JSON.stringify(value)}`);
}
