import { posix } from 'node:path';
import { SystemSchema } from '../../../common/facts';
import { NixstrapFailure } from '../../../common/result';
import {
  type AttrSet,
  attrSets,
  type Binding,
  isPlainIdentifier,
  literalAttrSetValue,
  readBindings,
  type Syntax,
  sliceTokens,
  stringValue,
} from '../nix/lexer';
import { afterBinding, type FlakeSyntax, indent, indentAt, readFlakeSyntax } from './flake-source';

/**
 * Edits to a flake.nix Nixstrap did not write: add missing inputs, make `outputs` bind
 * `inputs`, and add one host entry modelled on the entries already there. Each edit inserts
 * text at positions found through the lexer; every other byte stays as the user wrote it.
 */

export type HostsAttr = 'nixosConfigurations' | 'darwinConfigurations';

type Edit = { start: number; end: number; text: string };

function applyEdits(source: string, edits: Edit[]): string {
  let out = source;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) {
    out = out.slice(0, e.start) + e.text + out.slice(e.end);
  }
  return out;
}

function parseFlake(source: string): FlakeSyntax {
  const flake = readFlakeSyntax(source);
  if (!flake) {
    throw new NixstrapFailure(
      'REPO_LAYOUT_UNKNOWN',
      'flake.nix is not an attribute set at its top, so Nixstrap cannot find its inputs and hosts.',
      'Add the host to flake.nix by hand.',
    );
  }
  return flake;
}

function quoteName(name: string): string {
  return isPlainIdentifier(name) ? name : JSON.stringify(name);
}

