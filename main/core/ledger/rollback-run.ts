import { formatBytes } from '../../../common/bytes';
import type { RollbackPlan } from '../../../common/generations';
import type { Explanation } from '../../../common/rebuild';
import { rollbackVerb, rollbackWhen } from '../../../common/rollback-verb';
import {
  type RebuildRun,
  type RunOutcome,
  type RunSession,
  type StepOutcome,
  startRecordedRun,
} from '../rebuild';
import { readPlatform } from '../rebuild/commands';
import { startGuard } from '../rebuild/keep-guard';
import { refuseUnansweredSudo, usesSudo } from '../rebuild/unattended';
import { openLedger } from './database';
import { activatedPath } from './generation-contents';
import { generationId } from './generations';
import { reconcileProfile } from './reconcile';
import { moveRepoTo } from './rollback-repo';
import { targetId } from './runs';

export interface RollbackRunOptions {
  dataDir: string;
  plan: RollbackPlan;
  /** `ask` waits for the user's answer to the confirm event; `yes` goes ahead. */
  confirm: 'ask' | 'yes';
  /** The folder of current-system and booted-system, as for reconcile. */
  runDir?: string | null;
  /** Also move the config repo back to the generation's commit, on a new branch. */
  moveRepo?: boolean;
  /**
   * The seconds the user has to keep the generation (a switch or try from the app): its
   * activation is then guarded, so the generation in use before comes back unless it is kept.
   */
  keepSeconds?: number;
  /** The keep watch of the shell starting the run, whose own trial of the profile it may move. */
  keepWatcher?: string;
  env?: NodeJS.ProcessEnv;
  cols?: number;
  rows?: number;
  /**
   * Nobody can type into the run's terminal (no TTY): a sudo that asks for a password would
   * never be answered, so a run that needs one is refused before it starts.
   */
  unattended?: boolean;
}

/** The question the user answers before anything changes: what will change, in one breath. */
export function rollbackQuestion(plan: RollbackPlan): string {
  const { changes, to } = plan;
  const parts = [
    `${changes.changed.length} package(s) change version`,
    `${changes.added.length} added`,
    `${changes.removed.length} removed`,
    `closure ${formatBytes(changes.sizeBefore)} → ${formatBytes(changes.sizeAfter)}`,
  ];
  const verb = rollbackVerb(plan.action, to.number, plan.from?.number ?? null);
  const within = plan.specialisation ? ` in specialisation ${plan.specialisation}` : '';
  return `${verb} generation ${to.number}${to.nixosVersion ? ` (${to.nixosVersion})` : ''}${within} ${rollbackWhen(plan.action)}? ${parts.join(', ')}.`;
}

/**
 * What a failed `test` activation means. It leaves the profile and the boot default alone, so
 * none of its sentences may say they moved: the next reboot returns to the boot default.
 * switch-to-configuration checks the init interface for `test` as for `switch` (only `boot`
 * exits before it), so 100 happens here too, and then nothing of the generation ran.
 */
function testFailure(plan: RollbackPlan, step: StepOutcome, back: string): Explanation {
  const units = step.lines.find((line) => line.includes('the following units failed'));
  const logTail = step.lines.slice(-20);
  if (step.exitCode === 4) {
    return {
      kind: 'units-failed',
      message: `Generation ${plan.to.number} runs until the next reboot, but some services failed to start${units ? ` (${units.replace(/^.*failed:\s*/, '')})` : ''}.`,
      hint: `Look at them with \`systemctl --failed\`; a reboot returns to the boot default, or to go back now, ${back}.`,
      logTail,
    };
  }
  if (step.exitCode === 100) {
    return {
      kind: 'reboot-required',
      message: `Generation ${plan.to.number} cannot be tried without a reboot: its init differs from the running one's (exit 100), and trying it does not make it the boot default.`,
      hint: 'Nothing was activated. To run it, boot into it from the next boot on and reboot.',
      logTail,
    };
  }
  return {
    kind: 'activation-failed',
    message: `Trying generation ${plan.to.number} failed (exit ${step.exitCode}); the profile and the boot default did not change.`,
    hint: `Read the log above; a reboot returns to the boot default, or to put things back now, ${back}.`,
    logTail,
  };
}

