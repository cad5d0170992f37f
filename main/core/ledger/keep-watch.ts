import type { PendingKeep } from '../../../common/generations';
import type { RebuildRun } from '../rebuild';
import { openLedger } from './database';
import { findGeneration, generationId } from './generations';
import { planRollback } from './rollback-plan';
import { startRollback } from './rollback-run';
import { targetId } from './runs';

/** How long a new configuration waits for "Keep it" before it reverts by itself. */
export const DEFAULT_KEEP_SECONDS = 60;

export interface KeepTrial {
  profile: string;
  /** The run that switched to the generation on trial. */
  runId: string;
  generation: number;
  /** The generation to go back to without a confirmation. */
  revertTo: number;
  seconds?: number;
}

export interface KeepWatchOptions {
  dataDir: string;
  runDir?: string | null;
  env?: NodeJS.ProcessEnv;
  /** Called with the run that reverts, so a shell can show it like any other run. */
  onRevert?: (run: RebuildRun, pending: PendingKeep) => void;
  /** Called when the revert could not start (another run holds the lock, the profile is gone). */
  onRevertFailed?: (error: unknown, pending: PendingKeep) => void;
}

function record(
  dataDir: string,
  pending: PendingKeep,
  event: 'confirmed' | 'auto-reverted',
  runId: string,
) {
  const ledger = openLedger(dataDir);
  try {
    const target = targetId(ledger, pending.profile);
    const generation = findGeneration(ledger, target, pending.generation);
    const id = generation ? generationId(ledger, target, generation) : null;
    if (id === null) return;
    ledger.db
      .prepare('INSERT INTO activations (generation_id, run_id, event, at) VALUES (?, ?, ?, ?)')
      .run(id, runId, event, new Date().toISOString());
  } finally {
    ledger.close();
  }
}

/**
 * "Keep this configuration?": after a switch or rollback from the app, the new generation is
 * on trial; without a confirmation before the deadline it rolls back by itself, through the
 * runner like any rollback (deploy-rs's magic rollback, on the local machine). The timer
 * lives in the process that owns the run; each outcome is recorded as an activation.
 */
export function createKeepWatch(options: KeepWatchOptions) {
  const trials = new Map<string, { pending: PendingKeep; timer: NodeJS.Timeout }>();

  async function revert(pending: PendingKeep): Promise<void> {
    const ledger = openLedger(options.dataDir);
    let plan: Awaited<ReturnType<typeof planRollback>>;
    try {
      plan = await planRollback(ledger, {
        profile: pending.profile,
        runDir: options.runDir ?? null,
        to: pending.revertTo,
      });
    } finally {
      ledger.close();
    }
    const run = await startRollback({
      dataDir: options.dataDir,
      plan,
      confirm: 'yes',
      runDir: options.runDir ?? null,
      ...(options.env ? { env: options.env } : {}),
    });
    options.onRevert?.(run, pending);
    const result = await run.done;
    if (result.status === 'succeeded') record(options.dataDir, pending, 'auto-reverted', run.id);
  }

  return {
    /** Puts a generation on trial; a second trial of the same profile replaces the first. */
    arm(trial: KeepTrial): PendingKeep {
      this.cancel(trial.profile);
      const seconds = trial.seconds ?? DEFAULT_KEEP_SECONDS;
      const pending: PendingKeep = {
        profile: trial.profile,
        runId: trial.runId,
        generation: trial.generation,
        revertTo: trial.revertTo,
        deadline: new Date(Date.now() + seconds * 1000).toISOString(),
      };
      const timer = setTimeout(() => {
        trials.delete(trial.profile);
        revert(pending).catch((error: unknown) => options.onRevertFailed?.(error, pending));
      }, seconds * 1000);
      trials.set(trial.profile, { pending, timer });
      return pending;
    },

    /** "Keep it": the trial ends and the generation stays. False when nothing was on trial. */
    confirm(profile: string): boolean {
      const trial = trials.get(profile);
      if (!trial) return false;
      clearTimeout(trial.timer);
      trials.delete(profile);
      record(options.dataDir, trial.pending, 'confirmed', trial.pending.runId);
      return true;
    },

    /** Drops a trial without recording anything (a new run replaces it). */
    cancel(profile: string): void {
      const trial = trials.get(profile);
      if (trial) clearTimeout(trial.timer);
      trials.delete(profile);
    },

    pending(): PendingKeep[] {
      return [...trials.values()].map((trial) => trial.pending);
    },

    dispose(): void {
      for (const trial of trials.values()) clearTimeout(trial.timer);
      trials.clear();
    },
  };
}

export type KeepWatch = ReturnType<typeof createKeepWatch>;
