import { join } from 'node:path';
import type { Answers } from '../../../../common/answers';
import type { Facts } from '../../../../common/facts';
import type { PlannedFile, RepoLayout } from '../../../../common/plan';
import { NixstrapFailure } from '../../../../common/result';
import { shellCommand } from '../../../../common/shell-word';
import { RELEASES, releaseOfFlake, renderScaffold } from '../../generate';
import { sopsReaders, thisMachineHostRecipients } from '../../secrets/host-identity';
import { assertRepoFlakeParses } from '../flake/parse';
import { isDirectory, readText } from '../fs/read';
import { findWorkTree } from '../git/repo';
import { assertRepoExists, holdsConfiguration } from '../inspect/hosts';
import { notForAddHost, untrackedFlake } from '../inspect/journey-fit';
import { readRepoShape } from '../layout';
import { type Manifest, readManifest, sha256 } from '../manifest';
import type { Candidate, PlanDraft } from '../plan/candidate';
import { classifyAll } from '../plan/classify';
import { fromGenerated, render } from '../plan/render';
import { addHostToForeign, type HostPlacement } from './foreign-repo';
import { addHostToNixstrap } from './nixstrap-repo';

const HARDWARE_FILE = 'hardware-configuration.nix';
const SECRETS_FILE = 'secrets.yaml';

/**
 * An existing host of this name is this machine coming back (to take new answers) only when
 * Nixstrap laid the repo out and the host is known to be this machine: its
 * hardware-configuration.nix is what this machine's detection writes (on disk, or as Nixstrap
 * last wrote it before the user edited it by hand: a conflict, like their other edits), or its
 * secrets are encrypted for this machine's host key (its SSH host key, or the age key Nixstrap
 * made here for that host). The key tells a WSL or Mac host, which has no hardware file, and
 * this machine with changed hardware. Anything else is refused: another machine of the same
 * name. An update needs no warning: the plan's files say it (`updatesExistingHost`).
 */
async function assertHostIsThisMachine(
  repo: string,
  layout: RepoLayout,
  manifest: Manifest | null,
  files: PlannedFile[],
  hostDir: string,
  name: string,
  hostRecipients: readonly string[],
): Promise<void> {
  if (!(await isDirectory(join(repo, hostDir)))) return;
  const hostFiles = files.filter((f) => f.path.startsWith(`${hostDir}/`));
  if (hostFiles.every((f) => f.action === 'unchanged')) return;
  // Outside its own layout Nixstrap adds hosts and never rewrites one, even one it added.
  if (layout !== 'nixstrap')
    throw new NixstrapFailure(
      'HOST_EXISTS',
      `Host ${name} already exists in this repo (${hostDir}/), and Nixstrap changes no host in a repo it did not lay out: it only adds new ones.`,
      `Choose another host name (the Host name field in the app, hostName in the answers), or edit ${hostDir}/ by hand.`,
    );
  const hardware = hostFiles.find((f) => f.path === `${hostDir}/${HARDWARE_FILE}`);
  const sameHardware =
    hardware?.action === 'unchanged' ||
    (hardware?.action === 'conflict' &&
      manifest?.files[hardware.path] === sha256(hardware.content));
  const secrets = await readText(join(repo, hostDir, SECRETS_FILE));
  const readers = secrets === null ? null : sopsReaders(secrets, `${hostDir}/${SECRETS_FILE}`);
  const sameKey = readers?.some((reader) => hostRecipients.includes(reader)) ?? false;
  if (sameHardware || sameKey) return;
  // Said only of secrets whose readers could be read: a file of key groups may be this machine's.
  const notOurKey =
    readers === null ? '' : ", and its secrets are not encrypted for this machine's host key";
  throw new NixstrapFailure(
    'HOST_EXISTS',
    `Host ${name} already exists in this repo (${hostDir}/) with different contents.`,
    // The refusal leaves no plan to show the differences in.
    hardware
      ? `Its hardware differs from this machine's${notOurKey}, so it is another machine of that name (or this one, changed): choose another host name, or edit ${hostDir}/ by hand.`
      : `A host like this machine's (WSL, a Mac) has no ${HARDWARE_FILE} to tell machines apart by${notOurKey}, so Nixstrap cannot know that host ${name} is this machine: choose another host name, or edit ${hostDir}/ by hand.`,
  );
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

/** A repo Nixstrap laid out whose flake.nix is gone: its hosts are built by nothing. */
function flakeMissing(repo: string): NixstrapFailure {
  return new NixstrapFailure(
    'REPO_LAYOUT_UNKNOWN',
    `${repo} has Nixstrap's hosts and modules but no flake.nix, so no host in it can be built and Nixstrap cannot tell which inputs they need.`,
    `Bring flake.nix back from git (\`${shellCommand(['git', '-C', repo, 'log', '--oneline', '--', 'flake.nix'])}\` shows the commits that had it), then add the host again.`,
  );
}

/** Adding this machine to an existing repo, Nixstrap's or one laid out by hand. */
export async function planAddHost(
  repo: string,
  facts: Facts,
  answers: Answers,
  dataDir: string | null = null,
): Promise<PlanDraft> {
  await assertRepoExists(repo);
  const root = await findWorkTree(repo);
  const isGitRepo = root !== null;
  // Outside git the folder is refused unread: a home or /usr is no repo, and a configuration
  // needs git before its layout matters.
  const refusal =
    notForAddHost(repo, isGitRepo, isGitRepo || (await holdsConfiguration(repo))) ??
    (root === null ? null : await untrackedFlake(repo, root));
  if (refusal) throw new NixstrapFailure(refusal.code, refusal.message, refusal.hint);
  const shape = await readRepoShape(repo);
  if (shape.flake !== null) await assertRepoFlakeParses(shape.flake);
  // The new host follows the releases the repo pins (Home Manager's state version must be one
  // its Home Manager knows), whatever channel the answers name.
  const pinned = shape.flake === null ? null : releaseOfFlake(shape.flake);
  const r = render(facts, answers, pinned ?? RELEASES[answers.channel]);
  const manifest = await readManifest(repo);
  let placement: HostPlacement;
  if (shape.layout === 'empty') {
    const generated = [...r.hostFiles, ...renderScaffold(r.required, r.release, r.hostFiles)];
    placement = {
      candidates: fromGenerated(generated, r),
      steps: [],
      hostDir: `hosts/${r.kind}/${r.name}`,
    };
  } else if (shape.layout === 'nixstrap') {
    if (shape.flake === null) throw flakeMissing(repo);
    placement = {
      candidates: await addHostToNixstrap(repo, r, manifest, shape.flake ?? ''),
      steps: [],
      hostDir: `hosts/${r.kind}/${r.name}`,
    };
  } else {
    placement = await addHostToForeign(repo, r, shape);
  }
  const kept = await keepExistingHomes(repo, placement.candidates);
  const warnings = [
    ...kept.dirs.map(
      (dir) =>
        `${dir} already exists and is shared with this user's other hosts, so it is kept as it is.`,
    ),
  ];
  const files = await classifyAll('add-host', repo, manifest, kept.candidates);
  await assertHostIsThisMachine(
    repo,
    shape.layout,
    manifest,
    files,
    placement.hostDir,
    r.name,
    await thisMachineHostRecipients(facts, r.name, dataDir),
  );
  return {
    journey: 'add-host',
    repo,
    hostName: r.name,
    hostDir: placement.hostDir,
    layout: shape.layout,
    files,
    warnings,
    steps: placement.steps,
  };
}
