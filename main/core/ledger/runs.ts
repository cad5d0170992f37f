import crypto from 'node:crypto';
import type {
  NixstrapError,
  Phase,
  PhaseStatus,
  RunKind,
  RunStatus,
  RunSummary,
} from '../../../common';
import { machineId, recordedHere } from '../platform/machine-id';
import { processAlive } from '../platform/process-alive';
import { type RecordedProcess, recordedProcessAlive, thisProcess } from '../platform/process-start';
import type { RecordedLock } from '../rebuild/flake-lock';
import { snapshotAnswers } from './answers-snapshots';
import type { Ledger } from './database';
import { answersWrittenAs } from './host-answers';
import { recordedRepoPath } from './repo-paths';

export interface NewRun {
  kind: RunKind;
  action: string;
  argv: string[];
  host?: string | null;
  repo?: string | null;
  commit?: string | null;
  dirty?: boolean | null;
  /** Whether the build wrote the flake.lock it used and the commit does not hold it. */
  lockWritten?: boolean | null;
  /** The commit's subject and the branch it was on, for the generation it builds. */
  subject?: string | null;
  branch?: string | null;
  profile?: string | null;
  answers?: unknown;
  logPath?: string | null;
  fromGeneration?: number | null;
}

/** What a build was made from, as read once Nix has run. */
export interface BuiltSource {
  commit: string | null;
  dirty: boolean | null;
  lockWritten: boolean | null;
  /** With a lock written: whether other tracked files differed from the commit too; else null. */
  dirtyBesideLock: boolean | null;
  subject: string | null;
  branch: string | null;
}

/** What commit-lock reads of a run: the lock it built with, and what else was uncommitted. */
export interface BuiltLock {
  /** The flake.lock the build used, byte for byte; null when it was too big to keep, or none. */
  text: string | null;
  /** That lock's sha256, kept whatever its size; null for none, and for runs from before migration 15. */
  sha256: string | null;
  dirtyBesideLock: boolean | null;
}

export interface RunEnd {
  status: Exclude<RunStatus, 'running'>;
  exitCode?: number | null;
  storePath?: string | null;
  generation?: number | null;
  error?: NixstrapError | null;
}

interface RunRow {
  id: string;
  kind: RunKind;
  status: RunStatus;
  action: string;
  host: string | null;
  repo: string | null;
  commit_id: string | null;
  dirty: number | null;
  lock_written: number | null;
  commit_subject: string | null;
  branch: string | null;
  profile: string | null;
  started_at: string;
  ended_at: string | null;
  generation: number | null;
  store_path: string | null;
  exit_code: number | null;
  error_json: string | null;
  log_path: string | null;
  pid: number | null;
}

const SELECT = `
  SELECT runs.*, targets.profile AS profile FROM runs
  LEFT JOIN targets ON targets.id = runs.target_id`;

function toSummary(row: RunRow): RunSummary {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    action: row.action,
    host: row.host,
    repo: row.repo,
    commit: row.commit_id,
    dirty: row.dirty === null ? null : row.dirty === 1,
    lockWritten: row.lock_written === null ? null : row.lock_written === 1,
    subject: row.commit_subject,
    branch: row.branch,
    profile: row.profile,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    generation: row.generation,
    storePath: row.store_path,
    exitCode: row.exit_code,
    error: row.error_json ? (JSON.parse(row.error_json) as NixstrapError) : null,
  };
}

/**
 * This machine's target row for a profile path, created on first use: two machines sharing a data
 * folder each have their own `/nix/var/nix/profiles/system`. A target from before machines were
 * told apart ('') is claimed by the first machine to ask, unless the runs recorded on it name
 * other machines only; the rows in it that are another machine's move over when that machine
 * first reads its profile (machine-targets.ts). A machine that cannot name itself keeps using ''.
 */
export function targetId(ledger: Ledger, profile: string): number {
  const { db } = ledger;
  const here = machineId();
  const find = db.prepare('SELECT id FROM targets WHERE machine = ? AND profile = ?');
  // A plain read once the target exists: listing a profile then writes nothing.
  const found = find.get(here, profile) as { id: number } | undefined;
  if (found) return found.id;
  return db
    .transaction(() => {
      const unclaimed = here ? (find.get('', profile) as { id: number } | undefined) : undefined;
      if (unclaimed && ownsUnclaimed(ledger, unclaimed.id, here)) {
        db.prepare("UPDATE targets SET machine = ? WHERE id = ? AND machine = ''").run(
          here,
          unclaimed.id,
        );
      } else {
        db.prepare(
          `INSERT INTO targets (machine, profile, created_at) VALUES (?, ?, ?)
         ON CONFLICT(machine, profile) DO NOTHING`,
        ).run(here, profile, new Date().toISOString());
      }
      return (find.get(here, profile) as { id: number }).id;
    })
    .immediate();
}

