import type { ClosureChanges } from '../../../common/rebuild';
import { closureChanges } from '../store/closure-diff';
import type { Ledger } from './database';

/**
 * What moving from one store path to another changes, computed from the store once and then
 * read from the ledger: store paths never change, so neither does their difference.
 */
export async function cachedClosureChanges(
  ledger: Ledger,
  from: string,
  to: string,
): Promise<ClosureChanges> {
  const { db } = ledger;
  const cached = db
    .prepare(
      'SELECT report_json FROM closure_diffs WHERE from_store_path = ? AND to_store_path = ?',
    )
    .get(from, to) as { report_json: string } | undefined;
  if (cached) return JSON.parse(cached.report_json) as ClosureChanges;
  const changes = await closureChanges(from, to);
  db.prepare(
    `INSERT INTO closure_diffs (from_store_path, to_store_path, report_json, computed_at)
     VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  ).run(from, to, JSON.stringify(changes), new Date().toISOString());
  return changes;
}
