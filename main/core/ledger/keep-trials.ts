import { NixstrapFailure } from '../../../common/failure';
import type { PendingKeep } from '../../../common/generations';
import { machineId } from '../platform/machine-id';
import { processAlive } from '../platform/process-alive';
import { type RecordedProcess, recordedProcessAlive } from '../platform/process-start';
import type { Ledger } from './database';

/** The shell whose keep watch asks "Keep this configuration?", as a person knows it. */
export type TrialShell = NonNullable<NonNullable<PendingKeep['elsewhere']>['shell']>;

/**
 * A trial as the ledger keeps it, with who watches it: the keep watch (one per shell's API) and
 * its process. Null watcher and shell: a trial written before they were recorded.
 */
export type TrialRow = PendingKeep &
  RecordedProcess & { machine: string; watcher: string | null; shell: TrialShell | null };

const COLUMNS = `machine, profile, run_id AS runId, generation, revert_to AS revertTo,
  revert_action AS revertAction, revert_specialisation AS revertSpecialisation, deadline,
  pid, boot_id AS boot, process_started AS started, watcher, shell`;

function fromRow(row: TrialRow & { revertSpecialisation: string | null }): TrialRow {
  const { revertSpecialisation, ...rest } = row;
  return revertSpecialisation ? { ...rest, revertSpecialisation } : rest;
}

/**
 * This machine's trials, every watcher's; one from before machines were recorded ('') counts as
 * this machine's, as its keep watch takes it up.
 */
export function machineTrials(ledger: Ledger): TrialRow[] {
  const rows = ledger.db
    .prepare(`SELECT ${COLUMNS} FROM keep_trials WHERE machine IN (?, '')`)
    .all(machineId()) as (TrialRow & { revertSpecialisation: string | null })[];
  return rows.map(fromRow);
}

/** The trial of a profile on this machine, if any. */
export function machineTrial(ledger: Ledger, profile: string): TrialRow | null {
  return machineTrials(ledger).find((t) => t.profile === profile) ?? null;
}

/** The trial as every shell shows it, without who watches it. */
export function pendingOf(row: TrialRow): PendingKeep {
  const { machine: _m, watcher: _w, shell: _s, pid: _p, boot: _b, started: _st, ...pending } = row;
  return pending;
}

/** Whether the process watching the trial still runs (a pid reused since is not it). */
export function watcherAlive(row: TrialRow): boolean {
  return recordedProcessAlive(row, processAlive);
}

/**
 * A trial another keep watch holds and still answers for: its process runs. A trial whose
 * process died is no one's to refuse for: the keep guard goes back by itself, and the next
 * Nixstrap to start takes it up.
 */
export function heldElsewhere(row: TrialRow, watcher: string | null): boolean {
  return row.watcher !== watcher && watcherAlive(row);
}

function shellName(shell: TrialShell | null): string {
  if (shell === 'electron') return 'the Nixstrap app';
  if (shell === 'browser') return '`nixstrap serve`';
  return 'another Nixstrap';
}

function clock(iso: string): string {
  return `${iso.slice(11, 19)} UTC`;
}

/**
 * Refuses a run that would move the profile or what runs while another keep watch's trial of it
 * waits for "Keep this configuration?": going ahead would undo the trial behind the back of the
 * one asking, or be undone by its revert. The watch that owns the trial (`watcher`) goes ahead.
 */
export function refuseTrialElsewhere(
  ledger: Ledger,
  profile: string,
  watcher: string | null,
): void {
  const trial = machineTrial(ledger, profile);
  if (!trial || !heldElsewhere(trial, watcher)) return;
  const who = `${shellName(trial.shell)} (process ${trial.pid})`;
  const { generation, revertTo } = trial;
  const due = Date.parse(trial.deadline) > Date.now();
  const message = due
    ? `Generation ${generation} is on trial: ${who} asks "Keep this configuration?" until ${clock(trial.deadline)}, and goes back to generation ${revertTo} unless it is kept, so nothing else may change the system meanwhile.`
    : `Generation ${generation} was not kept in time: ${who} is going back to generation ${revertTo}, so nothing else may change the system meanwhile.`;
  const hint = due
    ? `Answer it first: Keep it on the Generations screen of any Nixstrap on this machine, or let it go back at ${clock(trial.deadline)}; then try again.`
    : 'Try again once it is back (Generations shows the run that goes back).';
  throw new NixstrapFailure('TRIAL_PENDING', message, hint);
}
