import fs from 'node:fs';
import path from 'node:path';
import {
  type ClosureChanges,
  type Explanation,
  NixstrapFailure,
  type Phase,
  type RebuildAction,
  type TargetKind,
} from '../../../common';
import { formatChanges } from '../../../common/changes-text';
import { activatedPath, readSpecialisations } from '../ledger/generation-contents';
import { untrackedFiles } from '../repo';
import { closureChanges } from '../store';
import { builtSource, lockText, lockWrittenNotice } from './built-source';
import {
  activationArgv,
  buildArgv,
  currentGeneration,
  missingSystemFiles,
  type Platform,
  resolvedStorePath,
  runningSpecialisation,
  setProfileArgv,
} from './commands';
import { explainFailure } from './explain';
import { readFlakeLock } from './flake-lock';
import { type GuardRequest, startGuard } from './keep-guard';
import { rebootNotice } from './reboot';
import type { RunOutcome, RunSession, StepOutcome } from './types';

/** A rebuild with everything resolved: absolute paths, the attribute, the platform. */
export interface RebuildPlan {
  repo: string;
  /** The commit the repo was on when the run started. */
  commit: string | null;
  host: string;
  kind: TargetKind;
  action: RebuildAction;
  attribute: string;
  profile: string;
  platform: Platform;
  /** The folder of `current-system` and `booted-system`: `/run` on NixOS and nix-darwin. */
  runDir: string;
  /**
   * NixOS switch or test: the specialisation of the new system to activate; null for its base;
   * undefined for the one running now, where the new system has it too (else its base).
   */
  specialisation: string | null | undefined;
  /** A switch on trial from the app: what its keep guard puts back. */
  guard: GuardRequest | null;
}

const QUESTIONS: Record<'switch' | 'boot' | 'test', string> = {
  switch: 'Activate the new configuration now and make it the boot default?',
  boot: 'Make the new configuration the boot default (it takes effect on the next boot)?',
  test: 'Activate the new configuration now, without making it the boot default?',
};

/** The question when a specialisation is activated: the boot default is the base configuration. */
function question(action: 'switch' | 'boot' | 'test', specialisation: string | null): string {
  if (!specialisation) return QUESTIONS[action];
  return action === 'switch'
    ? `Activate the new configuration's specialisation ${specialisation} now, and make the new configuration the boot default?`
    : `Activate the new configuration's specialisation ${specialisation} now, without making it the boot default?`;
}

/**
 * The system a switch or test activates: the new one, or its `specialisation/<name>` (a toplevel
 * of its own, where `/run/current-system` then points). A name the build lacks is told with the
 * names it has.
 */
function activatedSystem(
  storePath: string,
  specialisation: string | null,
): { path: string } | { explanation: Explanation } {
  if (!specialisation) return { path: storePath };
  const found = readSpecialisations(storePath);
  const chosen = found[specialisation];
  if (chosen && fs.existsSync(path.join(chosen, 'bin/switch-to-configuration'))) {
    return { path: chosen };
  }
  const names = Object.keys(found);
  return {
    explanation: {
      kind: 'no-specialisation',
      message: `The new configuration has no specialisation ${specialisation}, so nothing was activated and the profile did not change.`,
      hint: names.length
        ? `It has ${names.join(', ')}: choose one of them, or leave the specialisation out to activate the base configuration.`
        : 'It has no specialisations: leave the specialisation out to activate the base configuration.',
    },
  };
}

async function untrackedWarning(session: RunSession, repo: string): Promise<void> {
  const files = await untrackedFiles(repo);
  if (!files.length) return;
  const shown =
    files.slice(0, 5).join(', ') + (files.length > 5 ? ` and ${files.length - 5} more` : '');
  session.say(
    `\u001b[33mwarning:\u001b[0m git does not track ${shown}; the flake cannot see untracked files (git add them if the configuration uses them).`,
  );
}

/**
 * What the run is measured against: `test` changes the running system, `switch` and `boot`
 * the profile (and a build is compared with what a switch would replace).
 */
function currentSystem(plan: RebuildPlan): string | null {
  const running =
    plan.kind === 'home-manager'
      ? null
      : resolvedStorePath(path.join(plan.runDir, 'current-system'));
  const profile = resolvedStorePath(plan.profile);
  return plan.action === 'test' ? (running ?? profile) : (profile ?? running);
}

