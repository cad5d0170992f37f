import { snapshotAnswers } from './answers-snapshots';
import type { Ledger } from './database';
import { recordedRepoPath, repoPaths, sameRepoPaths } from './repo-paths';

/** One write of a host to a repo, as `plan.apply` made it. */
export interface HostWrite {
  repo: string;
  host: string;
  commit: string | null;
  answers: unknown;
}

/** Answers a host was written or built with, as stored: the caller parses and checks them. */
export interface RecordedAnswers {
  json: string;
  /** When they were written, or when the run that built them ended. */
  at: string;
  source: 'write' | 'run';
  /** The commit written, or the commit the run built (null when a write changed no file). */
  commit: string | null;
}

/** Records that `host` in `repo` was written with these answers (never their password hash). */
export function recordWrite(ledger: Ledger, write: HostWrite): void {
  ledger.db
    .prepare(
      'INSERT INTO writes (repo, host, commit_id, answers_id, written_at) VALUES (?, ?, ?, ?, ?)',
    )
    .run(
      recordedRepoPath(write.repo),
      write.host,
      write.commit,
      snapshotAnswers(ledger, write.answers),
      new Date().toISOString(),
    );
}

/**
 * The stored answers of the newest write of `host` in `repo` that made `commit`: a rebuild of
 * exactly that commit was made from them, whichever shell started it.
 */
export function answersWrittenAs(
  ledger: Ledger,
  repo: string,
  host: string,
  commit: string,
): number | null {
  const row = ledger.db
    .prepare(
      `SELECT answers_id FROM writes
         WHERE repo IN (SELECT value FROM json_each(?)) AND host = ? AND commit_id = ?
       ORDER BY written_at DESC, id DESC LIMIT 1`,
    )
    .get(JSON.stringify(repoPaths(repo)), host, commit) as { answers_id: number } | undefined;
  return row?.answers_id ?? null;
}

/**
 * The paths `host`'s runs in `repo` may be recorded under: the repo as given and by its real
 * path, and any other path of the same folder a run was started through before runs were
 * recorded by real path.
 */
function runRepoPaths(ledger: Ledger, repo: string, host: string): string[] {
  const stored = ledger.db
    .prepare(
      'SELECT DISTINCT repo FROM runs WHERE host = ? AND repo IS NOT NULL AND answers_id IS NOT NULL',
    )
    .pluck()
    .all(host) as string[];
  return [...new Set([...repoPaths(repo), ...sameRepoPaths(stored, repo)])];
}

/**
 * The answers `host` in `repo` was written with, and those its successful rebuilds were made
 * from, newest first; with `commit` (in full or its first hex digits, as git abbreviates it),
 * only those of the commits it names. A failed or cancelled rebuild's answers never reached
 * the machine.
 */
export function recordedAnswers(
  ledger: Ledger,
  repo: string,
  host: string,
  commit: string | null = null,
): RecordedAnswers[] {
  return ledger.db
    .prepare(
      `SELECT a.answers_json AS json, w.written_at AS at, 'write' AS source, w.commit_id AS "commit"
         FROM writes w JOIN answers_snapshots a ON a.id = w.answers_id
         WHERE w.repo IN (SELECT value FROM json_each(:repos)) AND w.host = :host AND (:commit IS NULL OR substr(w.commit_id, 1, length(:commit)) = :commit)
       UNION ALL
       SELECT a.answers_json, COALESCE(r.ended_at, r.started_at), 'run', r.commit_id
         FROM runs r JOIN answers_snapshots a ON a.id = r.answers_id
         WHERE r.repo IN (SELECT value FROM json_each(:runRepos)) AND r.host = :host AND r.status = 'succeeded'
           AND (:commit IS NULL OR substr(r.commit_id, 1, length(:commit)) = :commit)
       ORDER BY at DESC`,
    )
    .all({
      repos: JSON.stringify(repoPaths(repo)),
      runRepos: JSON.stringify(runRepoPaths(ledger, repo, host)),
      host,
      commit: commit?.toLowerCase() ?? null,
    }) as RecordedAnswers[];
}
