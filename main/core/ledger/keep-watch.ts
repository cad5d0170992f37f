import { randomUUID } from 'node:crypto';
import { NixstrapFailure } from '../../../common/failure';
import type { PendingKeep, RevertAction } from '../../../common/generations';
import { machineId } from '../platform/machine-id';
import { thisProcess } from '../platform/process-start';
import { type RebuildRun, runLockHeld } from '../rebuild';
import { readPlatform, rootNeedsPassword } from '../rebuild/commands';
import {
  endGuard,
  guardBootsBack,
  guardWatching,
  pruneGuards,
  readGuardOutcome,
  setGuardDeadline,
} from '../rebuild/keep-guard';
import { type Ledger, openLedger } from './database';
import { findGeneration, generationId, listGenerations } from './generations';
import { recordGuardRevert, startGuardedRevert } from './guard-run';
import {
  heldElsewhere,
  machineTrial,
  machineTrials,
  pendingOf,
  type TrialRow,
  type TrialShell,
  watcherAlive,
} from './keep-trials';
import { tellLater } from './notices';
import { reconcileProfile } from './reconcile';
import { generationInUse, planRollback } from './rollback-plan';
import { startRollback } from './rollback-run';
import { targetId } from './runs';

/** How long a new configuration waits for "Keep it" before it reverts by itself. */
export const DEFAULT_KEEP_SECONDS = 60;
/** How often a revert that found another run holding the data dir's lock looks at it again. */
const BUSY_RETRY_MS = 1000;
/** How long the keep guard holds off while this process reverts by itself. */
const OWN_REVERT_ALLOWANCE_MS = 10 * 60_000;

function busy(error: unknown): boolean {
  return error instanceof NixstrapFailure && error.error.code === 'REBUILD_BUSY';
}

export interface KeepTrial {
  profile: string;
  /** The run that switched to the generation on trial. */
  runId: string;
  generation: number;
  /** The generation to go back to without a confirmation. */
  revertTo: number;
  /** How to go back: `test` for a generation tried until the next reboot; `switch` if absent. */
  revertAction?: RevertAction;
  /** The specialisation of `revertTo` that ran before, activated again by a revert. */
  revertSpecialisation?: string | null;
  seconds?: number;
}

export interface KeepWatchOptions {
  dataDir: string;
  runDir?: string | null;
  env?: NodeJS.ProcessEnv;
  /** The shell this watch asks in, named to the other Nixstraps its trials hold back. */
  shell?: TrialShell;
  /**
   * Called with the run that reverts, so a shell can show it like any other run; `byGuard` when
   * the keep guard made the revert and the run only tells it.
   */
  onRevert?: (run: RebuildRun, pending: PendingKeep, byGuard: boolean) => void;
  /** Called when the revert could not start (another run holds the lock, the profile is gone). */
  onRevertFailed?: (error: unknown, pending: PendingKeep) => void;
}

function inLedger<T>(dataDir: string, use: (ledger: Ledger) => T): T {
  const ledger = openLedger(dataDir);
  try {
    return use(ledger);
  } finally {
    ledger.close();
  }
}

function record(
  ledger: Ledger,
  pending: PendingKeep,
  event: 'confirmed' | 'auto-reverted',
  runId: string,
) {
  const target = targetId(ledger, pending.profile);
  const generation = findGeneration(ledger, target, pending.generation);
  const id = generation ? generationId(ledger, target, generation) : null;
  if (id === null) return;
  ledger.db
    .prepare('INSERT INTO activations (generation_id, run_id, event, at) VALUES (?, ?, ?, ?)')
    .run(id, runId, event, new Date().toISOString());
}

/**
 * The trial as the ledger keeps it, watched by this process (it replaces the profile's last on
 * this machine; another machine sharing the data folder keeps its own trial of the same path).
 */
