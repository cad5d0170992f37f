import type { Dirent } from 'node:fs';
import { dirname, join } from 'node:path';
import type { HostKind, RepoLayout } from '../../../common/plan';
import { NixstrapFailure } from '../../../common/result';
import { relativePathLiterals } from '../nix/imports';
import { tokenize, unlessSyntaxError } from '../nix/lexer';
import { isDirectory, isFile, listDir, lstatOrNull, readText } from './fs/read';
import { gitIgnoreTest, gitPlaceOf, indexedFiles } from './git/files';
import { readManifest } from './manifest';

export type { HostKind };

/** A host folder found on disk. Paths are relative to the repo, posix. */
export type HostFolder = {
  name: string;
  kind: HostKind;
  dir: string;
  /** The host's top file (`default.nix`, `configuration.nix`), null when the folder has none. */
  entry: string | null;
  /** The machine-owned hardware file, when there is one. */
  hardware: string | null;
};

/** How a repo is organised, and so where a new host's files go. */
export type RepoShape = {
  layout: RepoLayout;
  hosts: HostFolder[];
  /** File names the repo's hosts use, which a new host copies. */
  entryName: string;
  hardwareName: string;
  /** Snowfall-style `systems/<arch>/<host>`: the host folder sits below its system. */
  bySystem: boolean;
  hasHome: boolean;
  flake: string | null;
};

const ENTRY_NAMES = ['configuration.nix', 'default.nix'];
const HARDWARE_NAMES = ['hardware-configuration.nix', 'hardware.nix'];
const SYSTEM_DIR = /^[a-z0-9_]+-(linux|darwin)$/;
const SKIPPED_DIRS = new Set(['.git', 'node_modules', 'result', '.direnv']);

async function list(dir: string): Promise<Dirent[]> {
  return (await listDir(dir)).filter((d) => !d.name.startsWith('.'));
}

async function firstExisting(dir: string, names: readonly string[]): Promise<string | null> {
  for (const name of names) if (await isFile(join(dir, name))) return name;
  return null;
}

/**
 * The file that stands for the host: `configuration.nix`, unless a `default.nix` beside it
 * imports it, as in `hosts/<name>/{default,configuration,hardware-configuration}.nix` repos
 * whose flake imports the folder (`./hosts/${name}`), which Nix reads as its default.nix.
 */
async function entryOf(dir: string): Promise<string | null> {
  const entry = await firstExisting(dir, ENTRY_NAMES);
  if (entry !== 'configuration.nix') return entry;
  const folderFile = await readText(join(dir, 'default.nix'));
  if (folderFile === null) return entry;
  const imports = relativePathLiterals(folderFile).map((p) => p.text);
  return imports.includes('./configuration.nix') ? 'default.nix' : entry;
}

/** Host folders directly below `root` (relative), those holding an entry file. */
async function hostFoldersIn(repo: string, root: string, kind: HostKind): Promise<HostFolder[]> {
  const out: HostFolder[] = [];
  for (const d of await list(join(repo, root))) {
    if (!d.isDirectory()) continue;
    const dir = `${root}/${d.name}`;
    const entry = await entryOf(join(repo, dir));
    if (entry === null) continue;
    const hardware = await firstExisting(join(repo, dir), HARDWARE_NAMES);
    out.push({ name: d.name, kind, dir, entry, hardware });
  }
  return out;
}

/**
 * Folders listed at once by a walk: enough to keep the disk and the second core busy while one
 * listing is read, few enough that the process's other file reads (a server's, the app's) are
 * not queued behind a home's thousands of folders.
 */
const LISTINGS_AT_ONCE = 8;