/** What a failed activation means, per the exit codes switch-to-configuration documents. */
function activationFailure(plan: RollbackPlan, step: StepOutcome): Explanation {
  const back = plan.from
    ? `roll back to generation ${plan.from.number}`
    : 'choose a generation to roll back to';
  if (plan.action === 'test') {
    return testFailure(
      plan,
      step,
      plan.from
        ? `try generation ${plan.from.number} until the next reboot`
        : 'choose a generation to go back to',
    );
  }
  const units = step.lines.find((line) => line.includes('the following units failed'));
  if (plan.kind === 'nixos' && step.exitCode === 4) {
    return {
      kind: 'units-failed',
      message: `Generation ${plan.to.number} is active, but some services failed to start${units ? ` (${units.replace(/^.*failed:\s*/, '')})` : ''}.`,
      hint: `Look at them with \`systemctl --failed\`; to go back, ${back}.`,
      logTail: step.lines.slice(-20),
    };
  }
  if (plan.kind === 'nixos' && step.exitCode === 100) {
    return {
      kind: 'reboot-required',
      message:
        plan.action === 'boot'
          ? `Generation ${plan.to.number} is the boot default; it takes effect on the next boot.`
          : `Generation ${plan.to.number} is the boot default, but its init differs from the running one's, so it takes effect only after a reboot (exit 100).`,
      hint: `Reboot to start it; to keep what runs now instead, ${back}.`,
      logTail: step.lines.slice(-20),
    };
  }
  return {
    kind: 'activation-failed',
    message: `The profile points at generation ${plan.to.number} now, but activating it failed (exit ${step.exitCode}).`,
    hint: `Read the log above; to put things back, ${back}.`,
    logTail: step.lines.slice(-20),
  };
}

/** Records the rollback's activation and reads the profile again, in the ledger the run shares. */
export async function recordActivation(options: RollbackRunOptions, runId: string): Promise<void> {
  const ledger = openLedger(options.dataDir);
  try {
    const target = targetId(ledger, options.plan.profile);
    const id = generationId(ledger, target, options.plan.to);
    if (id !== null) {
      ledger.db
        .prepare('INSERT INTO activations (generation_id, run_id, event, at) VALUES (?, ?, ?, ?)')
        .run(
          id,
          runId,
          options.plan.action === 'test' ? 'tested' : 'rolled-back',
          new Date().toISOString(),
        );
    }
    await reconcileProfile(ledger, {
      profile: options.plan.profile,
      runDir: options.runDir ?? null,
    });
  } finally {
    ledger.close();
  }
}

async function rollbackBody(options: RollbackRunOptions, session: RunSession) {
  const { plan } = options;
  session.phase('changes', 'started');
  session.emit({
    type: 'changes',
    ...plan.changes,
    ...(plan.specialisation ? { specialisation: plan.specialisation } : {}),
  });
  for (const warning of plan.warnings) session.say(`warning: ${warning}`);
  session.phase('changes', 'succeeded');

  session.phase('confirm', 'started');
  if (!(await session.confirm(rollbackQuestion(plan)))) {
    session.phase('confirm', 'failed');
    return { status: 'cancelled' as const, exitCode: null };
  }
  session.phase('confirm', 'succeeded');

  if (plan.action === 'test') return activateBody(options, session, plan.commands[0] as string[]);
  const [switchProfile, activate] = plan.commands as [string[], string[]];
  session.phase('set-profile', 'started');
  const set = await session.step({ argv: switchProfile });
  if (set.exitCode !== 0) {
    session.phase('set-profile', 'failed', set.exitCode);
    return {
      status: session.cancelled ? ('cancelled' as const) : ('failed' as const),
      exitCode: set.exitCode,
      explanation: {
        kind: 'set-profile-failed',
        message: `The profile could not be switched to generation ${plan.to.number} (exit ${set.exitCode}); nothing changed.`,
        hint: 'Read the message above; switching a system profile needs root (sudo asks in this terminal).',
        logTail: set.lines.slice(-20),
      },
    };
  }
  session.phase('set-profile', 'succeeded', 0);
  return activateBody(options, session, activate);
}

