import { NixstrapFailure } from '../../../../common/result';
import { nix, nixBindings, nixRepoPath, nixVariable, toNix } from '../../nix/literal';
import { readBindings, type Syntax, sliceTokens } from '../../nix/syntax';
import { applyEdits, parseFlake } from './edit';
import { entryName, findHostsSite, type HostsAttr } from './hosts-site';
import { readOutputs } from './inputs';
import { inputsBinding, modelEdits, type NewHostEntry, specialArgsEdits } from './model-entry';
import { addByHandHint } from './parse';
import { afterBinding, type FlakeSyntax, indent, indentAt } from './source';

/** The plainest entry for a host: its builder, `inputs` passed on, and its top file. */
function canonicalEntry(entry: NewHostEntry, inputsName: string): string {
  const inputs = nixVariable(inputsName);
  const builder =
    entry.attr === 'darwinConfigurations'
      ? nix`${inputs}.nix-darwin.lib.darwinSystem`
      : nix`${inputs}.nixpkgs.lib.nixosSystem`;
  const call = nix`${builder} {
  specialArgs = { ${inputsBinding(inputsName)} };
  modules = [ ${nixRepoPath(entry.entryPath)} ];
}`;
  return toNix(nixBindings([{ path: [entry.name], value: call }]));
}

function unknownHosts(attr: HostsAttr, detail: string): NixstrapFailure {
  return new NixstrapFailure(
    'REPO_LAYOUT_UNKNOWN',
    `flake.nix ${detail}, which Nixstrap cannot extend safely.`,
    addByHandHint(attr),
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
