import path from 'node:path';
import Database from 'better-sqlite3';
import { LEDGER_FILE } from '../../main/core/ledger';

export type ActivationEvent = { event: string; number: number };

/**
 * What the ledger in `dataDir` recorded of activations, oldest first, by generation number.
 * Read only: the app under test holds the ledger, and a test that opened it as the app does
 * would migrate, stamp and checkpoint the very file it observes.
 */
export function activationEvents(dataDir: string): ActivationEvent[] {
  const ledger = new Database(path.join(dataDir, LEDGER_FILE), { readonly: true });
  try {
    return ledger
      .prepare(
        'SELECT a.event, g.number FROM activations a JOIN generations g ON g.id = a.generation_id ORDER BY a.id',
      )
      .all() as ActivationEvent[];
  } finally {
    ledger.close();
  }
}
