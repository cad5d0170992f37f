/**
 * The rebuild engine's public face. Shells (API, CLI) start runs and watch them here; the
 * rollback reuses `startRecordedRun` so its steps share the terminal, the log and the lock.
 */
import type { RunSummary } from '../../../common';
import { NixstrapFailure } from '../../../common';
import type { RebuildRun, RecordedRunSpec, RunOutcome, RunSession, StartRunOptions } from './types';

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

function notBuilt(what: string): never {
  throw new NixstrapFailure(
    'NOT_YET_AVAILABLE',
    `${what} is not available yet in this version of Nixstrap.`,
    'Run `sudo nixos-rebuild switch --flake DIR#HOST` in a terminal for now.',
  );
}

/**
 * Starts a rebuild: build, validate, what will change, confirm, set the profile, activate.
 * Rejects with REBUILD_BUSY while another run holds the data dir's lock.
 */
export async function startRun(_options: StartRunOptions): Promise<RebuildRun> {
  return notBuilt('Running the rebuild');
}

/** Starts a recorded run whose steps `body` drives (the rollback uses this). */
export async function startRecordedRun(
  _spec: RecordedRunSpec,
  _body: (session: RunSession) => Promise<RunOutcome>,
): Promise<RebuildRun> {
  return notBuilt('Recorded runs');
}

/** A run of this process, or a finished one replayed from its files on disk; null when unknown. */
export function getRun(_dataDir: string, _id: string): RebuildRun | null {
  return notBuilt('Looking up a run');
}

/** The recorded runs, newest first; runs left `running` by a dead process are marked `interrupted`. */
export function listRuns(_dataDir: string): RunSummary[] {
  return notBuilt('The list of runs');
}

/** A run's full terminal log as the user saw it. Throws RUN_NOT_FOUND for an unknown id. */
export function readLog(_dataDir: string, _id: string): string {
  return notBuilt('Run logs');
}
