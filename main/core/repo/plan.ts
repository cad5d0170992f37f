import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Answers } from '../../../common/answers';
import type { Facts } from '../../../common/facts';
import type { Plan, PlannedFile } from '../../../common/plan';
import { NixstrapFailure } from '../../../common/result';
import {
  type GeneratedFile,
  hostKind,
  hostNotices,
  INPUT_NAMES,
  type InputName,
  inputsReferencedBy,
  RELEASES,
  type Release,
  releaseOfFlake,
  renderFlake,
  renderHost,
  renderScaffold,
  requiredInputs,
} from '../generate';
import { nixAvailable, parseCheck } from '../nix';
import { NixSyntaxError, readSyntax, tokenize } from '../nix/lexer';
import type { SecretsSetup } from '../secrets';
import { classifyAll, readText } from './classify';
import {
  addHostEntry,
  addInputs,
  bindInputsInOutputs,
  flakeDiscoversHosts,
  flakeHostEntries,
  type NewHostEntry,
} from './flake-edit';
import { type FlakeHost, flakeForHosts } from './flake-new';
import { declaredInputs, inputDefinitions } from './flake-source';
import { findWorkTree } from './git';
import { declaredHostName } from './host-name';
import { assertRepoExists } from './hosts';
import { type HostKind, isDirectory, type RepoShape, readRepoShape } from './layout';
import { MANIFEST_PATH, type Manifest, readManifest, readManifestState, sha256 } from './manifest';
import { nextCommand } from './next-command';
import { importClosure } from './nix-paths';
import { type Candidate, placeInForeignRepo } from './placement';
import { withSecrets } from './plan-secrets';

export type PlanRequest = {
  journey: 'init' | 'add-host';
  repo: string;
  facts: Facts;
  answers: Answers;
  /** Where the owner's and hosts' age keys live; needed when the answers turn secrets on. */
  secrets?: SecretsSetup;
};

/** What the generator produced for this machine, in the Nixstrap layout. */
type Rendering = {
  name: string;
  kind: HostKind;
  system: string;
  userName: string;
  release: Release;
  hostFiles: GeneratedFile[];
  required: InputName[];
};

function render(
  facts: Facts,
  answers: Answers,
  release: Release = RELEASES[answers.channel],
): Rendering {
  return {
    name: answers.hostName,
    kind: hostKind(facts),
    system: facts.system,
    userName: answers.userName,
    release,
    hostFiles: renderHost(facts, answers, release),
    required: requiredInputs(facts, answers),
  };
}

function union(...lists: readonly string[][]): InputName[] {
  const known = new Set<string>(INPUT_NAMES);
  return [...new Set(lists.flat())].filter((n): n is InputName => known.has(n));
}

function nixstrapReason(file: GeneratedFile, r: Rendering): string {
  const p = file.path;
  if (file.owner === 'machine') {
    return 'Hardware detected on this machine; machine-owned, so regenerate it rather than edit it.';
  }
  if (p.startsWith('hosts/')) return `Configuration of host ${r.name}: edit it freely.`;
  if (p.startsWith('home/'))
    return `Home Manager settings for ${r.userName}, shared by every host they are on.`;
  if (p === 'flake.nix')
    return 'The flake: finds hosts in hosts/nixos/ and hosts/darwin/ and declares the inputs they need.';
  if (p.startsWith('lib/')) return 'Turns the folders under hosts/ into system configurations.';
  if (p.startsWith('modules/')) return 'Shared module the hosts import.';
  if (p.startsWith('packages/')) return 'Package set of a profile (minimal to full).';
  if (p.startsWith('.github/')) return 'CI that checks the repo on every push.';
  if (p === '.gitignore') return 'Keeps build results out of git.';
  return 'How to use and change this repo.';
}

function fromGenerated(files: readonly GeneratedFile[], r: Rendering): Candidate[] {
  return files.map((f) => ({
    path: f.path,
    content: f.content,
    managed: true,
    reason: nixstrapReason(f, r),
  }));
}

type DirState = 'absent' | 'empty' | 'present';

