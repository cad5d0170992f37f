/**
 * The rebuild engine's public face. Shells (API, CLI) start runs and watch them here; the
 * rollback reuses `startRecordedRun` so its steps share the terminal, the log and the lock.
 */
import fs from 'node:fs';
import path from 'node:path';
import { NixstrapFailure } from '../../../common';
import { assertFlakeUser, assertHostName } from '../../../common/host-name';
import { unfinishedWrite, workTreeState } from '../repo';
import {
  actionNeedsRoot,
  buildArgv,
  checkAction,
  defaultProfile,
  flakeAttribute,
  readPlatform,
} from './commands';
import { rebuildBody } from './pipeline';
import { startRecordedRun } from './start';
import type { RebuildRun, StartRunOptions } from './types';
import { refuseUnansweredSudo } from './unattended';

export { activatedPath } from '../ledger/generation-contents';
export { cancelRunElsewhere } from './cancel-elsewhere';
export {
  activationArgv,
  currentGeneration,
  defaultProfile,
  type Platform,
  readPlatform,
  resolvedStorePath,
  runningSpecialisation,
  setProfileArgv,
  switchGenerationArgv,
} from './commands';
export { explainFailure, type FailureContext } from './explain';
export { runLockHeld } from './lock';
export { NixLogParser, type NixRecord } from './nix-log';
export { ProgressModel } from './progress';
export { getRun, listRuns, ownRun, readLog } from './registry';
export { startRecordedRun } from './start';
export type {
  RebuildRun,
  RecordedRunSpec,
  RunOutcome,
  RunResult,
  RunSession,
  StartRunOptions,
  StepCommand,
  StepOutcome,
} from './types';

function requireFlake(repo: string): void {
  if (fs.existsSync(path.join(repo, 'flake.nix'))) return;
  // A mistyped path is the likelier mistake than a folder without a flake: say which it is.
  const stat = fs.statSync(repo, { throwIfNoEntry: false });
  throw new NixstrapFailure(
    'REPO_NOT_FOUND',
    !stat
      ? `There is no folder ${repo}.`
      : stat.isDirectory()
        ? `There is no flake.nix in ${repo}.`
        : `${repo} is a file, not the folder of a repository.`,
    'Choose the folder of your configuration repository (the one “Start a new config repo” made).',
  );
}

function requireProfileFolder(profile: string): void {
  if (fs.existsSync(path.dirname(profile))) return;
  throw new NixstrapFailure(
    'USAGE',
    `The folder of the profile ${profile} does not exist.`,
    `Create it first (\`mkdir -p ${path.dirname(profile)}\`) or choose another --profile.`,
  );
}

/** Every NixOS activation writes it; a Linux machine without it runs some other system. */
const NIXOS_MARKER = '/etc/NIXOS';

function requireNixosToActivate(kind: string, action: string, profile: string): void {
  if (kind !== 'nixos' || action === 'build' || action === 'dry-build') return;
  if (profile !== defaultProfile('nixos', {}) || fs.existsSync(NIXOS_MARKER)) return;
  throw new NixstrapFailure(
    'UNSUPPORTED_PLATFORM',
    `This machine does not run NixOS (it has no ${NIXOS_MARKER}), so activating a NixOS system here would take over the running system's /etc and services.`,
    'Only build it here (Build only, or `--action build`); to run it, install NixOS (`nixos-install --flake REPO#HOST`) or, for a container, start it on a NixOS host.',
  );
}

/** A specialisation is activated now, so only a NixOS switch or test has one to activate. */
function checkSpecialisation(kind: string, action: string, name: string | null | undefined): void {
  if (name === undefined) return;
  if (kind !== 'nixos' || (action !== 'switch' && action !== 'test')) {
    const flag = name === null ? '--no-specialisation' : '--specialisation';
    throw new NixstrapFailure(
      'USAGE',
      name === null
        ? `--no-specialisation activates the base configuration of a NixOS system now, so it goes with switch or test, not with a ${kind} ${action}.`
        : `--specialisation activates a specialisation of a NixOS system now, so it goes with switch or test, not with a ${kind} ${action}.`,
      action === 'boot'
        ? 'The boot menu lists every specialisation: choose it there at the next boot.'
        : `Leave ${flag} out, or use --action switch or test.`,
    );
  }
  if (name === null) return;
  if (!/^[^/]+$/.test(name) || name === '.' || name === '..') {
    throw new NixstrapFailure(
      'USAGE',
      `"${name}" is not a specialisation name.`,
      'Give the name as in specialisation.<name>, e.g. --specialisation gaming.',
    );
  }
}

