import type { Stats } from 'node:fs';
import { join, posix } from 'node:path';
import { unlessSyntaxError } from '../../nix/lexer';
import { readBindings, readSyntax, type Syntax } from '../../nix/syntax';
import { lstatOrNull, readText } from '../fs/read';
import { findHostsSite, folderOf, type HostsFile, relativePathOf } from './hosts-site';
import { moduleBody } from './module-shape';

/**
 * A flake-parts flake may list its hosts in a module it imports (`imports = [ ./parts/hosts.nix
 * ]`) rather than in flake.nix. These are the files that list a flake's hosts, found by
 * following the local modules of those `imports` lists.
 */

/** How many levels of modules below flake.nix are followed (a module importing a module…). */
const MAX_DEPTH = 3;

function definesHosts(syn: Syntax): boolean {
  return (['nixosConfigurations', 'darwinConfigurations'] as const).some(
    (attr) => findHostsSite(syn, attr).kind !== 'absent',
  );
}

/**
 * The repo-relative modules the `imports = [ … ]` of the module body at `body` lists, as
 * written in a file of `fromDir`; null when the list is built (a call, `++`, an interpolated
 * path, a path passed to a function), so what it imports cannot be known from the text.
 * Items that are no local path (`inputs.treefmt-nix.flakeModule`) are no file of the repo.
 */
function importedModules(syn: Syntax, body: number, fromDir: string): string[] | null {
  const close = syn.partner.get(body)!;
  const imports = readBindings(syn, body + 1, close).find(
    (b) => b.kind === 'assign' && b.path.length === 1 && b.path[0] === 'imports',
  );
  if (!imports) return [];
  const open = imports.valueStart;
  if (syn.tokens[open]?.text !== '[' || syn.partner.get(open) !== imports.semicolon - 1)
    return null;
  const out: string[] = [];
  for (let i = open + 1; i < imports.semicolon - 1; i++) {
    const t = syn.tokens[i]!;
    const inner = syn.partner.get(i);
    if (inner !== undefined && inner > i) {
      if (syn.tokens.slice(i, inner).some((x) => x.kind === 'path')) return null;
      i = inner;
    } else if (t.kind === 'path') {
      if (t.text.includes('${')) return null;
      const rel = relativePathOf(t.text, fromDir);
      if (rel !== null) out.push(rel);
    }
  }
  return out;
}

/**
 * A module file of the repo, or its folder's default.nix; null when it is missing, 'link' when
 * any part of its path is a symbolic link, which could lead out of the repo and would be
 * replaced by a file if Nixstrap wrote through it.
 */
async function readModule(repo: string, rel: string): Promise<HostsFile | 'link' | null> {
  let at = repo;
  let stat: Stats | null = null;
  for (const part of rel === '' ? [] : rel.split('/')) {
    at = join(at, part);
    stat = await lstatOrNull(at);
    if (stat === null) return null;
    if (stat.isSymbolicLink()) return 'link';
  }
  const path = stat === null || stat.isDirectory() ? posix.join(rel, 'default.nix') : rel;
  if (path !== rel) {
    const file = await lstatOrNull(join(repo, path));
    if (file === null || !file.isFile()) return null;
  }
  const source = await readText(join(repo, path));
  return source === null ? null : { path, source };
}

/** The module flake.nix hands to flake-parts' `mkFlake { … } { … }`, as its body's `{`. */
function mkFlakeModule(syn: Syntax): number | null {
  const at = syn.tokens.findIndex((t) => t.kind === 'identifier' && t.text === 'mkFlake');
  const args = at === -1 ? undefined : syn.partner.get(at + 1);
  if (args === undefined || syn.tokens[at + 1]?.text !== '{') return null;
  const start = args + 1;
  const end = (syn.partner.get(start) ?? start) + 1;
  return moduleBody(syn, start, end);
}

/**
 * The files that list the flake's hosts, and, when no module was found to list them, the first
 * imported module that is a symbolic link (the hosts may be behind it, where Nixstrap does not
 * look).
 */
export interface HostsListing {
  files: HostsFile[];
  linkedModule: string | null;
  /** Why flake.nix's modules could not all be followed, when they could not: a clause. */
  unfollowed: string | null;
}

/**
 * The files that list the flake's hosts: flake.nix when it lists them itself, or when its
 * modules cannot all be followed (then flake.nix's own refusal explains); else every module
 * that lists hosts, one for a flake Nixstrap can extend.
 */
export async function hostsFiles(repo: string, flake: string): Promise<HostsFile[]> {
  return (await hostsListing(repo, flake)).files;
}

/** `hostsFiles`, with the linked module that may hide the hosts when none were found. */
export async function hostsListing(repo: string, flake: string): Promise<HostsListing> {
  const own = {
    files: [{ path: 'flake.nix', source: flake }],
    linkedModule: null,
    unfollowed: null,
  };
  const syn = unlessSyntaxError(() => readSyntax(flake), null);
  if (syn === null || unlessSyntaxError(() => definesHosts(syn), true)) return own;
  const top = mkFlakeModule(syn);
  if (top === null) return own;
  const found: HostsFile[] = [];
  const seen = new Set<string>();
  const links: string[] = [];
  let unfollowed: string | null = null;
  const stop = (why: string): false => {
    unfollowed = why;
    return false;
  };
  const follow = async (
    s: Syntax,
    body: number,
    where: string,
    depth: number,
  ): Promise<boolean> => {
    // Bindings are read lazily, so a syntax error can surface in any of these reads.
    const paths = unlessSyntaxError(() => importedModules(s, body, folderOf(where)), null);
    if (paths === null) {
      return stop(`the imports list of ${where} is built by an expression, not written out`);
    }
    if (paths.length > 0 && depth >= MAX_DEPTH) {
      return stop(`${where} imports modules more than ${MAX_DEPTH} levels below flake.nix`);
    }
    for (const rel of paths) {
      const file = await readModule(repo, rel);
      if (file === 'link') links.push(rel);
      if (file === null || file === 'link' || seen.has(file.path)) continue;
      seen.add(file.path);
      const module = unlessSyntaxError(() => readSyntax(file.source), null);
      if (module === null) return stop(`${file.path} does not parse`);
      const hosts = unlessSyntaxError(() => definesHosts(module), null);
      if (hosts === null) return stop(`${file.path} does not parse`);
      if (hosts) found.push(file);
      const inner = moduleBody(module, 0, module.tokens.length);
      if (inner === null) {
        if (hosts) continue;
        return stop(
          `${file.path} is not a module Nixstrap can read (no attribute set as its body)`,
        );
      }
      if (!(await follow(module, inner, file.path, depth + 1))) return false;
    }
    return true;
  };
  if (!(await follow(syn, top, 'flake.nix', 0))) return { ...own, unfollowed };
  if (found.length === 0) return { ...own, linkedModule: links[0] ?? null };
  return { files: found, linkedModule: null, unfollowed: null };
}
