import fs from 'node:fs';
import { NixstrapFailure, type PreviousChoices } from '../../../common/failure';
import type { RollbackAction, RollbackPlan } from '../../../common/generations';
import type { Generation, TargetKind } from '../../../common/rebuild';
import { activationArgv, readPlatform, switchGenerationArgv } from '../rebuild/commands';
import { checkCommitAndHead } from './commit-check';
import type { Ledger } from './database';
import { cachedClosureChanges } from './diff';
import { activatedPath } from './generation-contents';
import { listGenerations } from './generations';
import { requireGeneration } from './history';
import { type ReconcileOptions, reconcileProfile } from './reconcile';

export interface RollbackRequest extends ReconcileOptions {
  /** The generation to return to; the newest present one below the current when absent. */
  to?: number;
  action?: RollbackAction;
  /**
   * The config repo, to warn when the target's commit is no longer in it; the repo the ledger
   * recorded for the target's build comes first, as its commit was made there.
   */
  repo?: string | null;
  /**
   * Activate this specialisation of the target (a revert puts back the specialisation that ran);
   * a name the target lacks activates its base configuration, as null does. Absent: the
   * specialisation running now stays, when the target has it too.
   */
  specialisation?: string | null;
}

/**
 * The specialisation a rollback stays in unless told otherwise: the one running now, when the
 * generation it goes to has it too, as a rebuild stays in it. A boot default starts the base.
 */
function stayingSpecialisation(
  from: Generation | null,
  to: Generation,
  action: RollbackAction,
): string | null {
  const running = from?.runningSpecialisation ?? null;
  if (action === 'boot' || running === null) return null;
  return to.specialisations.includes(running) ? running : null;
}

/**
 * Refuses a specialisation the user named that the generation lacks, naming those it has: the
 * plan itself would activate the base configuration instead (what a revert wants).
 */
export function requireSpecialisation(to: Generation, name: string | null | undefined): void {
  if (!name || to.specialisations.includes(name)) return;
  throw new NixstrapFailure(
    'INVALID_REQUEST',
    `Generation ${to.number} has no specialisation ${name}, so nothing was changed.`,
    to.specialisations.length
      ? `It has ${to.specialisations.join(', ')}: choose one of them, or leave the specialisation out to activate the base configuration.`
      : 'It has no specialisations: leave the specialisation out to activate the base configuration.',
  );
}

/** What is in use now: the running system where the machine says, else the profile's. */
export function generationInUse(generations: Generation[]): Generation | null {
  return generations.find((g) => g.running) ?? generations.find((g) => g.current) ?? null;
}

/** The newest generation still present before `g`. */
function presentBefore(generations: Generation[], g: Generation): Generation | null {
  return generations
    .filter((p) => p.present && p.number < g.number)
    .reduce<Generation | null>((best, p) => (!best || p.number > best.number ? p : best), null);
}

function previousOf(generations: Generation[], current: Generation): Generation {
  const previous = presentBefore(generations, current);
  if (!previous) {
    throw new NixstrapFailure(
      'NOTHING_TO_ROLL_BACK',
      `Generation ${current.number} is the oldest one left in this profile; there is nothing before it to roll back to.`,
      'The list of generations shows what the profile holds.',
    );
  }
  return previous;
}

/**
 * "The previous generation" of a NixOS machine that runs another generation than its boot
 * default (after Boot into) could mean the one before either. nixos-rebuild --rollback counts
 * from the profile; a person looking at what runs counts from that. Neither is guessed.
 */
function previousOfUnambiguous(generations: Generation[], current: Generation): Generation {
  const running = generations.find((g) => g.running);
  if (!running || running.number === current.number) return previousOf(generations, current);
  const choices: PreviousChoices = {
    running: running.number,
    bootDefault: current.number,
    beforeRunning: presentBefore(generations, running)?.number ?? null,
    beforeBootDefault: presentBefore(generations, current)?.number ?? null,
  };
  // With the running generation's link deleted, both can be the same generation: no guess.
  if (choices.beforeRunning !== null && choices.beforeRunning === choices.beforeBootDefault) {
    return previousOf(generations, current);
  }
  const before = (number: number | null, which: string) =>
    `${number === null ? 'none' : `generation ${number}`} comes before ${which}`;
  throw new NixstrapFailure(
    'NOTHING_TO_ROLL_BACK',
    `Generation ${running.number} is running now and generation ${current.number} is the boot default, so "the previous generation" is not one generation.`,
    `Choose a generation to roll back to from the list of generations: ${before(choices.beforeRunning, 'the running one')}, ${before(choices.beforeBootDefault, 'the boot default')}.`,
    { previousChoices: choices },
  );
}

/**
 * The commands of a rollback, per platform, built as the rebuild builds its own: the profile
 * is re-pointed under Nix's lock with `--switch-generation`, then the target generation's own
 * activation runs (sudo, where needed, in the run's terminal). A test leaves the profile
 * alone, as `nixos-rebuild test --rollback` does: only the generation's activation runs.
 */
export function rollbackCommands(
  profile: string,
  kind: TargetKind,
  to: Generation,
  action: RollbackAction,
  specialisation: string | null = null,
): string[][] {
  const platform = readPlatform();
  const system = activatedPath(to.storePath, action === 'boot' ? null : specialisation);
  const activate = activationArgv(kind, system, action, platform);
  if (action === 'test') return [activate];
  return [switchGenerationArgv(kind, profile, to.number, platform), activate];
}

