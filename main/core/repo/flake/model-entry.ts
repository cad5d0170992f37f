import { SystemSchema } from '../../../../common/facts';
import { stringValue } from '../../nix/lexer';
import {
  type NixExpr,
  nix,
  nixAttrName,
  nixExpr,
  nixRepoPath,
  nixString,
  nixVariable,
} from '../../nix/literal';
import { attrSets, type Binding, literalAttrSetValue, type Syntax } from '../../nix/syntax';
import type { Edit } from './edit';
import type { HostsAttr } from './hosts-site';
import { relativePathOf } from './hosts-site';
import { indentAt } from './source';

/** The host a flake edit adds, and how to tell an existing host's files from the new one's. */
export type NewHostEntry = {
  attr: HostsAttr;
  name: string;
  system: string;
  /** The new host's top file, relative to the repo (the flake's folder). */
  entryPath: string;
  /**
   * Maps a path (relative to the repo) inside the host `modelName` to the new host's
   * equivalent; null for a path of no host (a shared `hosts/common`), which the copy keeps.
   */
  mapPath: (path: string, modelName: string) => string | null;
  /** Every file the plan writes for the new host, relative to the repo. */
  hostFiles: readonly string[];
};

/** The binding that hands every input to a host's modules: `inherit inputs;` or `inputs = attrs;`. */
export function inputsBinding(inputsName: string): NixExpr {
  return inputsName === 'inputs'
    ? nixExpr('inherit inputs;')
    : nix`inputs = ${nixVariable(inputsName)};`;
}

type Span = { first: number; last: number };

/** The token ranges of the items of a `modules = [ … ]` list inside `model`'s builder call. */
function moduleListItems(syn: Syntax, model: Binding): Span[] {
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
  const items: Span[] = [];
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
 * Paths are read from the folder `fromDir` of the file being edited.
 */
function machineSpecificItems(
  syn: Syntax,
  model: Binding,
  modelName: string,
  entry: NewHostEntry,
  fromDir: string,
): Span[] {
  const planned = new Set(entry.hostFiles);
  const plannedOrFolder = (path: string) =>
    planned.has(path) || entry.hostFiles.some((f) => f.startsWith(`${path}/`));
  return moduleListItems(syn, model).filter(({ first, last }) => {
    const tokens = syn.tokens.slice(first, last + 1);
    if (tokens.some((t) => t.kind === 'identifier' && t.text === 'nixos-hardware')) return true;
    if (tokens.some((t) => t.kind === 'string' && stringValue(t) === modelName)) return true;
    if (first === last && tokens[0]?.kind === 'path') {
      const rel = relativePathOf(tokens[0].text, fromDir);
      if (rel === null) return false;
      const mapped = entry.mapPath(rel, modelName);
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

/**
 * Replacement edits that turn a copy of `model` into the new host's entry; null if unsuited.
 * `fromDir` is the folder of the file being edited, which its path literals are relative to.
 */
export function modelEdits(
  syn: Syntax,
  model: Binding,
  modelName: string,
  entry: NewHostEntry,
  fromDir: string,
): Edit[] | null {
  const edits: Edit[] = [];
  let tied = false;
  const dropped = machineSpecificItems(syn, model, modelName, entry, fromDir).map(
    ({ first, last }) => ({
      start: syn.tokens[first]!.start,
      end: syn.tokens[last]!.end,
    }),
  );
  const isDropped = (at: number) => dropped.some((d) => at >= d.start && at < d.end);
  for (const d of dropped) edits.push(dropEdit(syn.source, d.start, d.end));
  // The entry's name is the last attribute-path part, the token before `=`.
  const nameTok = syn.tokens[model.valueStart - 2]!;
  edits.push({ start: nameTok.start, end: nameTok.end, text: nixAttrName(entry.name) });
  const systems = new Set<string>(SystemSchema.options);
  for (let i = model.valueStart; i < model.semicolon; i++) {
    const t = syn.tokens[i]!;
    if (isDropped(t.start)) continue;
    if (t.kind === 'path') {
      const rel = relativePathOf(t.text, fromDir);
      const mapped = rel === null ? null : entry.mapPath(rel, modelName);
      if (mapped !== null) {
        edits.push({ start: t.start, end: t.end, text: nixRepoPath(mapped, fromDir).text });
        tied = true;
      }
    } else if (t.kind === 'string') {
      const value = stringValue(t);
      if (value === modelName) {
        edits.push({ start: t.start, end: t.end, text: nixString(entry.name) });
        tied = true;
      } else if (value !== null && systems.has(value) && value !== entry.system) {
        edits.push({ start: t.start, end: t.end, text: nixString(entry.system) });
      }
    }
  }
  return tied ? edits : null;
}

/**
 * True when `model` builds its host through a helper of the file's own (`old = mkHost "old";`)
 * and the file hands no `specialArgs` to anything: the helper then gives its hosts' modules no
 * `inputs`, which the new host's modules take (and import from), so a copy of the entry would
 * not evaluate.
 */
export function helperWithoutSpecialArgs(syn: Syntax, model: Binding): boolean {
  const call = attrSets(syn).some(
    (s) =>
      s.open > model.valueStart &&
      s.close < model.semicolon &&
      s.bindings.some((b) => b.path.length === 1 && b.path[0] === 'modules'),
  );
  return !call && !syn.tokens.some((t) => t.kind === 'identifier' && t.text === 'specialArgs');
}

/** Makes the `lib.nixosSystem { … }` argument inside a copied entry pass `inputs`. */
export function specialArgsEdits(syn: Syntax, model: Binding, inputsName: string): Edit[] {
  const inherit = inputsBinding(inputsName);
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
    const set = literalAttrSetValue(syn, existing);
    if (set === null) return [];
    const hasInputs = set.bindings.some(
      (b) =>
        (b.kind === 'assign' && b.path[0] === 'inputs') ||
        (b.kind === 'inherit' &&
          syn.tokens.slice(b.valueStart, b.semicolon).some((t) => t.text === 'inputs')),
    );
    if (hasInputs) return [];
    const at = syn.tokens[set.open]!.end;
    return [{ start: at, end: at, text: ` ${inherit.text}` }];
  }
  const first = call.bindings[0]!;
  const start = syn.tokens[first.first]!.start;
  const line = nix`specialArgs = { ${inherit} };`;
  return [{ start, end: start, text: `${line.text}\n${indentAt(syn.source, start)}` }];
}