async function dirState(repo: string): Promise<DirState> {
  if (!(await isDirectory(repo))) {
    const exists = (await readText(repo)) !== null;
    if (exists) {
      throw new NixstrapFailure(
        'REPO_EXISTS',
        `${repo} is a file, not a folder.`,
        'Choose a folder for the repo.',
      );
    }
    return 'absent';
  }
  const names = await readdir(repo);
  return names.every((n) => n === '.git') ? 'empty' : 'present';
}

/** Refuses an existing host unless every one of its files is already exactly as planned. */
async function assertNewHost(
  repo: string,
  files: PlannedFile[],
  hostDir: string,
  name: string,
): Promise<void> {
  if (!(await isDirectory(join(repo, hostDir)))) return;
  const hostFiles = files.filter((f) => f.path.startsWith(`${hostDir}/`));
  if (hostFiles.some((f) => f.action !== 'unchanged')) {
    throw new NixstrapFailure(
      'HOST_EXISTS',
      `Host ${name} already exists in this repo (${hostDir}/) with different contents.`,
      `Choose another host name, or edit ${hostDir}/ by hand; \`nixstrap plan\` shows the differences.`,
    );
  }
}

async function planInit(repo: string, r: Rendering): Promise<PlanDraft> {
  const state = await dirState(repo);
  const hostDir = `hosts/${r.kind}/${r.name}`;
  if (state === 'present') {
    const shape = await readRepoShape(repo).catch(() => null);
    const others = shape?.hosts.filter((h) => h.dir !== hostDir) ?? [];
    if (shape?.layout !== 'nixstrap' || others.length > 0) {
      const what =
        shape?.layout === 'nixstrap'
          ? `is already a Nixstrap repo with other hosts (${others.map((h) => h.name).join(', ')})`
          : 'already holds files that Nixstrap did not write';
      throw new NixstrapFailure(
        'REPO_EXISTS',
        `${repo} ${what}.`,
        'To add this machine to it, choose "Add this machine to an existing repo" (`nixstrap add-host` on the command line); to start afresh, choose an empty folder.',
      );
    }
  }
  const generated = [...r.hostFiles, ...renderScaffold(r.required, r.release, r.hostFiles)];
  const manifest = await readManifest(repo);
  const files = await classifyAll(repo, manifest, fromGenerated(generated, r));
  return {
    journey: 'init',
    repo,
    hostName: r.name,
    hostDir,
    layout: 'nixstrap',
    files,
    warnings: [],
  };
}

/**
 * A user's Home Manager folder belongs to every host they are on: adding a machine must not
 * rewrite it with this machine's answers, so existing home files are left out of the plan.
 */
async function keepExistingHomes(
  repo: string,
  candidates: Candidate[],
): Promise<{ candidates: Candidate[]; dirs: string[] }> {
  const kept: Candidate[] = [];
  const paths: string[] = [];
  for (const c of candidates) {
    if (c.path.startsWith('home/') && (await readText(join(repo, c.path))) !== null) {
      paths.push(c.path);
    } else {
      kept.push(c);
    }
  }
  const dirs = [...new Set(paths.map((p) => `${p.split('/').slice(0, 2).join('/')}/`))];
  return { candidates: kept, dirs };
}