function saveTrial(
  dataDir: string,
  pending: PendingKeep,
  owner: { watcher: string; shell: TrialShell | null },
): void {
  const me = thisProcess();
  inLedger(dataDir, (ledger) =>
    ledger.db.transaction(() => {
      // One from before machines were recorded is this machine's last trial too.
      ledger.db
        .prepare("DELETE FROM keep_trials WHERE machine = '' AND profile = ?")
        .run(pending.profile);
      ledger.db
        .prepare(
          `INSERT OR REPLACE INTO keep_trials (machine, profile, run_id, generation, revert_to,
             revert_action, revert_specialisation, deadline, pid, boot_id, process_started,
             watcher, shell)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          machineId(),
          pending.profile,
          pending.runId,
          pending.generation,
          pending.revertTo,
          pending.revertAction,
          pending.revertSpecialisation ?? null,
          pending.deadline,
          me.pid,
          me.boot,
          me.started,
          owner.watcher,
          owner.shell,
        );
    })(),
  );
}

/**
 * A trial the machine restarted during, into the generation before: the keep guard had made it
 * the boot default, and with the restart it is gone, so nothing else tells the owner why the
 * profile's generation is not the one that runs.
 */
function restartedSentence(pending: PendingKeep): string {
  const { generation: trial, revertTo: back } = pending;
  return `Generation ${trial} was still on trial when the machine restarted, so it started generation ${back}, which the keep guard had made the boot default; the profile still points at generation ${trial}: switch to generation ${back} in Generations to stay on it, or to ${trial} to try it again.`;
}

/** How long "Keep it" waits for the guard to make the kept generation the boot default again. */
const KEPT_BOOT_MENU_MS = 90_000;

function keptBootMenuSentence(pending: PendingKeep, code: string): string {
  const { generation: kept, revertTo: back, profile } = pending;
  return `Generation ${kept} is kept and runs, but the boot menu still starts generation ${back}: the keep guard could not make generation ${kept} its default again (switch-to-configuration boot exited ${code}). Run \`sudo ${profile}-${kept}-link/bin/switch-to-configuration boot\` to make it the default.`;
}

/** Drops this trial, once answered or its revert is over, unless a newer trial replaced it. */
function dropSettled(ledger: Ledger, pending: PendingKeep): void {
  ledger.db
    .prepare(
      `DELETE FROM keep_trials
       WHERE machine = ? AND profile = ? AND run_id = ? AND generation = ?`,
    )
    .run(machineId(), pending.profile, pending.runId, pending.generation);
}

/**
 * This machine's trials whose watching process is gone, made this process's in one transaction:
 * each keeps its deadline unless that is sooner than `seconds` from now, so whoever opens
 * Nixstrap again has the time to answer. Another machine's trial in a shared data folder is
 * never taken: its pid means nothing here, and its revert would roll back this machine.
 * A trial from before machines were recorded ('') is taken as this machine's. Gone includes a
 * pid another process holds since a crash and a reboot: the very case a trial is kept for.
 */
function claimOrphans(
  dataDir: string,
  seconds: number,
  owner: { watcher: string; shell: TrialShell | null },
): (PendingKeep & { restarted: boolean })[] {
  const here = machineId();
  const me = thisProcess();
  return inLedger(dataDir, (ledger) =>
    ledger.db.transaction(() => {
      const floor = new Date(Date.now() + seconds * 1000).toISOString();
      const claim = ledger.db.prepare(
        `UPDATE keep_trials SET machine = ?, pid = ?, boot_id = ?, process_started = ?,
           deadline = ?, watcher = ?, shell = ? WHERE machine = ? AND profile = ?`,
      );
      return machineTrials(ledger)
        .filter((row) => !watcherAlive(row))
        .map((row): PendingKeep & { restarted: boolean } => {
          const deadline = row.deadline > floor ? row.deadline : floor;
          claim.run(
            here,
            me.pid,
            me.boot,
            me.started,
            deadline,
            owner.watcher,
            owner.shell,
            row.machine,
            row.profile,
          );
          return {
            ...pendingOf(row),
            deadline,
            restarted: row.boot !== null && me.boot !== null && row.boot !== me.boot,
          };
        });
    })(),
  );
}

/**
 * "Keep this configuration?": after a switch, rollback or try from the app, the new generation is
 * on trial; without a confirmation before the deadline it rolls back by itself, through the
 * runner like any rollback (deploy-rs's magic rollback, on the local machine). The timer
 * lives in the watch that owns the run (one per shell), and the trial in the ledger with that
 * watch and its process, so that every Nixstrap on the data folder lists it and can keep it,
 * and when that process dies the next Nixstrap to start takes it up (`adopt`); each outcome is
 * recorded as an activation.
 */
export function createKeepWatch(options: KeepWatchOptions) {
  const trials = new Map<string, { pending: PendingKeep; timer: NodeJS.Timeout }>();
  /** This watch, as the ledger names the owner of its trials. */
  const watcher = randomUUID();
  const owner = { watcher, shell: options.shell ?? null };

  let disposed = false;

  /**
   * "Keep it", from this watch or any other: the trial ends and the generation stays. Null when
   * nothing is on trial, when its deadline passed (its revert is under way), or when the watch
   * that asked died (the guard goes back, and the next Nixstrap to start asks again). Checked
   * and dropped in one write transaction, so the owner's look at its deadline comes before or
   * after it, never between.
   */
  function settleKept(profile: string): PendingKeep | null {
    const kept = inLedger(options.dataDir, (ledger) =>
      ledger.db
        .transaction((): PendingKeep | null => {
          const row = machineTrial(ledger, profile);
          if (!row || Date.parse(row.deadline) <= Date.now()) return null;
          if (row.watcher !== watcher && !watcherAlive(row)) return null;
          const pending = pendingOf(row);
          dropSettled(ledger, pending);
          record(ledger, pending, 'confirmed', pending.runId);
          return pending;
        })
        .immediate(),
    );
    if (!kept) return null;
    if (trials.get(profile)?.pending.runId === kept.runId) unwatch(profile);
    endGuard(options.dataDir, kept.runId, 'keep');
    return kept;
  }

  function confirm(profile: string): boolean {
    return settleKept(profile) !== null;
  }

  /**
   * Whether this watch's trial still waits in the ledger as it was armed: "Keep it" from another
   * Nixstrap drops it there. A ledger that cannot be read leaves the trial standing, so the
   * configuration nobody was seen to keep goes back.
   */
  function stillOnTrial(pending: PendingKeep): boolean {
    try {
      return inLedger(options.dataDir, (ledger) =>
        ledger.db
          .transaction(() => {
            const row = machineTrial(ledger, pending.profile);
            return (
              row?.watcher === watcher &&
              row.runId === pending.runId &&
              row.generation === pending.generation
            );
          })
          .immediate(),
      );
    } catch {
      return true;
    }
  }

  /**
   * Reverts unless another switch since made it moot. A run that holds the lock at the deadline
   * (a build started before anyone answered) is waited for, and the plan made again after it:
   * giving up would leave the machine on a configuration nobody kept. False when this watch was
   * disposed while waiting, so the ledger keeps the trial for the next Nixstrap to take up.
   */
  async function revert(pending: PendingKeep): Promise<boolean> {
    for (;;) {
      const ledger = openLedger(options.dataDir);
      let plan: Awaited<ReturnType<typeof planRollback>>;
      try {
        plan = await planRollback(ledger, {
          profile: pending.profile,
          runDir: options.runDir ?? null,
          to: pending.revertTo,
          // Undoing a try until the next reboot tries the generation that ran before in the same
          // way: a switch would make it the profile's and the boot default, which it may not
          // have been (after a Boot into, what ran was not the boot default).
          action: pending.revertAction,
          specialisation: pending.revertSpecialisation ?? null,
        });
      } finally {
        ledger.close();
      }
      // Another switch since (from the command line, say) ended the trial: nothing to undo.
      if (plan.from?.number !== pending.generation) {
        endGuard(options.dataDir, pending.runId, 'cancel');
        return true;
      }
      // Where reverting would wait for a sudo password, the guard started with the switch (root
      // since then) reverts, and the run follows it; otherwise this process reverts, and the
      // guard holds off meanwhile, there in case this process dies in the middle.
      const guarded = guardWatching(options.dataDir, options.runDir ?? '/run', pending.runId);
      const byGuard = guarded && rootNeedsPassword(readPlatform(), options.env ?? process.env);
      let run: RebuildRun;
      try {
        const revertOptions = {
          dataDir: options.dataDir,
          plan,
          confirm: 'yes' as const,
          runDir: options.runDir ?? null,
          keepWatcher: watcher,
          ...(options.env ? { env: options.env } : {}),
        };
        if (byGuard) {
          run = await startGuardedRevert({ ...revertOptions, trialRunId: pending.runId });
        } else {
          if (guarded) {
            const allowance = new Date(Date.now() + OWN_REVERT_ALLOWANCE_MS).toISOString();
            setGuardDeadline(options.dataDir, pending.runId, allowance);
          }
          run = await startRollback(revertOptions);
        }
      } catch (error) {
        if (!busy(error)) throw error;
        // Only the lock file is looked at while the other run lasts; the plan is made again
        // once it is over, since that run may have moved the profile.
        do {
          await new Promise((resolve) => setTimeout(resolve, BUSY_RETRY_MS));
          if (disposed) return false;
        } while (runLockHeld(options.dataDir));
        continue;
      }
      options.onRevert?.(run, pending, byGuard);
      const result = await run.done;
      if (result.status === 'succeeded') {
        inLedger(options.dataDir, (ledger) => record(ledger, pending, 'auto-reverted', run.id));
        endGuard(options.dataDir, pending.runId, 'cancel');
      }
      return true;
    }
  }

  /**
   * The number of the profile's generation in use; undefined when the profile cannot be read.
   * A trial whose generation is no longer the one in use (its watcher died after its revert
   * reached the running system, or while the machine was switched elsewhere) is over: asking
   * "Keep it?" about a configuration not in use would only confuse. When the profile cannot be
   * read, the trial stands and its revert says what is wrong.
   */
  async function numberInUse(pending: PendingKeep): Promise<number | null | undefined> {
    let ledger: Ledger | null = null;
    try {
      ledger = openLedger(options.dataDir);
      const report = await reconcileProfile(ledger, {
        profile: pending.profile,
        runDir: options.runDir ?? null,
      });
      return generationInUse(listGenerations(ledger, report.targetId))?.number ?? null;
    } catch {
      return undefined;
    } finally {
      ledger?.close();
    }
  }

  /**
   * A revert the guard made while no Nixstrap ran, recorded as a run and told like this
   * process's own. Another run holding the lock only costs the record: the machine is back.
   */
  async function recordedByGuard(pending: PendingKeep): Promise<void> {
    let run: RebuildRun | null;
    try {
      run = await recordGuardRevert({
        dataDir: options.dataDir,
        runDir: options.runDir ?? null,
        ...(options.env ? { env: options.env } : {}),
        pending,
      });
    } catch (error) {
      if (busy(error)) return;
      throw error;
    }
    if (!run) return;
    options.onRevert?.(run, pending, true);
    const result = await run.done;
    if (result.status === 'succeeded') {
      inLedger(options.dataDir, (ledger) => record(ledger, pending, 'auto-reverted', run.id));
    }
  }

  function watch(pending: PendingKeep): void {
    const timer = setTimeout(
      () => {
        // Past the deadline "Keep it" is no longer offered, but the ledger keeps the trial until
        // the revert is over: if this process dies in the middle (the revert's own activation
        // can take the app down), the next Nixstrap takes the trial up and reverts again.
        trials.delete(pending.profile);
        // Kept from another Nixstrap meanwhile: nothing to undo, and the row is gone already.
        if (!stillOnTrial(pending)) return;
        revert(pending)
          .catch((error: unknown) => {
            options.onRevertFailed?.(error, pending);
            return true;
          })
          .then((settled) => {
            if (settled) inLedger(options.dataDir, (ledger) => dropSettled(ledger, pending));
          })
          // A row left behind (a ledger that cannot be opened now, a death just before this) is
          // harmless: the Nixstrap that takes it up finds the running system already back (or
          // moved on) and drops it without a revert.
          .catch(() => {});
      },
      Math.max(0, Date.parse(pending.deadline) - Date.now()),
    );
    trials.set(pending.profile, { pending, timer });
  }

  /** Stops this process's timer for a profile; the ledger's row is the caller's to change. */
  function unwatch(profile: string): { pending: PendingKeep } | undefined {
    const trial = trials.get(profile);
    if (trial) clearTimeout(trial.timer);
    trials.delete(profile);
    return trial;
  }

  return {
    /** Puts a generation on trial; a second trial of the same profile replaces the first. */
    arm(trial: KeepTrial): PendingKeep {
      unwatch(trial.profile);
      const seconds = trial.seconds ?? DEFAULT_KEEP_SECONDS;
      const pending: PendingKeep = {
        profile: trial.profile,
        runId: trial.runId,
        generation: trial.generation,
        revertTo: trial.revertTo,
        revertAction: trial.revertAction ?? 'switch',
        ...(trial.revertSpecialisation ? { revertSpecialisation: trial.revertSpecialisation } : {}),
        deadline: new Date(Date.now() + seconds * 1000).toISOString(),
      };
      watch(pending);
      saveTrial(options.dataDir, pending, owner);
      setGuardDeadline(options.dataDir, pending.runId, pending.deadline);
      return pending;
    },

    /**
     * Takes up the trials of Nixstrap processes that died before their deadline or during
     * their revert (the switch may have taken the app down): each is watched here from now on,
     * with at least `seconds` left to answer. A revert cut short reverts again; a trial whose
     * generation is no longer in use is settled instead.
     */
    async adopt(seconds: number = DEFAULT_KEEP_SECONDS): Promise<PendingKeep[]> {
      pruneGuards(options.dataDir);
      const adopted: PendingKeep[] = [];
      for (const { restarted, ...pending } of claimOrphans(options.dataDir, seconds, owner)) {
        const inUse = await numberInUse(pending);
        if (inUse === undefined || inUse === pending.generation) {
          watch(pending);
          setGuardDeadline(options.dataDir, pending.runId, pending.deadline);
          adopted.push(pending);
        } else {
          inLedger(options.dataDir, (ledger) => dropSettled(ledger, pending));
          if (readGuardOutcome(options.runDir ?? '/run', pending.runId)?.word === 'reverted') {
            await recordedByGuard(pending);
          } else {
            endGuard(options.dataDir, pending.runId, 'cancel');
            if (restarted && inUse === pending.revertTo) {
              tellLater(options.dataDir, restartedSentence(pending));
            }
          }
        }
      }
      return adopted;
    },

    confirm,

    /**
     * "Keep it", then, where the keep guard had made the generation before the boot default
     * meanwhile, waits for it to give the menu back to the kept one: when it could not, a
     * notice says the menu still starts the one before, and how to mend it. False when nothing
     * was on trial.
     */
    async keep(profile: string): Promise<boolean> {
      const runDir = options.runDir ?? '/run';
      const asked = inLedger(options.dataDir, (ledger) => machineTrial(ledger, profile));
      // Read before the keep: the guard removes its mark once the menu starts the kept one.
      const bootsBack = asked !== null && guardBootsBack(runDir, asked.runId);
      const pending = settleKept(profile);
      if (!pending) return false;
      if (!bootsBack || pending.runId !== asked?.runId) return true;
      const until = Date.now() + KEPT_BOOT_MENU_MS;
      let outcome = readGuardOutcome(runDir, pending.runId);
      while (!outcome && Date.now() < until) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        outcome = readGuardOutcome(runDir, pending.runId);
      }
      const failed = /^kept boot-menu (\d+)$/.exec(outcome?.line ?? '');
      if (failed) tellLater(options.dataDir, keptBootMenuSentence(pending, failed[1] as string));
      return true;
    },

    /** Drops a trial without recording anything (a new run replaces it). */
    cancel(profile: string): void {
      const trial = unwatch(profile);
      if (!trial) return;
      inLedger(options.dataDir, (ledger) => dropSettled(ledger, trial.pending));
      endGuard(options.dataDir, trial.pending.runId, 'cancel');
    },

    /**
     * The trials waiting for an answer on this machine: this watch's, and those of other
     * Nixstraps running on the data folder (`elsewhere`), which "Keep it" here keeps too. One of
     * this watch's that another kept meanwhile is over here too.
     */
    pending(): PendingKeep[] {
      const runDir = options.runDir ?? '/run';
      let rows: TrialRow[] | null;
      try {
        rows = inLedger(options.dataDir, machineTrials);
      } catch {
        rows = null;
      }
      const own = [...trials.values()]
        .map(({ pending }) => pending)
        .filter((pending) => {
          if (rows === null) return true;
          const row = rows.find((r) => r.profile === pending.profile);
          if (row?.watcher === watcher && row.runId === pending.runId) return true;
          unwatch(pending.profile);
          return false;
        });
      const others = (rows ?? [])
        .filter((row) => heldElsewhere(row, watcher) && Date.parse(row.deadline) > Date.now())
        .map(
          (row): PendingKeep => ({
            ...pendingOf(row),
            elsewhere: { pid: row.pid, shell: row.shell },
          }),
        );
      return [...own, ...others].map((pending) => {
        if (!guardWatching(options.dataDir, runDir, pending.runId)) return pending;
        const guarded = { ...pending, guarded: true as const };
        return guardBootsBack(runDir, pending.runId)
          ? { ...guarded, bootsBack: true as const }
          : guarded;
      });
    },

    /**
     * `pending`, for a shell that asks again and again: a trial whose owner died since this
     * watch started is taken up first (`adopt`, as at start), so the question stays on screen
     * and the revert stays this machine's, not left to the keep guard alone.
     */
    async poll(seconds: number = DEFAULT_KEEP_SECONDS): Promise<PendingKeep[]> {
      let orphaned = false;
      try {
        orphaned = inLedger(options.dataDir, machineTrials).some((row) => !watcherAlive(row));
      } catch {
        // An unreadable ledger has nothing to take up; `pending` says what it can.
      }
      if (orphaned && !disposed) await this.adopt(seconds);
      return this.pending();
    },

    /** This watch as the ledger names it: runs it starts may move a profile it holds on trial. */
    id: watcher,

    dispose(): void {
      disposed = true;
      for (const trial of trials.values()) clearTimeout(trial.timer);
      trials.clear();
    },
  };
}

export type KeepWatch = ReturnType<typeof createKeepWatch>;
