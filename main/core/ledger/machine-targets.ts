import { machineId } from '../platform/machine-id';
import type { Ledger } from './database';
import type { ProfileLink } from './profile-links';

/**
 * A machine's first read of a profile path that another machine sharing the data folder (or the
 * ledger from before machines were told apart) already has generations under: the rows that are
 * this machine's move to its own target, with their history (runs, activations, when first seen).
 * This machine's are those its own runs built, and those its profile links to by number and store
 * path that no other machine's run built. The other target's marks that pointed at a moved row are
 * cleared, and its stamp too, so that machine reads its own links again next time.
 */
export function takeOwnGenerations(
  ledger: Ledger,
  target: number,
  profile: string,
  /** The profile's links, read only when this is the machine's first read. */
  links: () => readonly ProfileLink[],
): number {
  const here = machineId();
  const { db } = ledger;
  // A machine that cannot name itself shares '' with the rows from before: nothing to tell apart.
  if (!here) return 0;
  if (db.prepare('SELECT 1 FROM generations WHERE target_id = ? LIMIT 1').get(target)) return 0;
  const linked = JSON.stringify(links().map((link) => [link.number, link.storePath]));
  return db
    .transaction(() => {
      const moved = db
        .prepare(
          `UPDATE OR IGNORE generations SET target_id = :target
         WHERE target_id IN (SELECT id FROM targets WHERE profile = :profile AND id != :target)
           AND (run_id IN (SELECT id FROM runs WHERE machine = :here)
             OR (EXISTS (SELECT 1 FROM json_each(:linked) l
                   WHERE json_extract(l.value, '$[0]') = number
                     AND json_extract(l.value, '$[1]') = store_path)
                 AND NOT EXISTS (SELECT 1 FROM runs WHERE runs.id = run_id
                   AND runs.machine IS NOT NULL AND runs.machine != :here)))`,
        )
        .run({ target, profile, here, linked }).changes;
      if (moved === 0) return 0;
      const mine = `(SELECT id FROM generations WHERE target_id = :target)`;
      db.prepare(
        `UPDATE targets SET
         current_generation_id = iif(current_generation_id IN ${mine}, NULL, current_generation_id),
         running_generation_id = iif(running_generation_id IN ${mine}, NULL, running_generation_id),
         booted_generation_id = iif(booted_generation_id IN ${mine}, NULL, booted_generation_id),
         profile_stamp = NULL
       WHERE profile = :profile AND id != :target`,
      ).run({ target, profile });
      return moved;
    })
    .immediate();
}
