import { NixstrapFailure } from '../../../../common/result';
import { inputsReferencedBy, renderFlake, renderScaffold } from '../../generate';
import { addHostEntry } from '../flake/host-entry';
import { flakeDiscoversHosts, flakeHostEntries, folderOf } from '../flake/hosts-site';
import { addInputs, bindInputsInOutputs } from '../flake/inputs';
import type { NewHostEntry } from '../flake/model-entry';
import { addByHandHint, assertEditParses } from '../flake/parse';
import { hostsListing } from '../flake/parts-modules';
import { declaredInputs, inputDefinitions } from '../flake/source';
import type { RepoShape } from '../layout';
import type { Candidate } from '../plan/candidate';
import { pick, type Rendering, unionOfInputs } from '../plan/render';
import { hostsFileFor, listInModule } from './hosts-module';
import { newFlakeForForeignRepo } from './new-flake';
import { placeInForeignRepo } from './placement';

/** The host's files, and what the user must do by hand for them to build (`Plan.steps`). */
export type HostPlacement = { candidates: Candidate[]; steps: string[]; hostDir: string };

/**
 * Maps a path of an existing host (repo-relative) to the new host's equivalent, for the flake
 * entry copied from that host's. Only the model's own folder is mapped when a folder has its
 * name: another folder its entry lists (`./hosts/common`) is shared, and the copy keeps it.
 */
function hostPathMapper(shape: RepoShape, hostDir: string) {
  return (path: string, modelName: string): string | null => {
    const named = shape.hosts.filter((h) => h.name === modelName);
    const own = named.length > 0 ? [...named, ...shape.hosts.filter((h) => h.dir === '')] : null;
    for (const h of own ?? shape.hosts) {
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

/**
 * A new host in a repo Nixstrap did not lay out: placed and named like the hosts already
 * there, and listed where the flake lists its hosts (flake.nix, or the flake-parts module it
 * imports that does), edited in place, unless the flake finds hosts by itself.
 */
export async function addHostToForeign(
  repo: string,
  r: Rendering,
  shape: RepoShape,
): Promise<HostPlacement> {
  const generated = [...r.hostFiles, ...renderScaffold(r.required, r.release, r.hostFiles)];
  const flake = shape.flake;
  const {
    files: listing,
    linkedModule,
    unfollowed,
  } = flake === null
    ? { files: [], linkedModule: null, unfollowed: null }
    : await hostsListing(repo, flake);
  const placement = placeInForeignRepo({
    generated,
    shape,
    hostsSources: [
      flake ?? '',
      ...listing.filter((f) => f.path !== 'flake.nix').map((f) => f.source),
    ],
    name: r.name,
    kind: r.kind,
    system: r.system,
    userName: r.userName,
  });
  const candidates = [...placement.files];
  const referenced = placement.files.flatMap((f) => inputsReferencedBy(f.content));
  const wanted = unionOfInputs(r.required, referenced);
  if (flake === null) return newFlakeForForeignRepo(repo, r, shape, placement, wanted);

  const declared = declaredInputs(flake);
  const missing = wanted.filter((n) => !declared.includes(n));
  let source = addInputs(flake, pick(inputDefinitions(renderFlake(wanted, r.release)), missing));
  const discovered = shape.bySystem || flakeDiscoversHosts(flake);
  const attr = r.kind === 'darwin' ? 'darwinConfigurations' : 'nixosConfigurations';
  // A rerun finds the host folder there already; it still needs its flake entry if that is gone.
  const listed = listing.flatMap((file) =>
    flakeHostEntries(file.source, folderOf(file.path)).map((e) => ({ ...e, file: file.path })),
  );
  const listedAs = listed.find((e) => e.attr === attr && e.name === r.name);
  const alreadyListed = listedAs !== undefined;
  const inHostDir = (p: string) => p === placement.hostDir || p.startsWith(`${placement.hostDir}/`);
  // An entry of that name building other files is another machine: the new folder would be
  // built by nothing, and a rebuild of that name would build the old host.
  if (listedAs !== undefined && listedAs.paths.length > 0 && !listedAs.paths.some(inHostDir)) {
    throw new NixstrapFailure(
      'HOST_EXISTS',
      `Host ${r.name} already exists in this repo: ${listedAs.file} lists ${attr}.${r.name}, built from ${listedAs.paths.join(', ')}.`,
      `Choose another host name, or edit host ${r.name} by hand.`,
    );
  }
  let listedInFlake = false;
  if (!discovered && !alreadyListed) {
    const entry: NewHostEntry = {
      attr,
      name: r.name,
      system: r.system,
      entryPath: placement.entryPath,
      mapPath: hostPathMapper(shape, placement.hostDir),
      hostFiles: placement.files.map((f) => f.path),
    };
    if (linkedModule !== null) {
      throw new NixstrapFailure(
        'REPO_LAYOUT_UNKNOWN',
        `${linkedModule}, a module this flake imports, is reached through a symbolic link, which Nixstrap does not follow (it could lead out of the repo), so it cannot tell where the flake lists its hosts.`,
        addByHandHint(attr),
      );
    }
    const target = hostsFileFor(listing, attr);
    // flake.nix lists no hosts when its modules were followed at all.
    if (unfollowed !== null) {
      throw new NixstrapFailure(
        'REPO_LAYOUT_UNKNOWN',
        `flake.nix lists no hosts itself, and ${unfollowed}, so Nixstrap cannot tell where the flake lists its hosts.`,
        addByHandHint(attr),
      );
    }
    if (target.path === 'flake.nix') {
      const bound = bindInputsInOutputs(source);
      source = addHostEntry({ path: 'flake.nix', source: bound.source }, entry, bound.inputsName);
      listedInFlake = true;
    } else {
      candidates.push(await listInModule(target, entry));
      // flake-parts hands its modules every input flake.nix declares; `outputs` must accept them.
      if (missing.length > 0) source = bindInputsInOutputs(source).source;
    }
  } else if (missing.length > 0) source = bindInputsInOutputs(source).source;
  if (source !== flake) {
    await assertEditParses(source);
    const parts = [
      listedInFlake ? `Lists host ${r.name} in ${attr}, shaped like the hosts already there` : '',
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
  return { candidates, steps: [], hostDir: placement.hostDir };
}
