import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { HeldElsewhere } from '../../../common/failure';
import { NixstrapFailure } from '../../../common/failure';
import type { Phase, RunSummary } from '../../../common/rebuild';
import { openLedger } from '../ledger/database';
import { createRunStore, type RunStore } from '../ledger/runs';
import { machineId } from '../platform/machine-id';
import { bootId, processStart } from '../platform/process-start';
import {
  answerFile,
  CANCEL_SIGNAL,
  type CancelAnswer,
  CHANGING_PHASES,
  requestFile,
} from './cancel-requests';
import { runLockHolder } from './lock';

/** How long the owner gets to answer, and then to end the run (Nix: SIGINT, SIGTERM, SIGKILL). */
const ANSWER_MS = 10_000;
const END_MS = 30_000;
const POLL_MS = 50;

const CHANGING_WORDS: Partial<Record<Phase, string>> = {
  'set-profile': 'it is setting the profile to the new configuration',
  activate: 'it is activating the new configuration',
  'delete-links': 'it is deleting generations',
  'boot-menu': 'it is making the boot menu again',
};

function refused(message: string, hint: string): NixstrapFailure {
  return new NixstrapFailure('CANCEL_REFUSED', message, hint);
}

const WHERE_STARTED = 'Cancel it in the terminal or Nixstrap window that started it.';

/** Whose process it is, for a sentence: its user's name where /etc/passwd tells it. */
function ownerOf(pid: number): string {
  try {
    const uid = fs.statSync(`/proc/${pid}`).uid;
    const entry = fs
      .readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((line) => line.split(':')[2] === String(uid));
    return entry?.split(':')[0] ?? `uid ${uid}`;
  } catch {
    return 'another user';
  }
}

function notYours(runId: string, pid: number, dataDir: string): NixstrapFailure {
  return refused(
    `Run ${runId} belongs to process ${pid} of ${ownerOf(pid)}, and only that user may cancel it.`,
    `Cancel it as that user (\`sudo nixstrap cancel ${runId} --data-dir ${dataDir}\`), or where it was started.`,
  );
}

function changing(runId: string, phase: Phase): NixstrapFailure {
  return refused(
    `Run ${runId} is past the start of activation (${CHANGING_WORDS[phase]}): stopping it now could leave this machine partly changed, so it was not cancelled.`,
    `Let it finish (\`nixstrap log ${runId}\` shows it so far), then roll back if you do not want it.`,
  );
}

function changingPhase(store: RunStore, runId: string): Phase | null {
  return store.phases(runId).findLast((p) => CHANGING_PHASES.includes(p.phase))?.phase ?? null;
}

/**
 * The process of another Nixstrap on this machine, in this boot, that holds the data folder's
 * lock for `runId` and can be asked to cancel it; a failure saying why not otherwise. A pid
 * recorded by another machine sharing the folder, or before a restart, is never signalled.
 */
function askableOwner(store: RunStore, dataDir: string, runId: string): number {
  store.markInterrupted();
  const run = store.get(runId);
  if (!run) {
    throw new NixstrapFailure(
      'RUN_NOT_FOUND',
      `There is no recorded run ${runId} in this data folder.`,
      '`nixstrap runs` lists the recorded runs and their ids.',
    );
  }
  if (run.status !== 'running') {
    throw new NixstrapFailure(
      'RUN_NOT_RUNNING',
      `Run ${runId} is not running: it ended ${run.status}.`,
      `\`nixstrap log ${runId}\` shows how it ended.`,
    );
  }
  const owner = store.process(runId);
  const here = machineId();
  if (!owner?.pid || !owner.machine || !here) {
    throw refused(
      `Nixstrap cannot tell which machine runs run ${runId}, so it cannot cancel it from here.`,
      WHERE_STARTED,
    );
  }
  if (owner.machine !== here) {
    throw refused(
      `Run ${runId} runs on another machine that shares this data folder, so it cannot be cancelled from here.`,
      'Cancel it on that machine (`nixstrap cancel` there, or where it was started).',
    );
  }
  // markInterrupted has ruled out a dead process; without its boot and start time recorded (no
  // /proc), the pid may be another process's now.
  if (!owner.boot || owner.boot !== bootId() || !owner.started) {
    throw refused(
      `Nixstrap cannot tell that process ${owner.pid} is still the one running run ${runId}, so it will not signal it.`,
      WHERE_STARTED,
    );
  }
  const lock = runLockHolder(dataDir);
  if (lock?.runId !== runId || lock.pid !== owner.pid) {
    throw refused(
      `Run ${runId} is starting or ending, so it cannot be cancelled just now.`,
      'Try again in a moment.',
    );
  }
  if (!lock.answersCancel) {
    throw refused(
      `Process ${owner.pid} runs an older Nixstrap, which cannot be asked to cancel run ${runId}.`,
      WHERE_STARTED,
    );
  }
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EPERM') {
      throw notYours(runId, owner.pid, dataDir);
    }
  }
  const phase = changingPhase(store, runId);
  if (phase) throw changing(runId, phase);
  return owner.pid;
}