/** Whether a target from before machines were told apart is this machine's to claim. */
function ownsUnclaimed(ledger: Ledger, target: number, here: string): boolean {
  const machines = ledger.db
    .prepare(
      'SELECT DISTINCT machine FROM runs WHERE target_id = ? AND machine IS NOT NULL AND machine != ?',
    )
    .pluck()
    .all(target, '') as string[];
  return machines.length === 0 || machines.includes(here);
}

/**
 * The answers a run came from: those it was given, else, for a rebuild of a clean commit, those
 * Nixstrap wrote that commit from (uncommitted changes are no write's answers).
 */
function runAnswersId(ledger: Ledger, run: NewRun): number | null {
  if (run.answers !== undefined) return snapshotAnswers(ledger, run.answers);
  if (run.kind !== 'rebuild' || !run.repo || !run.host || !run.commit || run.dirty !== false) {
    return null;
  }
  return answersWrittenAs(ledger, run.repo, run.host, run.commit);
}

/** A run's id: the second it starts and random hex (registry.ts reads ids in this shape). */
function newRunId(): string {
  const second = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  return `${second}-${crypto.randomBytes(3).toString('hex')}`;
}

/** The recorded runs: one row each, written as the run goes so a crash leaves what happened. */
export function createRunStore(ledger: Ledger) {
  const { db } = ledger;
  return {
    start(run: NewRun): RunSummary {
      const me = thisProcess();
      const insert = db.prepare(
        `INSERT INTO runs (id, kind, action, status, target_id, host, repo, commit_id, dirty,
           lock_written, commit_subject, branch, argv, answers_id, pid, machine, boot_id,
           process_started, started_at, log_path, from_generation)
         VALUES (?, ?, ?, 'running', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO NOTHING`,
      );
      const values = [
        run.kind,
        run.action,
        run.profile ? targetId(ledger, run.profile) : null,
        run.host ?? null,
        // By real path, as writes are: a repo started through a link is one repo in the ledger.
        run.repo ? recordedRepoPath(run.repo) : null,
        run.commit ?? null,
        run.dirty === undefined || run.dirty === null ? null : Number(run.dirty),
        run.lockWritten === undefined || run.lockWritten === null ? null : Number(run.lockWritten),
        run.subject ?? null,
        run.branch ?? null,
        JSON.stringify(run.argv),
        runAnswersId(ledger, run),
        me.pid,
        machineId() || null,
        me.boot,
        me.started,
        new Date().toISOString(),
        run.logPath ?? null,
        run.fromGeneration ?? null,
      ];
      // Runs started in the same second share the time part; the random part of an id already
      // taken (one chance in millions per pair) is drawn again instead of failing the run.
      let id = newRunId();
      while (insert.run(id, ...values).changes === 0) id = newRunId();
      return this.get(id) as RunSummary;
    },

    phase(runId: string, phase: Phase, status: PhaseStatus, exitCode: number | null = null): void {
      const now = new Date().toISOString();
      db.prepare(
        `INSERT INTO run_phases (run_id, phase, status, exit_code, started_at, ended_at)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(run_id, phase) DO UPDATE SET status = excluded.status,
           exit_code = excluded.exit_code, ended_at = excluded.ended_at`,
      ).run(runId, phase, status, exitCode, now, status === 'started' ? null : now);
    },

    phases(runId: string): { phase: Phase; status: PhaseStatus; exitCode: number | null }[] {
      return (
        db
          .prepare(
            'SELECT phase, status, exit_code FROM run_phases WHERE run_id = ? ORDER BY started_at, rowid',
          )
          .all(runId) as { phase: Phase; status: PhaseStatus; exit_code: number | null }[]
      ).map((row) => ({ phase: row.phase, status: row.status, exitCode: row.exit_code }));
    },

    finish(runId: string, end: RunEnd): void {
      db.prepare(
        `UPDATE runs SET status = ?, ended_at = ?, exit_code = ?, store_path = COALESCE(?, store_path),
           generation = COALESCE(?, generation), error_json = ? WHERE id = ? AND status = 'running'`,
      ).run(
        end.status,
        new Date().toISOString(),
        end.exitCode ?? null,
        end.storePath ?? null,
        end.generation ?? null,
        end.error ? JSON.stringify(end.error) : null,
        runId,
      );
    },

    /** Keeps what a run has produced so far (a crash later leaves it in the ledger). */
    record(
      runId: string,
      fields: { storePath?: string | null; generation?: number | null; logPath?: string | null },
    ): void {
      db.prepare(
        `UPDATE runs SET store_path = COALESCE(?, store_path), generation = COALESCE(?, generation),
           log_path = COALESCE(?, log_path) WHERE id = ?`,
      ).run(fields.storePath ?? null, fields.generation ?? null, fields.logPath ?? null, runId);
    },

    /**
     * What the run built from, read again after the build: Nix may have written flake.lock (a
     * first build, a new input), so the tree it built is no longer the commit read at the start.
     */
    recordSource(runId: string, source: BuiltSource): void {
      db.prepare(
        `UPDATE runs SET commit_id = ?, dirty = ?, lock_written = ?, dirty_beside_lock = ?,
           commit_subject = ?, branch = ? WHERE id = ?`,
      ).run(
        source.commit,
        source.dirty === null ? null : Number(source.dirty),
        source.lockWritten === null ? null : Number(source.lockWritten),
        source.dirtyBesideLock === null ? null : Number(source.dirtyBesideLock),
        source.subject,
        source.branch,
        runId,
      );
    },

    /**
     * The flake inputs the run built from, replacing any recorded before: a run records the lock
     * once Nix has written it, and Nix may have moved a pin since the run started.
     */
    recordLock(runId: string, lock: RecordedLock): void {
      const insert = db.prepare(
        `INSERT INTO run_inputs (run_id, name, type, source, rev, last_modified, nar_hash)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      );
      db.transaction(() => {
        db.prepare('DELETE FROM run_inputs WHERE run_id = ?').run(runId);
        db.prepare('UPDATE runs SET flake_lock = ?, flake_lock_sha256 = ? WHERE id = ?').run(
          lock.text,
          lock.sha256,
          runId,
        );
        for (const input of lock.inputs) {
          insert.run(
            runId,
            input.name,
            input.type,
            input.source,
            input.rev,
            input.lastModified,
            input.narHash,
          );
        }
      })();
    },

    builtLock(runId: string): BuiltLock | null {
      const row = db
        .prepare('SELECT flake_lock, flake_lock_sha256, dirty_beside_lock FROM runs WHERE id = ?')
        .get(runId) as
        | {
            flake_lock: string | null;
            flake_lock_sha256: string | null;
            dirty_beside_lock: number | null;
          }
        | undefined;
      if (!row) return null;
      const beside = row.dirty_beside_lock;
      return {
        text: row.flake_lock,
        sha256: row.flake_lock_sha256,
        dirtyBesideLock: beside === null ? null : beside === 1,
      };
    },

    /**
     * The lock the run's build wrote is now committed, on the commit it was built from: the run
     * (and so its generation) was built from that commit, with nothing else uncommitted unless
     * other files differed too.
     */
    lockCommitted(runId: string, commit: string, subject: string): void {
      db.prepare(
        `UPDATE runs SET commit_id = ?, commit_subject = ?, lock_written = 0,
           dirty = dirty_beside_lock WHERE id = ? AND lock_written = 1`,
      ).run(commit, subject, runId);
    },

    /** Which Nix built for a profile: the record format (and its codes) follows it. */
    recordNix(profile: string, impl: string, version: string | null): void {
      db.prepare('UPDATE targets SET nix_impl = ?, nix_version = ? WHERE id = ?').run(
        impl,
        version,
        targetId(ledger, profile),
      );
    },

    get(runId: string): RunSummary | null {
      const row = db.prepare(`${SELECT} WHERE runs.id = ?`).get(runId) as RunRow | undefined;
      return row ? toSummary(row) : null;
    },

    /** The process that runs or ran it, and the machine that recorded it; null for no such run. */
    process(runId: string): (RecordedProcess & { machine: string | null }) | null {
      const row = db
        .prepare(
          `SELECT pid, machine, boot_id AS boot, process_started AS started FROM runs WHERE id = ?`,
        )
        .get(runId) as (RecordedProcess & { machine: string | null }) | undefined;
      return row ?? null;
    },

    logPath(runId: string): string | null {
      const row = db.prepare('SELECT log_path FROM runs WHERE id = ?').get(runId) as
        | { log_path: string | null }
        | undefined;
      return row?.log_path ?? null;
    },

    /** The newest `limit` runs, newest first; every run with a null limit. */
    list(limit: number | null = 100): RunSummary[] {
      return (
        db.prepare(`${SELECT} ORDER BY runs.started_at DESC LIMIT ?`).all(limit ?? -1) as RunRow[]
      ).map(toSummary);
    },

    /**
     * Runs left `running` by a process that no longer exists died with it: they are marked
     * `interrupted`, never deleted, so the ledger keeps what they had reached. A run another
     * machine records in a shared data folder is that machine's to judge: its pid means
     * nothing here.
     */
    markInterrupted(isAlive: (pid: number) => boolean = processAlive): string[] {
      const stale = (
        db
          .prepare(
            `SELECT id, pid, machine, boot_id AS boot, process_started AS started
             FROM runs WHERE status = 'running'`,
          )
          .all() as (RecordedProcess & { id: string; machine: string | null })[]
      ).filter((row) => recordedHere(row.machine) && !recordedProcessAlive(row, isAlive));
      const mark = db.prepare(
        "UPDATE runs SET status = 'interrupted', ended_at = ? WHERE id = ? AND status = 'running'",
      );
      const now = new Date().toISOString();
      db.transaction(() => {
        for (const row of stale) mark.run(now, row.id);
      })();
      return stale.map((row) => row.id);
    },
  };
}

export type RunStore = ReturnType<typeof createRunStore>;