/** Runs tasks with at most `limit` of them at once, the others waiting their turn in order. */
function oneOf(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (running < limit) running++;
    else await new Promise<void>((turn) => waiting.push(turn));
    try {
      return await task();
    } finally {
      // The place goes straight to the next in line, so no newcomer slips in ahead of it.
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}

/**
 * Relative paths of the repo's `.nix` files that `skip` lets through (it gets each folder's
 * path ending in `/`, and each `.nix` path), in no set order. `.nix` names that are symbolic
 * links are not read; they go to `links`.
 */
async function walkNixFiles(
  repo: string,
  links: Set<string>,
  skip: (path: string) => Promise<boolean>,
): Promise<string[]> {
  const out: string[] = [];
  const listing = oneOf(LISTINGS_AT_ONCE);
  const walk = async (rel: string): Promise<void> => {
    const folders: string[] = [];
    for (const d of await listing(() => listDir(join(repo, rel)))) {
      const path = rel ? `${rel}/${d.name}` : d.name;
      if (d.isDirectory()) {
        if (!SKIPPED_DIRS.has(d.name)) folders.push(path);
        continue;
      }
      if (!d.name.endsWith('.nix') || (await skip(path))) continue;
      if (d.isFile()) out.push(path);
      else if (d.isSymbolicLink()) links.add(path);
    }
    // Folders are walked side by side: one at a time, a home of thousands of folders waits on
    // each listing and ignore test in turn, with the disk and the other core idle. Only folder
    // names are kept meanwhile, not the listings.
    await Promise.all(
      folders.map(async (path) => {
        if (!(await skip(`${path}/`))) await walk(path);
      }),
    );
  };
  await walk('');
  return out;
}

/**
 * Relative paths of the repo's `.nix` files, sorted; `.nix` names that are symbolic links are
 * not read, and are added to `links` when given. Outside git, every one but those in build
 * outputs' folders. Inside git, the ones git tracks, read from its index (a dotfiles repo at ~
 * is not walked), and with `untracked` also those git neither tracks nor ignores, found
 * without walking into an ignored folder (node_modules, result).
 */
export async function nixFilesIn(
  repo: string,
  { untracked, links }: { untracked: boolean; links?: string[] },
): Promise<string[]> {
  const found = new Set<string>();
  const linked = new Set<string>();
  const place = await gitPlaceOf(repo);
  if (place === null) {
    for (const path of await walkNixFiles(repo, linked, async () => false)) found.add(path);
  } else {
    const { root, prefix } = place;
    for (const file of await indexedFiles(root)) {
      if (!file.startsWith(prefix) || !file.endsWith('.nix')) continue;
      const path = file.slice(prefix.length);
      const stat = await lstatOrNull(join(repo, path));
      if (stat?.isFile()) found.add(path);
      else if (stat?.isSymbolicLink()) linked.add(path);
    }
    if (untracked) {
      const ignoredByGit = gitIgnoreTest(root);
      const ignored = (path: string) => ignoredByGit(`${prefix}${path}`);
      for (const path of await walkNixFiles(repo, linked, ignored)) found.add(path);
    }
  }
  links?.push(...[...linked].sort());
  return [...found].sort();
}

function mostCommon(values: (string | null)[], fallback: string): string {
  const counts = new Map<string, number>();
  for (const v of values) if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best = fallback;
  let bestCount = 0;
  for (const [v, n] of counts) {
    if (n > bestCount) {
      best = v;
      bestCount = n;
    }
  }
  return best;
}

async function isNixstrapRepo(repo: string): Promise<boolean> {
  const manifest = await readManifest(repo);
  if (manifest?.layout === 'nixstrap') return true;
  if (!(await isFile(join(repo, 'flake.nix')))) return false;
  let platformDirs = 0;
  for (const kind of ['nixos', 'darwin']) {
    const dir = join(repo, 'hosts', kind);
    if (!(await isDirectory(dir))) continue;
    // A foreign repo may have a host that happens to be called `nixos`: that folder holds files.
    if ((await firstExisting(dir, ENTRY_NAMES)) !== null) return false;
    platformDirs++;
  }
  return platformDirs > 0;
}

async function systemsHosts(repo: string): Promise<{ hosts: HostFolder[]; bySystem: boolean }> {
  const children = (await list(join(repo, 'systems'))).filter((d) => d.isDirectory());
  const systemDirs = children.filter((d) => SYSTEM_DIR.test(d.name));
  if (systemDirs.length > 0) {
    const hosts: HostFolder[] = [];
    for (const d of systemDirs) {
      const kind: HostKind = d.name.endsWith('-darwin') ? 'darwin' : 'nixos';
      hosts.push(...(await hostFoldersIn(repo, `systems/${d.name}`, kind)));
    }
    return { hosts, bySystem: true };
  }
  return { hosts: await hostFoldersIn(repo, 'systems', 'nixos'), bySystem: false };
}

function unknownLayout(repo: string, nixFiles: readonly string[]): NixstrapFailure {
  // A repo that keeps its flake in a folder (`nixos/flake.nix` beside dotfiles) was meant
  // to be chosen by that folder.
  const nested = nixFiles
    .filter((path) => path.endsWith('/flake.nix'))
    .sort((a, b) => a.split('/').length - b.split('/').length)[0];
  if (nested !== undefined) {
    return new NixstrapFailure(
      'REPO_LAYOUT_UNKNOWN',
      `${repo} has no flake.nix at its top: its flake is ${nested}, and new hosts go beside it.`,
      `Choose the folder that holds your flake.nix: ${join(repo, dirname(nested))}`,
    );
  }
  return new NixstrapFailure(
    'REPO_LAYOUT_UNKNOWN',
    `${repo} holds ${nixFiles.length} .nix file(s) but no host folders (hosts/, systems/, machines/) and no configuration.nix, so Nixstrap cannot tell where a new host belongs.`,
    'Put each host in hosts/<name>/configuration.nix (and list it in flake.nix), or choose “Start a new config repo” with a new folder.',
  );
}

/**
 * The top file a helper in the flake imports for every host (`./hosts/${name}` reads
 * default.nix, `./hosts/${name}/configuration.nix` that file), or null when no helper does:
 * the file the new host must have for the flake to build it.
 */
function helperEntryName(flake: string | null, hardwareName: string): string | null {
  if (flake === null) return null;
  const tokens = unlessSyntaxError(() => tokenize(flake), []);
  for (const t of tokens) {
    const perHost =
      t.kind === 'path' ? /^\.\/[^$]+\/\$\{[^}]+\}(?:\/([^/$]+\.nix))?$/.exec(t.text) : null;
    if (perHost === null) continue;
    const file = perHost[1];
    if (file === undefined) return 'default.nix';
    if (ENTRY_NAMES.includes(file) && file !== hardwareName) return file;
  }
  return null;
}

