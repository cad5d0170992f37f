import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { NixstrapFailure } from '../../../common';
import { processAlive } from '../platform/process-alive';
import { processStart, recordedProcessAlive } from '../platform/process-start';
import { answeringCancelRequests } from './cancel-requests';

export const LOCK_FILE = 'rebuild.lock';

interface LockOwner {
  pid: number;
  /** The owner's start time (clock ticks after boot), so a reused pid is not mistaken for it. */
  started: string | null;
  /** Null while the run's ledger row is being written. */
  runId: string | null;
  token: string;
  /**
   * The owner answers cancel requests from other processes (cancel-requests.ts). A lock of an
   * older Nixstrap lacks it: the signal that asks would kill that process instead.
   */
  answersCancel?: boolean;
}

export interface RunLock {
  /** Names the run holding the lock, for the message another start gets. */
  claim(runId: string): void;
  release(): void;
}

function alive(owner: LockOwner): boolean {
  return recordedProcessAlive({ pid: owner.pid, boot: null, started: owner.started }, processAlive);
}

function readOwner(file: string): LockOwner | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as LockOwner;
  } catch {
    return null;
  }
}

/** True while a live process holds the data dir's lock: a cheap look, for one waiting its turn. */
export function runLockHeld(dataDir: string): boolean {
  return runLockHolder(dataDir) !== null;
}

/** The live process holding the data dir's lock, as its lock file names it; null when none does. */
export function runLockHolder(dataDir: string): Readonly<LockOwner> | null {
  const owner = readOwner(path.join(dataDir, LOCK_FILE));
  return owner !== null && alive(owner) ? owner : null;
}

/**
 * Takes the data dir's one-rebuild-at-a-time lock, or fails with REBUILD_BUSY. The file names
 * its owner's pid and start time: a lock whose owner died (a crash, a kill -9) is taken over
 * instead of blocking forever.
 */
export function acquireRunLock(dataDir: string): RunLock {
  const file = path.join(dataDir, LOCK_FILE);
  const mine: LockOwner = {
    pid: process.pid,
    started: processStart(process.pid),
    runId: null,
    token: crypto.randomBytes(8).toString('hex'),
    answersCancel: answeringCancelRequests(),
  };
  const held = () => readOwner(file)?.token === mine.token;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(mine), { flag: 'wx' });
      return {
        claim(runId) {
          if (!held()) return;
          // Written aside and renamed, so a reader never sees half a file (and takes it for stale).
          fs.writeFileSync(`${file}.${mine.token}`, JSON.stringify({ ...mine, runId }));
          fs.renameSync(`${file}.${mine.token}`, file);
        },
        release() {
          if (held()) fs.rmSync(file, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = readOwner(file);
    if (owner && alive(owner)) {
      throw new NixstrapFailure(
        'REBUILD_BUSY',
        `Another rebuild (${owner.runId ? `run ${owner.runId}, ` : ''}process ${owner.pid}) is running with this data folder.`,
        // Where this process cannot ask the owner to cancel (start.ts), only where it started can.
        'Wait for it to finish, or answer or cancel it in the terminal or Nixstrap window that started it; `nixstrap runs` lists it.',
      );
    }
    // The owner is gone (or the file was half-written by a crash): remove it and try again.
    fs.rmSync(file, { force: true });
  }
  throw new NixstrapFailure(
    'REBUILD_BUSY',
    'The rebuild lock of this data folder keeps changing hands.',
    'Another Nixstrap is starting runs here; try again in a moment.',
  );
}