/** Appends the definitions of `names` (text relative to an inputs block) to the flake's inputs. */
export function addInputs(source: string, definitions: Map<string, string>): string {
  if (definitions.size === 0) return source;
  const { syn, root } = parseFlake(source);
  const inputBindings = root.bindings.filter((b) => b.path[0] === 'inputs');
  const block = inputBindings.find((b) => b.path.length === 1);
  const blockOpen = block ? literalAttrSetValue(syn, block) : null;
  if (block && blockOpen !== null) {
    const close = syn.partner.get(blockOpen)!;
    const inner = readBindings(syn, blockOpen + 1, close);
    const last = inner.at(-1);
    const outer = indentAt(source, syn.tokens[block.first]!.start);
    const pad = last ? indentAt(source, syn.tokens[last.first]!.start) : `${outer}  `;
    const text = [...definitions.values()].map((d) => indent(d, pad)).join('\n');
    const at = last ? afterBinding(syn, last) : syn.tokens[blockOpen]!.end;
    return applyEdits(source, [
      { start: at, end: at, text: `\n${text}${last ? '' : `\n${outer}`}` },
    ]);
  }
  const last = inputBindings.at(-1) ?? root.bindings.find((b) => b.path[0] === 'description');
  const pad = last ? indentAt(source, syn.tokens[last.first]!.start) : '  ';
  const prefixed = [...definitions.values()].map((d) =>
    d
      .split('\n')
      .map((line) => (/^[a-zA-Z_"]/.test(line) ? `inputs.${line}` : line))
      .join('\n'),
  );
  const text = prefixed.map((d) => indent(d, pad)).join('\n');
  const at = last ? afterBinding(syn, last) : syn.tokens[root.open]!.end;
  return applyEdits(source, [{ start: at, end: at, text: `\n${text}` }]);
}

type OutputsShape = {
  binding: Binding;
  /** Name `outputs` binds all inputs to, if any. */
  inputsName: string | null;
  formals: { open: number; close: number } | null;
  /** First token of the function's body. */
  body: number;
};

function isSym(syn: Syntax, i: number, text: string): boolean {
  const t = syn.tokens[i];
  return t !== undefined && t.kind === 'symbol' && t.text === text;
}

function readOutputs(flake: FlakeSyntax): OutputsShape | null {
  const { syn } = flake;
  const binding = flake.root.bindings.find((b) => b.path.length === 1 && b.path[0] === 'outputs');
  if (!binding) return null;
  const i = binding.valueStart;
  const t = syn.tokens[i];
  if (t?.kind === 'identifier' && isSym(syn, i + 1, ':')) {
    return { binding, inputsName: t.text, formals: null, body: i + 2 };
  }
  if (t?.kind === 'identifier' && isSym(syn, i + 1, '@') && isSym(syn, i + 2, '{')) {
    const close = syn.partner.get(i + 2)!;
    return { binding, inputsName: t.text, formals: { open: i + 2, close }, body: close + 2 };
  }
  if (isSym(syn, i, '{')) {
    const close = syn.partner.get(i)!;
    if (isSym(syn, close + 1, '@') && syn.tokens[close + 2]?.kind === 'identifier') {
      return {
        binding,
        inputsName: syn.tokens[close + 2]!.text,
        formals: { open: i, close },
        body: close + 4,
      };
    }
    if (isSym(syn, close + 1, ':')) {
      return { binding, inputsName: null, formals: { open: i, close }, body: close + 2 };
    }
  }
  return null;
}

/**
 * Makes `outputs` accept inputs it does not name (`...`) and bind them all to a name, so a
 * new host can receive them as `specialArgs`. Returns the edited source and that name.
 */
export function bindInputsInOutputs(source: string): { source: string; inputsName: string } {
  const flake = parseFlake(source);
  const outputs = readOutputs(flake);
  if (!outputs) {
    throw new NixstrapFailure(
      'REPO_LAYOUT_UNKNOWN',
      'flake.nix has no `outputs` function Nixstrap can read.',
      'Add the host to flake.nix by hand.',
    );
  }
  const { syn } = flake;
  const edits: Edit[] = [];
  if (outputs.formals) {
    const { open, close } = outputs.formals;
    const hasEllipsis = syn.tokens.slice(open, close).some((t) => t.text === '...');
    if (!hasEllipsis) {
      const before = syn.tokens[close - 1]!;
      const text = before.text === ',' || before.text === '{' ? ' ...' : ', ...';
      edits.push({ start: before.end, end: before.end, text });
    }
    if (outputs.inputsName === null) {
      const end = syn.tokens[close]!.end;
      edits.push({ start: end, end, text: '@inputs' });
    }
  }
  return { source: applyEdits(source, edits), inputsName: outputs.inputsName ?? 'inputs' };
}

type HostsSite =
  | { kind: 'attrset'; set: AttrSet }
  | { kind: 'bindings'; entries: Binding[] }
  | { kind: 'computed'; binding: Binding }
  | { kind: 'absent' };

function findHostsSite(syn: Syntax, attr: HostsAttr): HostsSite {
  let computed: Binding | null = null;
  const entries: Binding[] = [];
  for (const set of attrSets(syn)) {
    for (const b of set.bindings) {
      const at = b.path.indexOf(attr);
      if (at === -1) continue;
      if (at === b.path.length - 1) {
        const open = literalAttrSetValue(syn, b);
        if (open === null) computed ??= b;
        else {
          const close = syn.partner.get(open)!;
          return {
            kind: 'attrset',
            set: { open, close, bindings: readBindings(syn, open + 1, close) },
          };
        }
      } else if (at === b.path.length - 2 && typeof b.path[at + 1] === 'string') entries.push(b);
      else computed ??= b;
    }
  }
  if (entries.length > 0) return { kind: 'bindings', entries };
  if (computed) return { kind: 'computed', binding: computed };
  return { kind: 'absent' };
}

/** True when the flake builds hosts from folders (readDir, easy-hosts, Snowfall Lib). */
export function flakeDiscoversHosts(source: string): boolean {
  const flake = readFlakeSyntax(source);
  if (!flake) return false;
  return flake.syn.tokens.some(
    (t) =>
      t.kind === 'identifier' &&
      (t.text === 'readDir' || t.text === 'easyHosts' || t.text.startsWith('snowfall')),
  );
}

export type NewHostEntry = {
  attr: HostsAttr;
  name: string;
  system: string;
  /** The new host's top file, relative to the repo (the flake's folder). */
  entryPath: string;
  /** Maps a path (relative to the repo) inside an existing host to the new host's equivalent. */
  mapPath: (path: string) => string | null;
  /** Every file the plan writes for the new host, relative to the repo. */
  hostFiles: readonly string[];
};

function entryName(b: Binding, attr: HostsAttr, site: HostsSite): string | null {
  const name = site.kind === 'attrset' ? b.path[0] : b.path[b.path.indexOf(attr) + 1];
  return typeof name === 'string' && b.kind === 'assign' ? name : null;
}

function relativePathOf(text: string): string | null {
  if (!/^\.\.?\//.test(text) || text.includes('${')) return null;
  const normal = posix.normalize(text);
  return normal.startsWith('..') ? null : normal === '.' ? '' : normal;
}

/** The token ranges of the items of a `modules = [ … ]` list inside `model`'s builder call. */
function moduleListItems(syn: Syntax, model: Binding): { first: number; last: number }[] {
  const call = attrSets(syn).find(
    (set) => set.open > model.valueStart && set.close < model.semicolon,
  );
  const modules = call?.bindings.find(
    (b) => b.kind === 'assign' && b.path.length === 1 && b.path[0] === 'modules',
  );
  if (!modules) return [];
  const solid = (i: number) => {
    const kind = syn.tokens[i]?.kind;
    return kind !== 'space' && kind !== 'comment';
  };
  let open = modules.valueStart;
  while (open < modules.semicolon && !solid(open)) open++;
  if (syn.tokens[open]?.text !== '[') return [];
  const close = syn.partner.get(open);
  if (close === undefined) return [];
  const items: { first: number; last: number }[] = [];
  let i = open + 1;
  while (i < close) {
    if (!solid(i)) {
      i++;
      continue;
    }
    const first = i;
    let last = syn.partner.get(i) ?? i;
    // `a.b.c` (and `(x).y`) is one item: it continues while a `.` selection follows.
    for (;;) {
      let next = last + 1;
      while (next < close && !solid(next)) next++;
      if (syn.tokens[next]?.text !== '.') break;
      let after = next + 1;
      while (after < close && !solid(after)) after++;
      last = syn.partner.get(after) ?? after;
    }
    items.push({ first, last });
    i = last + 1;
  }
  return items;
}

/**
 * Items of the copied `modules` list that belong to the model machine, not the new one: its
 * nixos-hardware profile, files named after it, inline settings that name it, and files of its
 * folder the new host does not get. Everything else (shared modules, Home Manager) is kept.
 */
function machineSpecificItems(
  syn: Syntax,
  model: Binding,
  modelName: string,
  entry: NewHostEntry,
): { first: number; last: number }[] {
  const planned = new Set(entry.hostFiles);
  const plannedOrFolder = (path: string) =>
    planned.has(path) || entry.hostFiles.some((f) => f.startsWith(`${path}/`));
  return moduleListItems(syn, model).filter(({ first, last }) => {
    const tokens = syn.tokens.slice(first, last + 1);
    if (tokens.some((t) => t.kind === 'identifier' && t.text === 'nixos-hardware')) return true;
    if (tokens.some((t) => t.kind === 'string' && stringValue(t) === modelName)) return true;
    if (first === last && tokens[0]?.kind === 'path') {
      const rel = relativePathOf(tokens[0].text);
      if (rel === null) return false;
      const mapped = entry.mapPath(rel);
      if (mapped !== null) return !plannedOrFolder(mapped);
      return rel.split(/[/.]/).includes(modelName);
    }
    return false;
  });
}

/** Removes a list item, and its whole line when the item stands alone on it. */
function dropEdit(source: string, start: number, end: number): Edit {
  const lineStart = source.lastIndexOf('\n', start - 1) + 1;
  const lineEnd = source.indexOf('\n', end);
  const before = source.slice(lineStart, start);
  const after = source.slice(end, lineEnd === -1 ? source.length : lineEnd);
  if (/^[ \t]*$/.test(before) && /^[ \t]*$/.test(after) && lineEnd !== -1) {
    return { start: lineStart, end: lineEnd + 1, text: '' };
  }
  const spaceAfter = /^[ \t]*/.exec(source.slice(end))?.[0].length ?? 0;
  return { start, end: end + spaceAfter, text: '' };
}

/** Replacement edits that turn a copy of `model` into the new host's entry; null if unsuited. */
function modelEdits(
  syn: Syntax,
  model: Binding,
  modelName: string,
  entry: NewHostEntry,
): Edit[] | null {
  const edits: Edit[] = [];
  let tied = false;
  const dropped = machineSpecificItems(syn, model, modelName, entry).map(({ first, last }) => ({
    start: syn.tokens[first]!.start,
    end: syn.tokens[last]!.end,
  }));
  const isDropped = (at: number) => dropped.some((d) => at >= d.start && at < d.end);
  for (const d of dropped) edits.push(dropEdit(syn.source, d.start, d.end));
  // The entry's name is the last attribute-path part, the token before `=`.
  const nameTok = syn.tokens[model.valueStart - 2]!;
  edits.push({ start: nameTok.start, end: nameTok.end, text: quoteName(entry.name) });
  const systems = new Set<string>(SystemSchema.options);
  for (let i = model.valueStart; i < model.semicolon; i++) {
    const t = syn.tokens[i]!;
    if (isDropped(t.start)) continue;
    if (t.kind === 'path') {
      const rel = relativePathOf(t.text);
      const mapped = rel === null ? null : entry.mapPath(rel);
      if (mapped !== null) {
        edits.push({ start: t.start, end: t.end, text: `./${mapped}` });
        tied = true;
      }
    } else if (t.kind === 'string') {
      const value = stringValue(t);
      if (value === modelName) {
        edits.push({ start: t.start, end: t.end, text: JSON.stringify(entry.name) });
        tied = true;
      } else if (value !== null && systems.has(value) && value !== entry.system) {
        edits.push({ start: t.start, end: t.end, text: JSON.stringify(entry.system) });
      }
    }
  }
  return tied ? edits : null;
}

/** Makes the `lib.nixosSystem { … }` argument inside a copied entry pass `inputs`. */
function specialArgsEdits(syn: Syntax, model: Binding, inputsName: string): Edit[] {
  const inherit = inputsName === 'inputs' ? 'inherit inputs;' : `inputs = ${inputsName};`;
  const call = attrSets(syn).find(
    (s) =>
      s.open > model.valueStart &&
      s.close < model.semicolon &&
      s.bindings.some((b) => b.path.length === 1 && b.path[0] === 'modules'),
  );
  if (!call) return [];
  const passesSpecialArgs = (b: Binding) =>
    (b.kind === 'assign' && b.path[0] === 'specialArgs') ||
    (b.kind === 'inherit' &&
      syn.tokens.slice(b.valueStart, b.semicolon).some((t) => t.text === 'specialArgs'));
  const existing = call.bindings.find(passesSpecialArgs);
  if (existing) {
    if (existing.kind !== 'assign' || existing.path.length !== 1) return [];
    const open = literalAttrSetValue(syn, existing);
    if (open === null) return [];
    const inner = readBindings(syn, open + 1, syn.partner.get(open)!);
    const hasInputs = inner.some(
      (b) =>
        (b.kind === 'assign' && b.path[0] === 'inputs') ||
        (b.kind === 'inherit' &&
          syn.tokens.slice(b.valueStart, b.semicolon).some((t) => t.text === 'inputs')),
    );
    if (hasInputs) return [];
    const at = syn.tokens[open]!.end;
    return [{ start: at, end: at, text: ` ${inherit}` }];
  }
  const first = call.bindings[0]!;
  const start = syn.tokens[first.first]!.start;
  return [
    { start, end: start, text: `specialArgs = { ${inherit} };\n${indentAt(syn.source, start)}` },
  ];
}

function canonicalEntry(entry: NewHostEntry, inputsName: string): string {
  const builder =
    entry.attr === 'darwinConfigurations'
      ? `${inputsName}.nix-darwin.lib.darwinSystem`
      : `${inputsName}.nixpkgs.lib.nixosSystem`;
  const inherit = inputsName === 'inputs' ? 'inherit inputs;' : `inputs = ${inputsName};`;
  return [
    `${quoteName(entry.name)} = ${builder} {`,
    `  specialArgs = { ${inherit} };`,
    `  modules = [ ./${entry.entryPath} ];`,
    '};',
  ].join('\n');
}

function unknownHosts(attr: HostsAttr, detail: string): NixstrapFailure {
  return new NixstrapFailure(
    'REPO_LAYOUT_UNKNOWN',
    `flake.nix ${detail}, which Nixstrap cannot extend safely.`,
    `Add the host to ${attr} in flake.nix by hand; \`nixstrap plan\` shows the files it would write.`,
  );
}

/**
 * Adds the host entry to the flake. The entry copies the shape of an existing one (the same
 * builder, modules and arguments, with the host's paths, name and system replaced) so the new
 * host is built the way the repo builds its others; an empty or missing set gets a plain
 * `nixosSystem` entry. Expects `outputs` to bind `inputsName` already.
 */
export function addHostEntry(source: string, entry: NewHostEntry, inputsName: string): string {
  const flake = parseFlake(source);
  const { syn } = flake;
  const site = findHostsSite(syn, entry.attr);
  if (site.kind === 'computed') {
    const b = site.binding;
    const snippet = sliceTokens(syn, b.valueStart, Math.min(b.semicolon - 1, b.valueStart + 5));
    throw unknownHosts(
      entry.attr,
      `builds ${entry.attr} from \`${snippet.replace(/\s+/g, ' ')}…\``,
    );
  }
  if (site.kind === 'absent') return addHostsSet(flake, entry, inputsName);
  const entries = site.kind === 'attrset' ? site.set.bindings : site.entries;
  for (const b of entries) {
    if (entryName(b, entry.attr, site) === entry.name) {
      throw new NixstrapFailure(
        'HOST_EXISTS',
        `flake.nix already has ${entry.attr}.${entry.name}.`,
        'Choose another host name.',
      );
    }
  }
  let text: string | null = null;
  for (const model of entries) {
    const name = entryName(model, entry.attr, site);
    if (name === null) continue;
    const edits = modelEdits(syn, model, name, entry);
    if (edits === null) continue;
    edits.push(...specialArgsEdits(syn, model, inputsName));
    const start = syn.tokens[model.first]!.start;
    const end = syn.tokens[model.semicolon]!.end;
    const shifted = edits.map((e) => ({ ...e, start: e.start - start, end: e.end - start }));
    text = applyEdits(source.slice(start, end), shifted);
    break;
  }
  const last = entries.at(-1);
  if (site.kind === 'attrset' && !last) {
    const open = syn.tokens[site.set.open]!;
    const outer = indentAt(source, open.start);
    const body = indent(canonicalEntry(entry, inputsName), `${outer}  `);
    const close = syn.tokens[site.set.close]!;
    return `${source.slice(0, open.end)}\n${body}\n${outer}${source.slice(close.start)}`;
  }
  if (!last) return source;
  const pad = indentAt(source, syn.tokens[last.first]!.start);
  if (text === null) {
    const plain = canonicalEntry(entry, inputsName);
    text = site.kind === 'bindings' ? `${entry.attr}.${plain}` : plain;
  }
  const previous = entries.at(-2);
  const spaced =
    previous !== undefined &&
    /\n[ \t]*\n/.test(
      source.slice(syn.tokens[previous.semicolon]!.end, syn.tokens[last.first]!.start),
    );
  const at = afterBinding(syn, last);
  const body = text
    .split('\n')
    .map((line, i) => (i === 0 ? pad + line : line))
    .join('\n');
  return applyEdits(source, [{ start: at, end: at, text: `${spaced ? '\n' : ''}\n${body}` }]);
}

/** First token after the `in` that closes the `let` at `at`. */
function letBodyStart(syn: Syntax, at: number): number {
  let depth = 0;
  for (let i = at; i < syn.tokens.length; i++) {
    const t = syn.tokens[i]!;
    if (syn.partner.has(i) && syn.partner.get(i)! > i) i = syn.partner.get(i)!;
    else if (t.kind === 'keyword' && t.text === 'let') depth++;
    else if (t.kind === 'keyword' && t.text === 'in' && --depth === 0) return i + 1;
  }
  return -1;
}

/** Adds `<attr> = { <entry> };` to the attribute set `outputs` returns. */
function addHostsSet(flake: FlakeSyntax, entry: NewHostEntry, inputsName: string): string {
  const { syn } = flake;
  const outputs = readOutputs(flake);
  let i = outputs?.body ?? -1;
  if (syn.tokens[i]?.text === 'let') i = letBodyStart(syn, i);
  const open = i >= 0 && syn.tokens[i]?.text === '{' ? i : null;
  const close = open === null ? undefined : syn.partner.get(open);
  if (open === null || close === undefined || close + 1 !== outputs?.binding.semicolon) {
    throw unknownHosts(
      entry.attr,
      `has no ${entry.attr} and its outputs are not a plain attribute set`,
    );
  }
  const bindings = readBindings(syn, open + 1, close);
  const last = bindings.at(-1);
  const pad = last
    ? indentAt(syn.source, syn.tokens[last.first]!.start)
    : `${indentAt(syn.source, syn.tokens[open]!.start)}  `;
  const set = `${entry.attr} = {\n${indent(canonicalEntry(entry, inputsName), '  ')}\n};`;
  const at = last ? afterBinding(syn, last) : syn.tokens[open]!.end;
  return applyEdits(syn.source, [{ start: at, end: at, text: `\n\n${indent(set, pad)}` }]);
}

/** One host a flake lists, with the relative paths its entry mentions. */
export type FlakeHostEntry = {
  attr: HostsAttr;
  name: string;
  paths: string[];
  system: string | null;
};

/** The hosts a flake lists literally in nixosConfigurations / darwinConfigurations. */
export function flakeHostEntries(source: string): FlakeHostEntry[] {
  const flake = readFlakeSyntax(source);
  if (!flake) return [];
  const { syn } = flake;
  const systems = new Set<string>(SystemSchema.options);
  const out: FlakeHostEntry[] = [];
  for (const attr of ['nixosConfigurations', 'darwinConfigurations'] as const) {
    const site = findHostsSite(syn, attr);
    if (site.kind !== 'attrset' && site.kind !== 'bindings') continue;
    const entries = site.kind === 'attrset' ? site.set.bindings : site.entries;
    for (const b of entries) {
      const name = entryName(b, attr, site);
      if (name === null) continue;
      const paths: string[] = [];
      let system: string | null = null;
      for (let i = b.valueStart; i < b.semicolon; i++) {
        const t = syn.tokens[i]!;
        const rel = t.kind === 'path' ? relativePathOf(t.text) : null;
        if (rel !== null) paths.push(rel);
        const value = stringValue(t);
        if (value !== null && systems.has(value)) system ??= value;
      }
      out.push({ attr, name, paths, system });
    }
  }
  return out;
}