/** Recognises how `repo` is organised. Throws REPO_LAYOUT_UNKNOWN when it cannot tell. */
export async function readRepoShape(repo: string): Promise<RepoShape> {
  const flake = await readText(join(repo, 'flake.nix'));
  const hasHome = await isDirectory(join(repo, 'home'));
  const shape = (
    layout: RepoLayout,
    hosts: HostFolder[],
    bySystem = false,
    entryDefault = 'configuration.nix',
  ): RepoShape => {
    const hardwareName = mostCommon(
      hosts.map((h) => h.hardware),
      'hardware-configuration.nix',
    );
    return {
      layout,
      hosts,
      entryName:
        (layout === 'nixstrap' ? null : helperEntryName(flake, hardwareName)) ??
        mostCommon(
          hosts.map((h) => h.entry),
          entryDefault,
        ),
      hardwareName,
      bySystem,
      hasHome,
      flake,
    };
  };

  if (await isNixstrapRepo(repo)) {
    const hosts = [
      ...(await hostFoldersIn(repo, 'hosts/nixos', 'nixos')),
      ...(await hostFoldersIn(repo, 'hosts/darwin', 'darwin')),
    ];
    return shape('nixstrap', hosts, false, 'default.nix');
  }
  const systems = await systemsHosts(repo);
  if (systems.hosts.length > 0)
    return shape('systems-dir', systems.hosts, systems.bySystem, 'default.nix');
  // A configuration.nix at the top is a machine too, also once host folders sit beside it.
  const root: HostFolder[] = (await isFile(join(repo, 'configuration.nix')))
    ? [
        {
          name: '',
          kind: 'nixos',
          dir: '',
          entry: 'configuration.nix',
          hardware: await firstExisting(repo, HARDWARE_NAMES),
        },
      ]
    : [];
  const machines = await hostFoldersIn(repo, 'machines', 'nixos');
  if (machines.length > 0) return shape('machines-dir', [...machines, ...root]);
  const hosts = await hostFoldersIn(repo, 'hosts', 'nixos');
  if (hosts.length > 0) return shape('hosts-dir', [...hosts, ...root]);
  if (root.length > 0) return shape('single-configuration', root);
  // A host added here makes the repo a flake, which sees only what git tracks.
  const nixFiles = await nixFilesIn(repo, { untracked: false });
  if (nixFiles.length === 0) return shape('empty', [], false, 'default.nix');
  throw unknownLayout(repo, nixFiles);
}

/** The folder (relative, posix) a new host gets in a repo of this shape. */
export function newHostDir(shape: RepoShape, name: string, kind: HostKind, system: string): string {
  switch (shape.layout) {
    case 'nixstrap':
    case 'empty':
      return `hosts/${kind}/${name}`;
    case 'systems-dir':
      return shape.bySystem ? `systems/${system}/${name}` : `systems/${name}`;
    case 'machines-dir':
      return `machines/${name}`;
    case 'hosts-dir':
    case 'single-configuration':
      return `hosts/${name}`;
  }
}