/** The activation of a rollback, after the profile moved (or, for a test, in its place). */
async function activateBody(options: RollbackRunOptions, session: RunSession, activate: string[]) {
  const { plan } = options;
  session.record({ storePath: plan.to.storePath, generation: plan.to.number });
  session.phase('activate', 'started');
  if (options.keepSeconds && plan.kind === 'nixos' && plan.action !== 'boot' && plan.from) {
    await startGuard(session, {
      dataDir: session.dataDir,
      runId: session.id,
      runDir: options.runDir ?? '/run',
      profile: plan.profile,
      generation: plan.to.number,
      trialPath: activatedPath(plan.to.storePath, plan.specialisation),
      request: {
        revertTo: plan.from.number,
        // What ran before comes back: the specialisation of it that ran, when one did.
        revertPath: activatedPath(plan.from.storePath, plan.from.runningSpecialisation),
        revertAction: plan.action,
        keepSeconds: options.keepSeconds,
      },
      platform: readPlatform(),
      env: session.env,
    });
  }
  const activated = await session.step({ argv: activate });
  session.phase('activate', activated.exitCode === 0 ? 'succeeded' : 'failed', activated.exitCode);
  await recordActivation(options, session.id);
  if (activated.exitCode !== 0) {
    return {
      status: 'failed' as const,
      exitCode: activated.exitCode,
      storePath: plan.to.storePath,
      generation: plan.to.number,
      explanation: activationFailure(plan, activated),
    };
  }
  // A test is undone by the next reboot: a repo moved for it would outlast it.
  if (options.moveRepo && plan.action !== 'test' && plan.repo && plan.to.commit) {
    session.say(await moveRepoTo(plan.repo, plan.to.commit, plan.to.number));
  }
  return {
    status: 'succeeded' as const,
    exitCode: 0,
    storePath: plan.to.storePath,
    generation: plan.to.number,
    ...(plan.kind === 'nixos' && plan.action !== 'boot'
      ? { specialisation: plan.specialisation ?? null }
      : {}),
  };
}

/** The flag that says which configuration of the generation the rollback activated. */
function specialisationArgs(plan: RollbackPlan): string[] {
  if (plan.specialisation) return ['--specialisation', plan.specialisation];
  return plan.action !== 'boot' && plan.from?.runningSpecialisation ? ['--no-specialisation'] : [];
}

/** A rollback's recorded run, with the body given: the ledger row says what it goes back to. */
export async function recordedRollback(
  options: RollbackRunOptions,
  body: (session: RunSession) => Promise<RunOutcome>,
): Promise<RebuildRun> {
  const { plan } = options;
  if (options.unattended) {
    refuseUnansweredSudo(
      usesSudo(plan.commands),
      '`nixstrap rollback`',
      options.env ?? process.env,
    );
  }
  return startRecordedRun(
    {
      dataDir: options.dataDir,
      kind: 'rollback',
      action: plan.action,
      argv: [
        'nixstrap',
        'rollback',
        '--to',
        String(plan.to.number),
        '--profile',
        plan.profile,
      ].concat(plan.action === 'switch' ? [] : [`--${plan.action}`], specialisationArgs(plan)),
      host: plan.to.host,
      repo: plan.repo,
      commit: plan.to.commit,
      dirty: plan.to.dirty,
      lockWritten: plan.to.lockWritten,
      subject: plan.to.subject,
      branch: plan.to.branch,
      profile: plan.profile,
      fromGeneration: plan.from?.number ?? null,
      confirm: options.confirm,
      ...(options.env ? { env: options.env } : {}),
      ...(options.cols ? { cols: options.cols } : {}),
      ...(options.rows ? { rows: options.rows } : {}),
      ...(options.keepWatcher ? { keepWatcher: options.keepWatcher } : {}),
    },
    body,
  );
}

/**
 * Runs a planned rollback through the rebuild's runner: the same terminal, log and lock as a
 * rebuild, with its phases (changes, confirm, set-profile, activate) recorded in the ledger.
 */
export function startRollback(options: RollbackRunOptions): Promise<RebuildRun> {
  return recordedRollback(options, (session) => rollbackBody(options, session));
}
