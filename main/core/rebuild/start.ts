import path from 'node:path';
import { NixstrapFailure } from '../../../common/failure';
import { createRunStore, type Ledger, makeDataDir, openLedger } from '../ledger';
import { refuseTrialElsewhere } from '../ledger/keep-trials';
import { makeDirsSync } from '../platform';
import { cancellableHolder } from './cancel-elsewhere';
import { answerCancelRequests, listenForCancelRequests } from './cancel-requests';
import { acquireRunLock, type RunLock } from './lock';
import { RunRecording, TERMINAL_LOG } from './recording';
import { ownUnfinishedRebuild, register } from './registry';
import { RecordedRun } from './session';
import type { RebuildRun, RecordedRunSpec, RunOutcome, RunSession } from './types';

/** Whether a run moves the profile, what runs or the boot menu: not a build, which only builds. */
function movesSystem(spec: RecordedRunSpec): boolean {
  return spec.kind !== 'rebuild' || (spec.action !== 'build' && spec.action !== 'dry-build');
}

/**
 * Starts a recorded run: takes the data dir's lock (REBUILD_BUSY when another run holds it),
 * refuses one that would move a profile another Nixstrap's trial holds (TRIAL_PENDING), marks
 * runs a dead process left `running` as interrupted, writes the ledger row, and runs `body`
 * with a session whose steps share this run's terminal, log and events.
 */
export async function startRecordedRun(
  spec: RecordedRunSpec,
  body: (session: RunSession) => Promise<RunOutcome>,
): Promise<RebuildRun> {
  makeDataDir(spec.dataDir);
  listenForCancelRequests();
  const lock = takeRunLock(spec.dataDir);
  let ledger: Ledger | null = null;
  try {
    ledger = openLedger(spec.dataDir);
    if (spec.profile && movesSystem(spec)) {
      refuseTrialElsewhere(ledger, spec.profile, spec.keepWatcher ?? null);
    }
    const store = createRunStore(ledger);
    store.markInterrupted();
    const { id } = store.start({
      kind: spec.kind,
      action: spec.action,
      argv: spec.argv,
      host: spec.host ?? null,
      repo: spec.repo ?? null,
      commit: spec.commit ?? null,
      dirty: spec.dirty ?? null,
      subject: spec.subject ?? null,
      branch: spec.branch ?? null,
      profile: spec.profile ?? null,
      answers: spec.answers,
      fromGeneration: spec.fromGeneration ?? null,
    });
    lock.claim(id);
    const dir = path.join(spec.dataDir, 'runs', id);
    makeDirsSync(dir);
    store.record(id, { logPath: path.join(dir, TERMINAL_LOG) });
    const run = new RecordedRun(id, spec, ledger, store, lock, new RunRecording(dir), body);
    register(spec.dataDir, run);
    answerCancelRequests(run);
    return run;
  } catch (error) {
    ledger?.close();
    lock.release();
    throw error;
  }
}

/**
 * The data folder's run lock. When this same Nixstrap holds it for a rebuild, the refusal names
 * that run: the page that started it may be gone (a closed tab, another browser) while the run
 * waits for a go-ahead nobody else can give, so the page asking can show it instead. When
 * another Nixstrap on this machine holds it, the refusal offers to ask that one to cancel it.
 */
function takeRunLock(dataDir: string): RunLock {
  try {
    return acquireRunLock(dataDir);
  } catch (error) {
    if (!(error instanceof NixstrapFailure) || error.error.code !== 'REBUILD_BUSY') throw error;
    const busyRun = ownUnfinishedRebuild(dataDir);
    if (!busyRun) throw elsewhereRefusal(dataDir, error);
    throw new NixstrapFailure(
      'REBUILD_BUSY',
      `This Nixstrap is already running a rebuild (${busyRun.action} of ${busyRun.host}, run ${busyRun.runId}).`,
      'One rebuild runs at a time: on Build and switch, Show that run follows it, to answer or cancel it.',
      { busyRun },
    );
  }
}

function elsewhereRefusal(dataDir: string, refusal: NixstrapFailure): NixstrapFailure {
  const heldElsewhere = cancellableHolder(dataDir);
  if (!heldElsewhere) return refusal;
  const { runId, pid } = heldElsewhere;
  return new NixstrapFailure(
    'REBUILD_BUSY',
    `Another rebuild (run ${runId}, process ${pid}) is running with this data folder.`,
    `Wait for it to finish, or cancel run ${runId} from here (Cancel that run) when the terminal or window that started it is gone.`,
    { heldElsewhere },
  );
}
