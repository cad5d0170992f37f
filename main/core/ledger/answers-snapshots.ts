import crypto from 'node:crypto';
import type { Ledger } from './database';

/**
 * Keeps one copy of each distinct answers object, so many runs and writes of one form cost one
 * row; returns its id.
 */
export function snapshotAnswers(ledger: Ledger, answers: unknown): number | null {
  if (answers === undefined || answers === null) return null;
  // A password hash is a secret: the repo keeps it encrypted, the ledger not at all.
  const kept =
    typeof answers === 'object' && 'passwordHash' in answers
      ? { ...answers, passwordHash: null }
      : answers;
  const json = JSON.stringify(kept);
  const sha = crypto.createHash('sha256').update(json).digest('hex');
  ledger.db
    .prepare(
      'INSERT INTO answers_snapshots (sha256, answers_json, created_at) VALUES (?, ?, ?) ON CONFLICT(sha256) DO NOTHING',
    )
    .run(sha, json, new Date().toISOString());
  return (
    ledger.db.prepare('SELECT id FROM answers_snapshots WHERE sha256 = ?').get(sha) as {
      id: number;
    }
  ).id;
}
