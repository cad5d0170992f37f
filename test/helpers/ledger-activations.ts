import { openLedger } from '../../main/core/ledger';

export type ActivationEvent = { event: string; number: number };

/** What the ledger in `dataDir` recorded of activations, oldest first, by generation number. */
export function activationEvents(dataDir: string): ActivationEvent[] {
  const ledger = openLedger(dataDir);
  try {
    return ledger.db
      .prepare(
        'SELECT a.event, g.number FROM activations a JOIN generations g ON g.id = a.generation_id ORDER BY a.id',
      )
      .all() as ActivationEvent[];
  } finally {
    ledger.close();
  }
}