async function addHostToNixstrap(
  repo: string,
  r: Rendering,
  manifest: Manifest | null,
  flake: string,
): Promise<{ candidates: Candidate[]; warnings: string[] }> {
  const declared = declaredInputs(flake);
  const missing = r.required.filter((n) => !declared.includes(n));
  const pristineFlake = manifest?.files['flake.nix'] === sha256(flake);
  const buildsMacs = tokenize(flake).some(
    (t) => t.kind === 'identifier' && t.text === 'darwinConfigurations',
  );
  if (r.kind === 'darwin' && !buildsMacs && !pristineFlake) {
    throw new NixstrapFailure(
      'REPO_LAYOUT_UNKNOWN',
      "flake.nix was edited by hand and has no darwinConfigurations, so the new Mac would not be built, and Nixstrap does not rewrite an edited flake's outputs.",
      'Add `darwinConfigurations = hosts.darwinHosts ./hosts/darwin;` next to nixosConfigurations in its outputs, commit, and run add-host again.',
    );
  }
  const wanted = union(declared, r.required);
  const scaffold = renderScaffold(wanted, r.release, r.hostFiles);
  // Shared files the new host reaches that this repo lacks; existing ones belong to every host
  // already here, so adding a host leaves them alone.
  const reachable = importClosure(
    [...r.hostFiles, ...scaffold],
    [...r.hostFiles.map((f) => f.path), `modules/${r.kind}/base.nix`],
  );
  const shared: GeneratedFile[] = [];
  for (const f of scaffold) {
    if (f.path === 'flake.nix' || !reachable.has(f.path)) continue;
    if ((await readText(join(repo, f.path))) === null) shared.push(f);
  }
  const candidates = fromGenerated([...r.hostFiles, ...shared], r);
  if (missing.length > 0) {
    const reason = `Declares the input${missing.length > 1 ? 's' : ''} ${missing.join(', ')} that host ${r.name} needs.`;
    if (pristineFlake) {
      candidates.push({
        path: 'flake.nix',
        content: renderFlake(wanted, r.release),
        managed: true,
        reason,
      });
    } else {
      // The user has edited flake.nix: add only the inputs, keeping their changes.
      const definitions = pick(inputDefinitions(renderFlake(wanted, r.release)), missing);
      const content = bindInputsInOutputs(addInputs(flake, definitions)).source;
      candidates.push({
        path: 'flake.nix',
        content,
        managed: false,
        reason: `${reason} Your edits are kept.`,
      });
    }
  }
  return { candidates, warnings: [] };
}

function pick(definitions: Map<string, string>, names: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const n of names) {
    const d = definitions.get(n);
    if (d !== undefined) out.set(n, d);
  }
  return out;
}

/** Maps a path of an existing host (repo-relative) to the new host's equivalent, for the flake entry. */
function hostPathMapper(shape: RepoShape, hostDir: string) {
  return (path: string): string | null => {
    for (const h of shape.hosts) {
      const renamed = (file: string) =>
        file === h.entry ? shape.entryName : file === h.hardware ? shape.hardwareName : file;
      if (h.dir === '') {
        if (path === h.entry || (h.hardware !== null && path === h.hardware)) {
          return `${hostDir}/${renamed(path)}`;
        }
        continue;
      }
      if (path === h.dir) return hostDir;
      if (path.startsWith(`${h.dir}/`))
        return `${hostDir}/${renamed(path.slice(h.dir.length + 1))}`;
    }
    return null;
  };
}

async function assertParses(source: string): Promise<void> {
  readSyntax(source);
  if (!nixAvailable()) return;
  const errors = await parseCheck([{ path: 'flake.nix', content: source }]);
  const error = errors[0];
  if (error) {
    throw new NixstrapFailure(
      'REPO_LAYOUT_UNKNOWN',
      `Nixstrap's edit of flake.nix would not parse (${error.message}), so it was not made.`,
      'Add the host to flake.nix by hand; `nixstrap plan` shows the files it would write.',
    );
  }
}

/**
 * The repo's own flake.nix must parse before Nixstrap edits it: an error found later would
 * point at lines of the edited text, and the user could not find it.
 */
async function assertRepoFlakeParses(source: string): Promise<void> {
  const fail = (where: string, message: string): never => {
    throw new NixstrapFailure(
      'NIX_PARSE_ERROR',
      `The repo's flake.nix does not parse (${where}${message}), so Nixstrap cannot add a host to it.`,
      'Fix flake.nix first: `nix-instantiate --parse flake.nix` shows the error.',
    );
  };
  if (nixAvailable()) {
    const error = (await parseCheck([{ path: 'flake.nix', content: source }]))[0];
    if (error)
      fail(error.line ? `line ${error.line}, column ${error.column}: ` : '', error.message);
  }
  try {
    flakeHostEntries(source);
    declaredInputs(source);
  } catch (error) {
    if (!(error instanceof NixSyntaxError)) throw error;
    fail(`line ${error.line}, column ${error.column}: `, error.message);
  }
}

/**
 * A repo without flake.nix (a lone configuration.nix built from channels) gets one that
 * builds its machines and the new one, since the new host's modules need flake inputs.
 */