/**
 * The specialisation a switch or test made while one runs stays in by default: the new system's
 * of the same name, when it has one. Activating the base would change the desktop under its owner.
 */
function offeredSpecialisation(plan: RebuildPlan, storePath: string): string | null {
  if (plan.kind !== 'nixos' || plan.specialisation !== undefined) return null;
  if (plan.action !== 'switch' && plan.action !== 'test') return null;
  const running = runningSpecialisation(plan.profile, plan.runDir);
  return running && readSpecialisations(storePath)[running] ? running : null;
}

/**
 * Packages added, removed and changed, and the closure size, from the store; told and emitted.
 * With a specialisation, its own systems are compared (on each side that has it): that is what
 * runs before and after.
 */
async function showChanges(
  session: RunSession,
  plan: RebuildPlan,
  storePath: string,
  specialisation: string | null,
  instead = false,
) {
  // Told again after the answer chose another system than the one compared: the phase is over.
  const phase = (status: 'started' | 'succeeded' | 'skipped') => {
    if (!instead) session.phase('changes', status);
  };
  phase('started');
  const current = currentSystem(plan);
  const from = current && specialisation ? activatedPath(current, specialisation) : current;
  let changes: ClosureChanges;
  try {
    changes = await closureChanges(from, activatedPath(storePath, specialisation));
  } catch (error) {
    // Telling what changes helps the decision but is not needed to make it.
    const reason = error instanceof NixstrapFailure ? error.error.message : String(error);
    session.say(`What will change could not be read from the store: ${reason}`);
    phase('skipped');
    return;
  }
  session.emit({ type: 'changes', ...changes, ...(specialisation ? { specialisation } : {}) });
  const where = specialisation
    ? ` in specialisation ${specialisation}`
    : instead
      ? ' in the base configuration instead'
      : '';
  session.say(
    from
      ? `What will change${where} (from ${from}):`
      : `What will be installed${where} (nothing is yet):`,
  );
  session.say(formatChanges(changes), false);
  phase('succeeded');
}

