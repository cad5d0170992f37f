import { join, posix } from 'node:path';
import type { Host } from '../../../../common/plan';
import { NixstrapFailure } from '../../../../common/result';
import { stringValue, unlessSyntaxError } from '../../nix/lexer';
import { attrSets, readSyntax } from '../../nix/syntax';
import { flakeDiscoversHosts, flakeHostEntries, folderOf } from '../flake/hosts-site';
import { hostsFiles } from '../flake/parts-modules';
import { isDirectory, isFile, readText, statOrNull } from '../fs/read';
import { type HostFolder, readRepoShape } from '../layout';

/**
 * The system double a host file pins with `nixpkgs.hostPlatform` (plain or under
 * `lib.mkDefault`), or null.
 */
export function hostPlatformIn(source: string): string | null {
  // Bindings are read lazily, so a syntax error can surface anywhere in this walk.
  return unlessSyntaxError(() => {
    const syn = readSyntax(source);
    for (const set of attrSets(syn)) {
      for (const b of set.bindings) {
        if (b.path.slice(-2).join('.') !== 'nixpkgs.hostPlatform') continue;
        for (let i = b.valueStart; i < b.semicolon; i++) {
          const value = stringValue(syn.tokens[i]);
          if (value !== null) return value;
        }
      }
    }
    return null;
  }, null);
}

async function systemOf(repo: string, folder: HostFolder): Promise<string | null> {
  for (const file of [folder.hardware, folder.entry]) {
    if (file === null) continue;
    const text = await readText(join(repo, folder.dir, file));
    const system = text === null ? null : hostPlatformIn(text);
    if (system !== null) return system;
  }
  const arch = /^systems\/([^/]+)\//.exec(folder.dir)?.[1];
  return arch !== undefined && /-(linux|darwin)$/.test(arch) ? arch : null;
}

export async function assertRepoExists(repo: string): Promise<void> {
  if (await isDirectory(repo)) return;
  const file = await isFile(repo);
  throw new NixstrapFailure(
    'REPO_NOT_FOUND',
    file ? `${repo} is a file, not a repo folder.` : `There is no repo at ${repo}.`,
    'Check the path; to start a new repo there instead, choose “Start a new config repo”.',
  );
}

/** What a configuration repo has at its top, one of which any layout Nixstrap reads starts from. */
const CONFIGURATION_FILES = ['flake.nix', 'configuration.nix', 'default.nix'];
/** Folders only: /etc has a `hosts` file and is no configuration. */
const HOST_FOLDERS = ['hosts', 'systems', 'machines'];

/**
 * Whether the folder has something of a configuration at its top, read without walking it:
 * only such a folder (or a git repo) is worth reading every `.nix` file below.
 */
export async function holdsConfiguration(repo: string): Promise<boolean> {
  for (const file of CONFIGURATION_FILES) if (await statOrNull(join(repo, file))) return true;
  for (const folder of HOST_FOLDERS) if (await isDirectory(join(repo, folder))) return true;
  return false;
}

/**
 * Refuses a folder with nothing of a configuration at its top before reading every `.nix`
 * file below it: pointed at a home or /tmp by mistake, the walk would take minutes, and
 * "no hosts" would hide that the folder is the wrong one.
 */
export async function assertConfiguration(repo: string): Promise<void> {
  if (await holdsConfiguration(repo)) return;
  throw new NixstrapFailure(
    'REPO_LAYOUT_UNKNOWN',
    `${repo} has no flake.nix, configuration.nix or host folders at its top, so it is not a Nix configuration.`,
    'Choose the folder that holds your flake.nix or configuration.nix.',
  );
}

/**
 * The repo's hosts: its host folders, and the hosts its flake lists by name (in flake.nix or
 * in the flake-parts modules it imports).
 */
export async function listHosts(repo: string): Promise<Host[]> {
  await assertRepoExists(repo);
  const shape = await readRepoShape(repo);
  const hosts = new Map<string, Host>();
  // A flake that does not parse names no hosts here; `check` reports it.
  const flake = shape.flake;
  const listing = flake === null ? [] : await hostsFiles(repo, flake);
  const entries = listing.flatMap((file) =>
    unlessSyntaxError(() => flakeHostEntries(file.source, folderOf(file.path)), []),
  );
  // A flake that names its hosts one by one says which folders are hosts; the others
  // (hosts/common/ and the like) are shared modules.
  const explicit =
    entries.length > 0 &&
    !shape.bySystem &&
    flake !== null &&
    !unlessSyntaxError(() => flakeDiscoversHosts(flake), false);
  // A folder named like an entry is that host's, whether the entry lists it or a helper
  // (`laptop = mkHost "laptop"`) finds it; another folder an entry lists (`./hosts/common`) is
  // a host only for an entry named unlike every folder.
  const folderNames = new Set(shape.hosts.map((h) => h.name));
  const referenced = (folder: HostFolder) =>
    entries.some(
      (e) =>
        e.name === folder.name ||
        (!folderNames.has(e.name) &&
          e.paths.some((p) => p === folder.dir || p.startsWith(`${folder.dir}/`))),
    );
  for (const folder of shape.hosts) {
    if (explicit && folder.dir !== '' && !referenced(folder)) continue;
    let name = folder.name;
    if (name === '') {
      // A lone configuration.nix: the flake entry that builds it names the host.
      const entry = entries.find((e) => e.paths.includes(folder.entry ?? ''));
      name = entry?.name ?? 'configuration';
    }
    hosts.set(name, {
      name,
      kind: folder.kind,
      path: folder.dir === '' ? '.' : folder.dir,
      system: await systemOf(repo, folder),
    });
  }
  for (const e of entries) {
    const known = hosts.get(e.name);
    const kind = e.attr === 'darwinConfigurations' ? 'darwin' : 'nixos';
    if (known) {
      known.kind = kind;
      known.system ??= e.system;
      continue;
    }
    const first = e.paths[0];
    const path = first === undefined ? '.' : first.endsWith('.nix') ? posix.dirname(first) : first;
    hosts.set(e.name, { name: e.name, kind, path, system: e.system });
  }
  return [...hosts.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