async function newFlakeForForeignRepo(
  repo: string,
  r: Rendering,
  shape: RepoShape,
  placement: ReturnType<typeof placeInForeignRepo>,
  wanted: InputName[],
): Promise<{ candidates: Candidate[]; warnings: string[]; hostDir: string }> {
  const existing: FlakeHost[] = [];
  let channelBuilt = false;
  for (const folder of shape.hosts) {
    if (folder.entry === null) continue;
    const entry = folder.dir ? `${folder.dir}/${folder.entry}` : folder.entry;
    const source = (await readText(join(repo, entry))) ?? '';
    const name = folder.name || (declaredHostName(source)?.name ?? 'nixos');
    channelBuilt ||= /\bcopySystemConfiguration\b/.test(source);
    existing.push({ name, kind: folder.kind, modules: [entry] });
  }
  if (existing.some((h) => h.name === r.name)) {
    throw new NixstrapFailure(
      'HOST_EXISTS',
      `This repo already has a machine called ${r.name}.`,
      'Choose another host name.',
    );
  }
  const hosts = [...existing, { name: r.name, kind: r.kind, modules: [placement.entryPath] }];
  const definitions = [...inputDefinitions(renderFlake(wanted, r.release)).values()];
  const names = existing.map((h) => h.name);
  const warnings = names.length
    ? [
        `flake.nix is new: ${names.join(', ')} ${names.length > 1 ? 'were' : 'was'} built from channels until now; check ${names.length > 1 ? 'they still build' : 'it still builds'} from the flake with \`nixos-rebuild build --flake .#${names[0]}\`.`,
      ]
    : [];
  if (channelBuilt) {
    warnings.push(
      'Remove system.copySystemConfiguration from the existing configuration: flakes do not support it.',
    );
  }
  return {
    candidates: [
      ...placement.files,
      {
        path: 'flake.nix',
        content: flakeForHosts(definitions, hosts),
        managed: true,
        reason: 'A flake that builds the machines already here and the new one, each by name.',
      },
    ],
    warnings,
    hostDir: placement.hostDir,
  };
}

async function addHostToForeign(
  repo: string,
  r: Rendering,
  shape: RepoShape,
): Promise<{ candidates: Candidate[]; warnings: string[]; hostDir: string }> {
  const generated = [...r.hostFiles, ...renderScaffold(r.required, r.release, r.hostFiles)];
  const placement = placeInForeignRepo({
    generated,
    shape,
    name: r.name,
    kind: r.kind,
    system: r.system,
    userName: r.userName,
  });
  const candidates = [...placement.files];
  const flake = shape.flake;
  const referenced = placement.files.flatMap((f) => inputsReferencedBy(f.content));
  const wanted = union(r.required, referenced);
  if (flake === null) return newFlakeForForeignRepo(repo, r, shape, placement, wanted);

  const declared = declaredInputs(flake);
  const missing = wanted.filter((n) => !declared.includes(n));
  let source = addInputs(flake, pick(inputDefinitions(renderFlake(wanted, r.release)), missing));
  const discovered = shape.bySystem || flakeDiscoversHosts(flake);
  const attr = r.kind === 'darwin' ? 'darwinConfigurations' : 'nixosConfigurations';
  // A rerun finds the host folder there already; it still needs its flake entry if that is gone.
  const alreadyListed = flakeHostEntries(flake).some((e) => e.attr === attr && e.name === r.name);
  let listed = false;
  if (!discovered && !alreadyListed) {
    const bound = bindInputsInOutputs(source);
    const entry: NewHostEntry = {
      attr,
      name: r.name,
      system: r.system,
      entryPath: placement.entryPath,
      mapPath: hostPathMapper(shape, placement.hostDir),
      hostFiles: placement.files.map((f) => f.path),
    };
    source = addHostEntry(bound.source, entry, bound.inputsName);
    listed = true;
  } else if (missing.length > 0) source = bindInputsInOutputs(source).source;
  if (source !== flake) {
    await assertParses(source);
    const parts = [
      listed ? `Lists host ${r.name} in ${attr}, shaped like the hosts already there` : '',
      missing.length > 0
        ? `declares the input${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`
        : '',
    ].filter(Boolean);
    const sentence = parts.join(' and ');
    candidates.push({
      path: 'flake.nix',
      content: source,
      managed: false,
      reason: `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}; the rest of flake.nix is unchanged.`,
    });
  }
  return { candidates, warnings: placement.warnings, hostDir: placement.hostDir };
}