function refuse(message: string, hint: string): never {
  throw new NixstrapFailure('NOTHING_TO_ROLL_BACK', message, hint);
}

/** What a rollback will do, worked out before anything changes: nothing here touches the machine. */
export async function planRollback(
  ledger: Ledger,
  request: RollbackRequest,
): Promise<RollbackPlan> {
  const action = request.action ?? 'switch';
  const report = await reconcileProfile(ledger, request);
  const generations = listGenerations(ledger, report.targetId);
  const current = generations.find((g) => g.current) ?? null;
  if (!current && request.to === undefined) {
    refuse(
      `The profile ${request.profile} points at no generation, so there is no previous one.`,
      'Choose a generation to roll back to from the list of generations.',
    );
  }
  const to =
    request.to !== undefined
      ? requireGeneration(ledger, report.targetId, request.to)
      : previousOfUnambiguous(generations, current as Generation);
  if (!to.present) {
    throw new NixstrapFailure(
      'STORE_PATH_GONE',
      `Generation ${to.number} was deleted from the profile, so it cannot be activated again.`,
      'Choose a generation that is still present (the list of generations marks the deleted ones).',
    );
  }
  // A link left to a system the store no longer holds (removed by hand, a profile restored
  // without its store): nothing to activate, and its changes cannot be read either.
  if (!fs.existsSync(to.storePath)) {
    throw new NixstrapFailure(
      'STORE_PATH_GONE',
      `Generation ${to.number}'s system, ${to.storePath}, is no longer in the Nix store, so it cannot be activated again.`,
      `Choose another generation; deleting generation ${to.number} removes the link that still names it.`,
    );
  }
  const kind = to.kind ?? report.kind;
  if (!kind) {
    throw new NixstrapFailure(
      'ROLLBACK_FAILED',
      `${to.storePath} is not a NixOS, nix-darwin or Home Manager generation, so Nixstrap does not know how to activate it.`,
      'Choose a system or Home Manager profile.',
    );
  }
  if (action === 'boot' && kind !== 'nixos') {
    throw new NixstrapFailure(
      'INVALID_REQUEST',
      `"On next boot" exists only for NixOS; a ${kind} generation is activated right away.`,
      'Roll back now instead of on next boot.',
    );
  }
  if (action === 'test' && kind !== 'nixos') {
    throw new NixstrapFailure(
      'INVALID_REQUEST',
      `"Until the next reboot" exists only for NixOS; a ${kind} generation has no test activation, so it can only be switched to.`,
      'Roll back with switch instead, which also makes it the current generation.',
    );
  }
  const from = generationInUse(generations);
  const staying = stayingSpecialisation(from, to, action);
  // Staying is no change when the generation is the one in use: then it is its base that is asked for.
  const inUse = from?.number === to.number && from.storePath === to.storePath;
  const specialisation =
    request.specialisation !== undefined ? request.specialisation : inUse ? null : staying;
  // A generation whose specialisation runs is not running as its base configuration: trying or
  // switching to that base is a change, as is going to another of its specialisations.
  const running = (g: Generation | null) =>
    g !== null &&
    g.number === to.number &&
    g.storePath === to.storePath &&
    g.runningSpecialisation === specialisation;
  if (action === 'test' && running(from)) {
    refuse(
      `Generation ${to.number} is already the one running.`,
      'Pick another one from the list of generations.',
    );
  }
  const alreadyThere =
    action !== 'test' &&
    to.current &&
    (action === 'boot' || kind === 'home-manager' || !from || running(from));
  if (alreadyThere) {
    refuse(
      `Generation ${to.number} is already the current one${action === 'boot' ? ' and the boot default' : ''}.`,
      'Pick another one from the list of generations.',
    );
  }
  // Staying in a specialisation, its own systems are compared: they are what runs before and after.
  const compared =
    action !== 'boot' && specialisation && to.specialisations.includes(specialisation)
      ? specialisation
      : null;
  const changes = await cachedClosureChanges(
    ledger,
    activatedPath((from ?? current ?? to).storePath, compared),
    activatedPath(to.storePath, compared),
  );
  const { check, head } = await checkCommitAndHead(to, request.repo ?? null);
  const warnings = check.warning ? [check.warning] : [];
  const repoAhead = head && to.commit && !head.startsWith(to.commit) ? head : null;
  if (to.lockWritten) {
    warnings.push(
      `Generation ${to.number} was built with a flake.lock its own build wrote, which commit ${to.commit?.slice(0, 12) ?? 'its commit'} does not hold: a rebuild of that commit locks its inputs again, perhaps at newer versions, so it may not build generation ${to.number} again.`,
    );
  } else if (to.dirty) {
    warnings.push(
      `Generation ${to.number} was built with uncommitted changes on top of ${to.commit?.slice(0, 12) ?? 'its commit'}; no commit holds exactly that configuration.`,
    );
  }
  if (to.commit === null && to.kind !== 'home-manager') {
    warnings.push(
      `Generation ${to.number} does not say which commit it was built from, so the repo cannot be put back to it: the next rebuild from the repo builds what the repo holds, not generation ${to.number}.`,
    );
  }
  return {
    profile: request.profile,
    kind,
    action,
    from,
    to,
    changes,
    warnings,
    ...(compared ? { specialisation: compared } : {}),
    commands: rollbackCommands(request.profile, kind, to, action, compared),
    repo: check.repo,
    commitInRepo: check.commitInRepo,
    repoAhead,
  };
}
