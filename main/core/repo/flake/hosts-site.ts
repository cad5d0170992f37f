import { posix } from 'node:path';
import { SystemSchema } from '../../../../common/facts';
import { stringValue } from '../../nix/lexer';
import {
  type AttrSet,
  attrSets,
  type Binding,
  literalAttrSetValue,
  readSyntax,
  type Syntax,
} from '../../nix/syntax';
import { readFlakeSyntax } from './source';

/** Where a flake lists its hosts, found through the lexer's structure. */

export type HostsAttr = 'nixosConfigurations' | 'darwinConfigurations';

export type HostsSite =
  | { kind: 'attrset'; set: AttrSet }
  | { kind: 'bindings'; entries: Binding[] }
  | { kind: 'computed'; binding: Binding }
  | { kind: 'absent' };

export function findHostsSite(syn: Syntax, attr: HostsAttr): HostsSite {
  let computed: Binding | null = null;
  const entries: Binding[] = [];
  for (const set of attrSets(syn)) {
    for (const b of set.bindings) {
      const at = b.path.indexOf(attr);
      if (at === -1) continue;
      if (at === b.path.length - 1) {
        const set = literalAttrSetValue(syn, b);
        if (set === null) computed ??= b;
        else return { kind: 'attrset', set };
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

/** The host name an entry of the site defines, null for `inherit` or a dynamic name. */
export function entryName(b: Binding, attr: HostsAttr, site: HostsSite): string | null {
  const name = site.kind === 'attrset' ? b.path[0] : b.path[b.path.indexOf(attr) + 1];
  return typeof name === 'string' && b.kind === 'assign' ? name : null;
}

/** A file that lists hosts: flake.nix, or a module it imports. Path relative to the repo. */
export type HostsFile = { path: string; source: string };

/** The folder of a repo-relative file, '' for the repo's top. */
export function folderOf(path: string): string {
  const dir = posix.dirname(path);
  return dir === '.' ? '' : dir;
}

/**
 * A path literal's text, written in a file of the folder `fromDir` (repo-relative, '' for
 * flake.nix's), as a repo-relative path; null when it leaves the repo or interpolates.
 */
export function relativePathOf(text: string, fromDir = ''): string | null {
  if (!/^\.\.?\//.test(text) || text.includes('${')) return null;
  const normal = posix.normalize(posix.join(fromDir, text));
  return normal.startsWith('..') ? null : normal === '.' ? '' : normal;
}

/** One host a flake lists, with the relative paths its entry mentions. */
export type FlakeHostEntry = {
  attr: HostsAttr;
  name: string;
  paths: string[];
  system: string | null;
};

/**
 * The hosts a flake lists literally in nixosConfigurations / darwinConfigurations, in flake.nix
 * or in a module of the folder `fromDir` it imports.
 */
export function flakeHostEntries(source: string, fromDir = ''): FlakeHostEntry[] {
  const syn = readSyntax(source);
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
        const rel = t.kind === 'path' ? relativePathOf(t.text, fromDir) : null;
        if (rel !== null) paths.push(rel);
        const value = stringValue(t);
        if (value !== null && systems.has(value)) system ??= value;
      }
      out.push({ attr, name, paths, system });
    }
  }
  return out;
}
