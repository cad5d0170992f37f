import type { PendingKeep, RollbackPlan } from '../../../common/generations';
import type { RebuildRun, RunOutcome, RunSession } from '../rebuild';
import {
  type GuardOutcome,
  guardRevertNow,
  readGuardLog,
  readGuardOutcome,
} from '../rebuild/keep-guard';
import { openLedger } from './database';
import { findGeneration } from './generations';
import { type RollbackRunOptions, recordActivation, recordedRollback } from './rollback-run';
import { targetId } from './runs';

/** How often a run that follows a guard looks at its log and outcome. */
const FOLLOW_MS = 250;
/** How long it waits for the guard's outcome before it says the guard is lost. */
const FOLLOW_LIMIT_MS = 15 * 60_000;

/** Shows the guard's log in the run's terminal as it grows, until the guard's last word. */
async function followGuard(
  session: RunSession,
  runDir: string,
  trialRunId: string,
): Promise<GuardOutcome | null> {
  const started = Date.now();
  let shown = 0;
  let outcome: GuardOutcome | null = null;
  for (;;) {
    outcome = readGuardOutcome(runDir, trialRunId);
    const log = readGuardLog(runDir, trialRunId);
    const complete = log.slice(0, log.lastIndexOf('\n') + 1);
    if (complete.length > shown) {
      session.say(complete.slice(shown).trimEnd(), false);
      shown = complete.length;
    }
    if (outcome || Date.now() - started > FOLLOW_LIMIT_MS) return outcome;
    await new Promise((resolve) => setTimeout(resolve, FOLLOW_MS));
  }
}

/** The guarded revert's end, recorded as a rollback's: its activation, and the profile read again. */
async function guardedEnd(
  options: RollbackRunOptions,
  session: RunSession,
  outcome: GuardOutcome | null,
): Promise<RunOutcome> {
  const { plan } = options;
  const reverted = outcome?.word === 'reverted';
  session.phase('activate', reverted ? 'succeeded' : 'failed');
  await recordActivation(options, session.id);
  if (reverted) {
    return {
      status: 'succeeded',
      exitCode: 0,
      storePath: plan.to.storePath,
      generation: plan.to.number,
    };
  }
  const byHand = plan.commands.length
    ? `; to go back by hand, run: ${plan.commands.map((argv) => argv.join(' ')).join(' && ')}`
    : '';
  return {
    status: 'failed',
    exitCode: null,
    explanation: {
      kind: 'activation-failed',
      message: outcome
        ? `The keep guard could not put generation ${plan.to.number} back (${outcome.line}).`
        : `The keep guard said nothing in ${FOLLOW_LIMIT_MS / 60_000} minutes, so generation ${plan.to.number} may not be back.`,
      hint: `Read its log above${byHand}.`,
    },
  };
}

/**
 * The revert a keep guard makes, as a recorded run: used when Nixstrap itself would need a sudo
 * password to revert. The guard (root since the switch) is told to revert now; the run shows
 * its log in the terminal and ends with its outcome, so the revert reads like any other.
 */
export function startGuardedRevert(
  options: RollbackRunOptions & { trialRunId: string },
): Promise<RebuildRun> {
  return recordedRollback({ ...options, confirm: 'yes' }, async (session) => {
    const { plan } = options;
    session.phase('activate', 'started');
    session.say(
      `Nobody kept generation ${plan.from?.number ?? '?'}. Going back needs root, and sudo would ask for a password here, so the keep guard started with the switch puts generation ${plan.to.number} back:`,
    );
    guardRevertNow(options.dataDir, options.trialRunId);
    return guardedEnd(
      options,
      session,
      await followGuard(session, options.runDir ?? '/run', options.trialRunId),
    );
  });
}

/**
 * A revert the keep guard made while no Nixstrap ran (the switch took it down, or it was
 * stopped), recorded when the next Nixstrap takes the trial up: a run whose terminal holds the
 * guard's log, so the page says it went back and how, as it does for Nixstrap's own revert.
 * Null when the ledger no longer knows both generations.
 */
export function recordGuardRevert(options: {
  dataDir: string;
  runDir: string | null;
  env?: NodeJS.ProcessEnv;
  pending: PendingKeep;
}): Promise<RebuildRun> | null {
  const { pending } = options;
  const ledger = openLedger(options.dataDir);
  let plan: RollbackPlan;
  try {
    const target = targetId(ledger, pending.profile);
    const from = findGeneration(ledger, target, pending.generation);
    const to = findGeneration(ledger, target, pending.revertTo);
    if (!from || !to) return null;
    plan = {
      profile: pending.profile,
      kind: 'nixos',
      action: pending.revertAction,
      from,
      to,
      changes: { added: [], removed: [], changed: [], sizeBefore: null, sizeAfter: 0 },
      warnings: [],
      commands: [],
      repo: null,
      commitInRepo: null,
      repoAhead: null,
    };
  } finally {
    ledger.close();
  }
  const runOptions: RollbackRunOptions = {
    dataDir: options.dataDir,
    plan,
    confirm: 'yes',
    runDir: options.runDir,
    ...(options.env ? { env: options.env } : {}),
  };
  return recordedRollback(runOptions, async (session) => {
    session.phase('activate', 'started');
    session.say(
      `Generation ${pending.generation} was not kept in time while no Nixstrap was running, so the keep guard started with its switch put generation ${pending.revertTo} back:`,
    );
    return guardedEnd(
      runOptions,
      session,
      await followGuard(session, options.runDir ?? '/run', pending.runId),
    );
  });
}