function withStore<T>(dataDir: string, use: (store: RunStore) => T): T {
  const ledger = openLedger(dataDir);
  try {
    return use(createRunStore(ledger));
  } finally {
    ledger.close();
  }
}

/**
 * The run holding the data folder's lock when another Nixstrap on this machine runs it and can
 * be asked to cancel it, for a refused start to offer that; null otherwise.
 */
export function cancellableHolder(dataDir: string): HeldElsewhere | null {
  const runId = runLockHolder(dataDir)?.runId;
  if (!runId) return null;
  try {
    const pid = withStore(dataDir, (store) => askableOwner(store, dataDir, runId));
    return { runId, pid };
  } catch {
    return null;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function readAnswer(file: string): CancelAnswer | null {
  try {
    const { answer } = JSON.parse(fs.readFileSync(file, 'utf8')) as { answer: CancelAnswer };
    fs.rmSync(file, { force: true });
    return answer;
  } catch {
    return null;
  }
}

/**
 * Cancels a run another Nixstrap process on this machine owns (its terminal gone, its window
 * elsewhere): that process is asked, and ends the run as its own Cancel does, so Nix is stopped
 * the same way, the profile stays, and the run is recorded `cancelled` with its log. Resolves
 * with the run as it ended; refuses (CANCEL_REFUSED) what it must not or cannot cancel.
 */
export async function cancelRunElsewhere(dataDir: string, runId: string): Promise<RunSummary> {
  const ledger = openLedger(dataDir);
  try {
    const store = createRunStore(ledger);
    const pid = askableOwner(store, dataDir, runId);
    const started = store.process(runId)?.started;
    const dir = path.join(dataDir, 'runs', runId);
    const token = crypto.randomBytes(8).toString('hex');
    try {
      fs.writeFileSync(requestFile(dir, token), JSON.stringify({ pid: process.pid }));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EACCES' || code === 'EPERM') throw notYours(runId, pid, dataDir);
      throw error;
    }
    // Over once recorded so and its lock is let go, so that a start right after is not refused.
    const ended = () => {
      const run = store.get(runId);
      const over = run && run.status !== 'running' && runLockHolder(dataDir)?.runId !== runId;
      return over ? run : null;
    };
    const until = async <T>(ms: number, look: () => T | null): Promise<T | null> => {
      for (const stop = Date.now() + ms; Date.now() < stop; await sleep(POLL_MS)) {
        const seen = look();
        if (seen !== null) return seen;
      }
      return look();
    };
    // The pid checked once more just before the signal, which would end an unrelated process:
    // an owner gone meanwhile left its run interrupted, nothing to cancel.
    if (processStart(pid) !== started) {
      fs.rmSync(requestFile(dir, token), { force: true });
      store.markInterrupted();
      return store.get(runId) as RunSummary;
    }
    process.kill(pid, CANCEL_SIGNAL);
    const answer = await until(
      ANSWER_MS,
      () => readAnswer(answerFile(dir, token)) ?? (ended() ? ('ended' as const) : null),
    );
    if (answer === null) {
      fs.rmSync(requestFile(dir, token), { force: true });
      throw refused(
        `Process ${pid} did not answer the request to cancel run ${runId} within ${Math.round(ANSWER_MS / 1000)} seconds.`,
        `It may be busy or stuck: try again, or stop that Nixstrap (\`kill ${pid}\`); the run is then recorded as interrupted.`,
      );
    }
    if (answer === 'changing') throw changing(runId, changingPhase(store, runId) ?? 'activate');
    const run = await until(END_MS, ended);
    if (run) return run;
    throw new NixstrapFailure(
      'TIMED_OUT',
      `Run ${runId} is cancelling but has not stopped within ${Math.round(END_MS / 1000)} seconds.`,
      '`nixstrap runs` shows when it has: its command gets SIGTERM, then SIGKILL, if it lingers.',
    );
  } finally {
    ledger.close();
  }
}
