import path from 'node:path';
import { type BusyRun, NixstrapFailure } from '../../../common/failure';
import type { Progress, RunEvent, RunSummary } from '../../../common/rebuild';
import { REBUILD_ACTIONS, type RebuildAction } from '../../../common/rebuild-actions';
import { openLedger } from '../ledger/database';
import { createRunStore, type RunStore } from '../ledger/runs';
import { interruptedRunExplanation } from './outcome';
import { EMPTY_PROGRESS } from './progress';
import { RunRecording, readRunFile, TERMINAL_LOG } from './recording';
import type { RebuildRun, RunResult } from './types';

/** Finished runs kept in memory for replay; older ones are read back from disk. */
const FINISHED_KEPT = 4;

const live = new Map<string, RebuildRun>();
const finished: string[] = [];
/** Runs of this process not over yet, by data folder and id. */
const unfinished = new Set<string>();
const key = (dataDir: string, id: string) => `${path.resolve(dataDir)}\u0000${id}`;

/** Makes a run of this process findable by getRun until a few newer ones have finished. */
export function register(dataDir: string, run: RebuildRun): void {
  const k = key(dataDir, run.id);
  live.set(k, run);
  unfinished.add(k);
  void run.done.then(() => {
    unfinished.delete(k);
    finished.push(k);
    if (finished.length > FINISHED_KEPT) live.delete(finished.shift() as string);
  });
}

function withStore<T>(dataDir: string, use: (store: RunStore) => T): T {
  const ledger = openLedger(dataDir);
  try {
    return use(createRunStore(ledger));
  } finally {
    ledger.close();
  }
}

function notFound(id: string): NixstrapFailure {
  return new NixstrapFailure(
    'RUN_NOT_FOUND',
    `There is no recorded run ${id} in this data folder.`,
    '`nixstrap runs` lists the recorded runs and their ids.',
  );
}

/** A finished run read back from its folder: the same events and screen, nothing to drive. */
class ReplayedRun implements RebuildRun {
  readonly done: Promise<RunResult>;
  readonly progress: Progress;
  /** The result the recording lacks (a run that died mid-way), told after its events. */
  private readonly ending: { seq: number; result: RunResult } | null;

  constructor(
    readonly id: string,
    private readonly recording: RunRecording,
    summary: RunSummary,
  ) {
    const events: RunEvent[] = [];
    recording.onEvent((event) => events.push(event))();
    const last = events.findLast((e) => e.type === 'result');
    const progress = events.findLast((e) => e.type === 'progress');
    this.progress = progress
      ? {
          builds: progress.builds,
          downloads: progress.downloads,
          bytes: progress.bytes,
          current: progress.current,
        }
      : EMPTY_PROGRESS;
    // A run that died mid-way has no result event: the ledger's row says how it ended.
    const result: RunResult = last ?? {
      type: 'result',
      status: summary.status,
      runId: summary.id,
      exitCode: summary.exitCode,
      generation: summary.generation,
      storePath: summary.storePath,
      ...(summary.status === 'interrupted'
        ? {
            explanation: interruptedRunExplanation(summary),
          }
        : {}),
    };
    // A run another live process still owns has no ending yet to tell.
    this.ending = last || summary.status === 'running' ? null : { seq: events.length, result };
    this.done = Promise.resolve(result);
  }

  /** The recorded events, then the ending they lack, so a watcher learns the run is over. */
  onEvent(listener: (event: RunEvent, seq: number) => void, fromSeq = 0): () => void {
    const stop = this.recording.onEvent(listener, fromSeq);
    if (this.ending && fromSeq <= this.ending.seq) listener(this.ending.result, this.ending.seq);
    return stop;
  }

  onTerminal(listener: (chunk: string, offset: number) => void, fromOffset?: number): () => void {
    return this.recording.onTerminal(listener, fromOffset);
  }

  // The run is over: there is no command to type into, resize, confirm or cancel.
  write(): void {}
  resize(): void {}
  confirm(): void {}
  cancel(): void {}
}

/**
 * The rebuild of this process still running with `dataDir`, as a page needs it to show the run
 * again; null when there is none (the lock is another process's, or a rollback's).
 */
export function ownUnfinishedRebuild(dataDir: string): BusyRun | null {
  const prefix = key(dataDir, '');
  const k = [...unfinished].find((each) => each.startsWith(prefix));
  if (!k) return null;
  const run = withStore(dataDir, (store) => store.get(k.slice(prefix.length)));
  if (run?.kind !== 'rebuild' || !run.repo || !run.host) return null;
  if (!REBUILD_ACTIONS.includes(run.action as RebuildAction)) return null;
  return {
    runId: run.id,
    action: run.action as RebuildAction,
    repo: run.repo,
    host: run.host,
    startedAt: run.startedAt,
  };
}

/** Whether `id` is a run of this process (running, or finished a short while ago). */
export function ownRun(dataDir: string, id: string): boolean {
  return live.has(key(dataDir, id));
}

/** A run of this process, or a finished one replayed from its files on disk; null when unknown. */
export function getRun(dataDir: string, id: string): RebuildRun | null {
  const running = live.get(key(dataDir, id));
  if (running) return running;
  const summary = withStore(dataDir, (store) => {
    store.markInterrupted();
    return store.get(id);
  });
  if (!summary) return null;
  const recording = RunRecording.load(path.join(dataDir, 'runs', id));
  return recording ? new ReplayedRun(id, recording, summary) : null;
}

/**
 * The recorded runs, newest first (the newest `limit`, or all with null); runs left `running` by
 * a dead process are marked `interrupted`.
 */
export function listRuns(dataDir: string, limit?: number | null): RunSummary[] {
  return withStore(dataDir, (store) => {
    store.markInterrupted();
    return store.list(limit);
  });
}

/** How the ledger names runs (time and random hex), so an id read as a folder name stays inside runs/. */
const RUN_ID = /^\d{14}-[0-9a-f]{6}$/;

/**
 * A run's full terminal log as the user saw it (with ANSI). A run the ledger does not know is
 * still read from its folder when that is there (a damaged ledger was moved aside and a new
 * one started); otherwise RUN_NOT_FOUND.
 */
export function readLog(dataDir: string, id: string): string {
  const folderLog = path.join(dataDir, 'runs', id, TERMINAL_LOG);
  const known = withStore(dataDir, (store) =>
    store.get(id) ? (store.logPath(id) ?? folderLog) : null,
  );
  if (known !== null) return readRunFile(known) ?? '';
  const orphan = RUN_ID.test(id) ? readRunFile(folderLog) : null;
  if (orphan === null) throw notFound(id);
  return orphan;
}