/**
 * Checks what a rebuild needs before anything runs: an action the target knows, a host name (and
 * Home Manager user) a flake address can carry, a flake in the repo, and (for switch and boot) the profile's folder.
 * Throws a one-sentence failure; returns the resolved repo and profile.
 */
export function checkRunOptions(options: Omit<StartRunOptions, 'dataDir' | 'confirm'>): {
  repo: string;
  profile: string;
} {
  const kind = options.target ?? 'nixos';
  checkAction(kind, options.action);
  checkSpecialisation(kind, options.action, options.specialisation);
  const given = path.resolve(options.repo);
  // Nix would take it only to say "not a valid URL" once the run is under way.
  assertHostName(
    options.host,
    `A host's name is its folder under hosts/; choose one of the hosts of ${given}.`,
  );
  if (kind === 'home-manager' && options.user !== undefined) {
    assertFlakeUser(
      options.user,
      'Pass the user as in homeConfigurations."USER@HOST" of the flake with --user, or leave --user out for yourself.',
    );
  }
  requireFlake(given);
  // Nix refuses a flake path that is a symbolic link ("not a directory", NixOS/nix#8013), and
  // the ledger records the repo by its real path: a linked repo is built by what it points at.
  const repo = fs.realpathSync.native(given);
  const env = options.env ?? process.env;
  const profile = options.profile ? path.resolve(options.profile) : defaultProfile(kind, env);
  if (options.action === 'switch' || options.action === 'boot') requireProfileFolder(profile);
  requireNixosToActivate(kind, options.action, profile);
  if (options.unattended) {
    const needsRoot = actionNeedsRoot(kind, options.action, profile, readPlatform());
    refuseUnansweredSudo(needsRoot, `\`nixstrap rebuild --action ${options.action}\``, env);
  }
  return { repo, profile };
}

/**
 * Refuses to build a repo a write of Nixstrap's has not finished with: its files may be part
 * old, part new, a configuration nobody wrote, recorded as if it were one.
 */
async function assertNoUnfinishedWrite(repo: string): Promise<void> {
  const unfinished = await unfinishedWrite(repo);
  if (unfinished === null) return;
  if (unfinished.writer !== null) {
    throw new NixstrapFailure(
      'REPO_BUSY',
      `Another Nixstrap (process ${unfinished.writer}) is writing to ${repo} right now, so nothing was built.`,
      'Wait for it to finish, then rebuild.',
    );
  }
  throw new NixstrapFailure(
    'REPO_BUSY',
    `A write by Nixstrap to ${repo} did not end, so its files may be part old, part new, and nothing was built.`,
    'Plan again (in the app, or `nixstrap plan`): the plan finishes or undoes that write first. Then rebuild.',
  );
}

/**
 * Starts a rebuild: build, validate, what will change, confirm, set the profile, activate.
 * Rejects with REBUILD_BUSY while another run holds the data dir's lock, and as
 * checkRunOptions does, before anything is recorded.
 */
export async function startRun(options: StartRunOptions): Promise<RebuildRun> {
  const kind = options.target ?? 'nixos';
  const { repo, profile } = checkRunOptions(options);
  await assertNoUnfinishedWrite(repo);
  const env = options.env ?? process.env;
  const attribute = flakeAttribute(kind, options.host, options.user);
  const { commit, dirty, subject, branch } = await workTreeState(repo);
  const plan = {
    repo,
    commit,
    host: options.host,
    kind,
    action: options.action,
    attribute,
    profile,
    platform: readPlatform(),
    runDir: env.NIXSTRAP_RUN_DIR || '/run',
    specialisation: options.specialisation,
    guard: options.guard ?? null,
  };
  return startRecordedRun(
    {
      dataDir: options.dataDir,
      kind: 'rebuild',
      action: options.action,
      argv: buildArgv(repo, attribute, options.action, 'result'),
      host: options.host,
      repo,
      commit,
      dirty,
      subject,
      branch,
      profile,
      answers: options.answers,
      confirm: options.confirm,
      env,
      ...(options.cols ? { cols: options.cols } : {}),
      ...(options.rows ? { rows: options.rows } : {}),
      ...(options.cancelGraceMs ? { cancelGraceMs: options.cancelGraceMs } : {}),
      ...(options.keepWatcher ? { keepWatcher: options.keepWatcher } : {}),
    },
    rebuildBody(plan),
  );
}