/** The rebuild as phases, each recorded with its own status and exit code. */
export function rebuildBody(plan: RebuildPlan): (session: RunSession) => Promise<RunOutcome> {
  return async (session) => {
    let storePath: string | null = null;
    let generation: number | null = null;
    const stopped = (phase: Phase, explanation: Explanation | null, exitCode: number | null) => {
      session.phase(phase, 'failed', exitCode);
      return { status: 'failed' as const, exitCode, storePath, generation, explanation };
    };
    const failed = async (phase: Phase, step: StepOutcome): Promise<RunOutcome> => {
      const model = session.progressModel;
      const explanation = session.cancelled
        ? null
        : await explainFailure({
            runId: session.id,
            phase,
            action: plan.action,
            exitCode: step.exitCode,
            errors: phase === 'build' ? (model?.errors ?? []) : [],
            lines: step.lines,
            failure: phase === 'build' ? (model?.failure() ?? null) : null,
            repo: plan.repo,
            host: plan.host,
            kind: plan.kind,
            attribute: plan.attribute,
            platform: plan.platform,
            untracked: async (target) =>
              (await untrackedFiles(plan.repo)).filter(
                (file) => file === target || file.startsWith(`${target}/`),
              ),
          });
      return stopped(phase, explanation, step.exitCode);
    };

    await untrackedWarning(session, plan.repo);
    const lockBefore = lockText(plan.repo);
    session.phase('build', 'started');
    const outLink = path.join(session.dir, 'result');
    const build = await session.step({
      argv: buildArgv(plan.repo, plan.attribute, plan.action, outLink),
      nixLog: true,
    });
    // Read after the build, not before: Nix writes the lock when an input is new or moved.
    const lock = readFlakeLock(plan.repo);
    if (lock) session.recordLock(lock);
    if (build.exitCode !== 0 || session.cancelled) return failed('build', build);
    // The commit and dirty flag read at the start are the truth only while Nix wrote no lock.
    const source = await builtSource(plan.repo, { commit: plan.commit, lock: lockBefore });
    if (source) session.recordSource(source);
    session.phase('build', 'succeeded', 0);
    if (source?.lockWritten) session.say(lockWrittenNotice(plan.repo, session.id), false);
    if (plan.action === 'dry-build') {
      const planned = session.progressModel?.planned ?? { build: [], fetch: [] };
      session.say(
        `Nothing was built: ${planned.build.length} derivation(s) would be built and ${planned.fetch.length} path(s) fetched.`,
      );
      return { status: 'succeeded', exitCode: 0 };
    }

    storePath = resolvedStorePath(outLink);
    session.phase('validate', 'started');
    const missing = storePath ? missingSystemFiles(plan.kind, storePath) : [];
    if (!storePath || missing.length) {
      return stopped(
        'validate',
        {
          kind: 'not-a-system',
          message: storePath
            ? `${plan.attribute} built ${storePath}, which is not a ${plan.kind} system: it has no ${missing.join(' or ')}.`
            : `nix build succeeded but left no result at ${outLink}.`,
          hint: 'Point --host (and --target) at a configuration whose attribute builds a whole system.',
        },
        null,
      );
    }
    session.record({ storePath });
    const given = plan.specialisation ?? null;
    const asked = activatedSystem(storePath, given);
    if ('explanation' in asked) return stopped('validate', asked.explanation, null);
    session.phase('validate', 'succeeded');

    const offered = offeredSpecialisation(plan, storePath);
    await showChanges(session, plan, storePath, offered ?? given);
    if (plan.action === 'build') return { status: 'succeeded', exitCode: 0, storePath };
    const action = plan.action;

    const proceed = await session.confirm(question(action, given), offered ?? undefined);
    if (!proceed) {
      session.phase('confirm', 'failed');
      return {
        status: 'cancelled',
        exitCode: null,
        storePath,
        explanation: {
          kind: 'declined',
          message: 'Nothing was changed: the new configuration was built but not applied.',
          hint: 'Run the rebuild again when you want to apply it.',
        },
      };
    }
    // The answer's choice, when the question offered one (any name sent is checked as a given
    // one); answered without a choice (--yes), the running one stays.
    const chosen = offered ? (session.chosenSpecialisation ?? null) : given;
    const staying = offered !== null && session.chosenSpecialisation === undefined;
    const specialisation = staying ? offered : chosen;
    const activated = specialisation === given ? asked : activatedSystem(storePath, specialisation);
    if ('explanation' in activated) return stopped('confirm', activated.explanation, null);
    session.phase('confirm', 'succeeded');
    if (staying) {
      session.say(
        `Specialisation ${offered} runs now and the new configuration has it too, so it stays in it (--no-specialisation activates the base configuration).`,
        false,
      );
    } else if (specialisation) {
      session.say(`Activating its specialisation ${specialisation}.`, false);
    } else if (offered) {
      session.say(`Activating the base configuration; specialisation ${offered} stops.`, false);
      // What was shown compared the specialisation's systems; the base's differ.
      await showChanges(session, plan, storePath, null, true);
    }

    if (action !== 'test') {
      session.phase('set-profile', 'started');
      const set = await session.step({
        argv: setProfileArgv(plan.kind, plan.profile, storePath, plan.platform),
      });
      // Recorded as soon as it is set, even when cancelled: a cancel must tell of it.
      if (set.exitCode === 0) generation = currentGeneration(plan.profile);
      if (generation !== null) session.record({ generation });
      if (set.exitCode !== 0 || session.cancelled) return failed('set-profile', set);
      // The generation now keeps the system from garbage collection; an out-link per run
      // would keep every system ever built.
      fs.rmSync(outLink, { force: true });
      session.phase('set-profile', 'succeeded', 0);
    }

    session.phase('activate', 'started');
    if (plan.guard && plan.kind === 'nixos' && action === 'switch' && generation !== null) {
      await startGuard(session, {
        dataDir: session.dataDir,
        runId: session.id,
        runDir: plan.runDir,
        profile: plan.profile,
        generation,
        trialPath: activated.path,
        request: plan.guard,
        platform: plan.platform,
        env: session.env,
      });
    }
    const activate = await session.step({
      argv: activationArgv(plan.kind, activated.path, action, plan.platform),
    });
    if (activate.exitCode !== 0 || session.cancelled) return failed('activate', activate);
    session.phase('activate', 'succeeded', 0);
    const notice = plan.kind === 'nixos' && action !== 'boot' ? rebootNotice(plan.runDir) : null;
    if (notice) session.say(notice.message);
    return {
      status: 'succeeded',
      exitCode: 0,
      storePath,
      generation,
      explanation: notice,
      ...(plan.kind === 'nixos' && action !== 'boot' ? { specialisation } : {}),
    };
  };
}
