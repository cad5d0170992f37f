import { NixstrapFailure } from '../../../../common/result';
import { nix, nixAttrPath, nixBindings, nixRepoPath, nixVariable, toNix } from '../../nix/literal';
import { type Binding, readBindings, readSyntax, type Syntax, sliceTokens } from '../../nix/syntax';
import { applyEdits, parseFlake } from './edit';
import { entryName, findHostsSite, folderOf, type HostsAttr, type HostsFile } from './hosts-site';
import { readOutputs } from './inputs';
import {
  helperWithoutSpecialArgs,
  inputsBinding,
  modelEdits,
  type NewHostEntry,
  specialArgsEdits,
} from './model-entry';
import { letBodyStart, moduleBody } from './module-shape';
import { addByHandHint } from './parse';
import { afterBinding, indent, indentAt } from './source';

/** The plainest entry for a host: its builder, `inputs` passed on, and its top file. */
function canonicalEntry(entry: NewHostEntry, inputsName: string, fromDir: string): string {
  const inputs = nixVariable(inputsName);
  const builder =
    entry.attr === 'darwinConfigurations'
      ? nix`${inputs}.nix-darwin.lib.darwinSystem`
      : nix`${inputs}.nixpkgs.lib.nixosSystem`;
  const call = nix`${builder} {
  specialArgs = { ${inputsBinding(inputsName)} };
  modules = [ ${nixRepoPath(entry.entryPath, fromDir)} ];
}`;
  return toNix(nixBindings([{ path: [entry.name], value: call }]));
}

function unknownHosts(file: HostsFile, attr: HostsAttr, detail: string): NixstrapFailure {
  return new NixstrapFailure(
    'REPO_LAYOUT_UNKNOWN',
    `${file.path} ${detail}, which Nixstrap cannot extend safely.`,
    addByHandHint(attr),
  );
}

/** The attribute path the site's bindings start with (`flake.nixosConfigurations`). */
function sitePrefix(b: Binding, attr: HostsAttr): string {
  const prefix = b.path.slice(0, b.path.indexOf(attr) + 1);
  return prefix.every((p) => typeof p === 'string') ? nixAttrPath(prefix as string[]) : attr;
}

/**
 * Adds the host entry to the file that lists the flake's hosts: flake.nix, or a flake-parts
 * module it imports, whose paths are written from its own folder. The entry copies the shape
 * of an existing one (the same builder, modules and arguments, with the host's paths, name
 * and system replaced) so the new host is built the way the repo builds its others; an empty
 * or missing set gets a plain `nixosSystem` entry. Expects `inputsName` to be bound where the
 * hosts are listed already.
 */
export function addHostEntry(file: HostsFile, entry: NewHostEntry, inputsName: string): string {
  const { source } = file;
  const syn = file.path === 'flake.nix' ? parseFlake(source).syn : readSyntax(source);
  const fromDir = folderOf(file.path);
  const site = findHostsSite(syn, entry.attr);
  if (site.kind === 'computed') {
    const b = site.binding;
    const snippet = sliceTokens(syn, b.valueStart, Math.min(b.semicolon - 1, b.valueStart + 5));
    throw unknownHosts(
      file,
      entry.attr,
      `builds ${entry.attr} from \`${snippet.replace(/\s+/g, ' ')}…\``,
    );
  }
  if (site.kind === 'absent') return addHostsSet(file, syn, entry, inputsName);
  const entries = site.kind === 'attrset' ? site.set.bindings : site.entries;
  for (const b of entries) {
    if (entryName(b, entry.attr, site) === entry.name) {
      throw new NixstrapFailure(
        'HOST_EXISTS',
        `${file.path} already has ${entry.attr}.${entry.name}.`,
        'Choose another host name.',
      );
    }
  }
  let text: string | null = null;
  for (const model of entries) {
    const name = entryName(model, entry.attr, site);
    if (name === null) continue;
    const edits = modelEdits(syn, model, name, entry, fromDir);
    if (edits === null) continue;
    if (helperWithoutSpecialArgs(syn, model)) {
      throw unknownHosts(
        file,
        entry.attr,
        `builds ${name} through a helper that gives its modules no \`inputs\` (no specialArgs) for the new host's modules to import from`,
      );
    }
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
    const body = indent(canonicalEntry(entry, inputsName, fromDir), `${outer}  `);
    const close = syn.tokens[site.set.close]!;
    return `${source.slice(0, open.end)}\n${body}\n${outer}${source.slice(close.start)}`;
  }
  if (!last) return source;
  const pad = indentAt(source, syn.tokens[last.first]!.start);
  if (text === null) {
    const plain = canonicalEntry(entry, inputsName, fromDir);
    text = site.kind === 'bindings' ? `${sitePrefix(last, entry.attr)}.${plain}` : plain;
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

/**
 * The attribute set a new hosts set goes in, and the path it is named by there: the set
 * flake.nix's `outputs` returns, or a module's body, where flake-parts reads `flake.<attr>`.
 */
function hostsSetPlace(
  file: HostsFile,
  syn: Syntax,
): { open: number; close: number; prefix: string } | null {
  if (file.path !== 'flake.nix') {
    const open = moduleBody(syn, 0, syn.tokens.length);
    return open === null ? null : { open, close: syn.partner.get(open)!, prefix: 'flake.' };
  }
  const outputs = readOutputs(parseFlake(file.source));
  let i = outputs?.body ?? -1;
  if (syn.tokens[i]?.text === 'let') i = letBodyStart(syn, i);
  const open = i >= 0 && syn.tokens[i]?.text === '{' ? i : null;
  const close = open === null ? undefined : syn.partner.get(open);
  if (open === null || close === undefined || close + 1 !== outputs?.binding.semicolon) return null;
  return { open, close, prefix: '' };
}

/** Adds `<attr> = { <entry> };` to the attribute set `outputs` returns, or the module's body. */
function addHostsSet(
  file: HostsFile,
  syn: Syntax,
  entry: NewHostEntry,
  inputsName: string,
): string {
  const place = hostsSetPlace(file, syn);
  if (place === null) {
    const what = file.path === 'flake.nix' ? 'its outputs are' : 'the module is';
    throw unknownHosts(
      file,
      entry.attr,
      `has no ${entry.attr} and ${what} not a plain attribute set`,
    );
  }
  const { open, close, prefix } = place;
  const bindings = readBindings(syn, open + 1, close);
  const last = bindings.at(-1);
  const pad = last
    ? indentAt(syn.source, syn.tokens[last.first]!.start)
    : `${indentAt(syn.source, syn.tokens[open]!.start)}  `;
  const entryText = canonicalEntry(entry, inputsName, folderOf(file.path));
  const set = `${prefix}${entry.attr} = {\n${indent(entryText, '  ')}\n};`;
  const at = last ? afterBinding(syn, last) : syn.tokens[open]!.end;
  return applyEdits(syn.source, [{ start: at, end: at, text: `\n\n${indent(set, pad)}` }]);
}