async function planAddHost(repo: string, facts: Facts, answers: Answers): Promise<PlanDraft> {
  if (!(await isDirectory(repo))) await assertRepoExists(repo);
  const shape = await readRepoShape(repo);
  if (shape.layout !== 'empty' && (await findWorkTree(repo)) === null) {
    throw new NixstrapFailure(
      'GIT_FAILED',
      `${repo} is not a git repository, and a flake only sees the files git tracks: the hosts already there would vanish from it.`,
      `Make it one first (\`git -C ${repo} init && git -C ${repo} add -A && git -C ${repo} commit -m "My machines"\`), then run add-host again.`,
    );
  }
  if (shape.flake !== null) await assertRepoFlakeParses(shape.flake);
  // The new host follows the releases the repo pins (Home Manager's state version must be one
  // its Home Manager knows), whatever channel the answers name.
  const pinned = shape.flake === null ? null : releaseOfFlake(shape.flake);
  const r = render(facts, answers, pinned ?? RELEASES[answers.channel]);
  const manifest = await readManifest(repo);
  let hostDir = `hosts/${r.kind}/${r.name}`;
  let candidates: Candidate[];
  let warnings: string[] = [];
  if (shape.layout === 'empty') {
    candidates = fromGenerated(
      [...r.hostFiles, ...renderScaffold(r.required, r.release, r.hostFiles)],
      r,
    );
  } else if (shape.layout === 'nixstrap') {
    const flake = shape.flake ?? '';
    ({ candidates, warnings } = await addHostToNixstrap(repo, r, manifest, flake));
  } else {
    ({ candidates, warnings, hostDir } = await addHostToForeign(repo, r, shape));
  }
  const kept = await keepExistingHomes(repo, candidates);
  warnings = [
    ...warnings,
    ...kept.dirs.map(
      (dir) =>
        `${dir} already exists and is shared with this user's other hosts, so it is kept as it is.`,
    ),
  ];
  const files = await classifyAll(repo, manifest, kept.candidates);
  await assertNewHost(repo, files, hostDir, r.name);
  return {
    journey: 'add-host',
    repo,
    hostName: r.name,
    hostDir,
    layout: shape.layout,
    files,
    warnings,
  };
}

/**
 * What `init` or `add-host` would write, file by file, with diffs against the disk. Writes
 * nothing; `applyPlan` does.
 */
/** A plan before the parts that need the whole picture (notices, the next command). */
export type PlanDraft = Omit<Plan, 'nextCommand'>;

/** Kernel file systems: nothing can be written there, so say so before planning anything. */
const VIRTUAL_ROOTS = ['/proc', '/sys', '/dev'];

function assertOrdinaryFolder(repo: string): void {
  const root = VIRTUAL_ROOTS.find((v) => repo === v || repo.startsWith(`${v}/`));
  if (root) {
    throw new NixstrapFailure(
      'WRITE_FAILED',
      `${repo} is inside ${root}, a kernel file system, not a place for a repo.`,
      'Choose a folder in your home directory, such as ~/nixos-config.',
    );
  }
}

export async function computePlan(req: PlanRequest): Promise<Plan> {
  const repo = resolve(req.repo);
  assertOrdinaryFolder(repo);
  const drafted =
    req.journey === 'init'
      ? await planInit(repo, render(req.facts, req.answers))
      : await planAddHost(repo, req.facts, req.answers);
  const plan = req.answers.secrets ? await withSecrets(drafted, req) : drafted;
  const { damaged } = await readManifestState(repo);
  const manifestWarning = damaged
    ? [
        `${MANIFEST_PATH} is damaged, so Nixstrap cannot tell its own files from your edits: every file that differs is shown as a conflict.`,
      ]
    : [];
  const hasFlake =
    plan.files.some((f) => f.path === 'flake.nix') ||
    (await readText(join(repo, 'flake.nix'))) !== null;
  return {
    ...plan,
    warnings: [
      ...manifestWarning,
      ...plan.warnings,
      ...hostNotices(req.facts, req.answers, plan.hostDir),
    ],
    nextCommand: nextCommand(plan, req.facts, hasFlake),
  };
}
