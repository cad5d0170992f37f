import type { TargetKind } from '../../../common/rebuild';
import type { Ledger } from './database';

/** Row ids of the generations the profile, the running system and the booted system point at. */
export interface Marks {
  current: number | null;
  running: number | null;
  booted: number | null;
  /** The specialisation of the running (booted) generation that runs (booted); null for its base. */
  runningSpecialisation: string | null;
  bootedSpecialisation: string | null;
}

/** A generation a system link stands for, and which of its specialisations when one. */
export interface SystemMark {
  id: number;
  specialisation: string | null;
}

/**
 * The generation a store path (where `/run/current-system` points) stands for: the profile's
 * current one when it matches, else the newest present one with that path, else the newest
 * deleted one: the system still runs after its link was deleted (a garbage collection after a
 * rollback for the next boot), and the list must not leave the user guessing what runs. A path
 * that is no generation's may be one of a generation's specialisations, chosen in the same order.
 */
export function generationFor(
  ledger: Ledger,
  target: number,
  storePath: string | null,
  currentId: number | null,
): SystemMark | null {
  if (!storePath) return null;
  const base = ledger.db
    .prepare(
      `SELECT id, NULL AS specialisation FROM generations WHERE target_id = ? AND store_path = ?
       ORDER BY id IS ? DESC, present DESC, number DESC LIMIT 1`,
    )
    .get(target, storePath, currentId) as SystemMark | undefined;
  if (base) return base;
  const special = ledger.db
    .prepare(
      `SELECT g.id, s.key AS specialisation FROM generations g, json_each(g.specialisations) s
       WHERE g.target_id = ? AND g.specialisations IS NOT NULL AND s.value = ?
       ORDER BY g.id IS ? DESC, g.present DESC, g.number DESC LIMIT 1`,
    )
    .get(target, storePath, currentId) as SystemMark | undefined;
  return special ?? null;
}

interface SavedMarks extends Marks {
  kind: TargetKind | null;
  changed_at: string | null;
}

/**
 * Stores what the profile, the running and the booted system point at, writing only when that
 * changed. A running or booted system that moved since the last change (a switch or reboot
 * outside Nixstrap) is recorded as an activation, unless a Nixstrap run recorded it already.
 * Returns the target's kind, read from its current generation.
 */
export function saveMarks(
  ledger: Ledger,
  target: number,
  marks: Marks,
  now: string,
): TargetKind | null {
  const { db } = ledger;
  const before = db
    .prepare(
      `SELECT current_generation_id AS current, running_generation_id AS running,
         booted_generation_id AS booted, running_specialisation AS runningSpecialisation,
         booted_specialisation AS bootedSpecialisation, kind, reconciled_at AS changed_at
       FROM targets WHERE id = ?`,
    )
    .get(target) as SavedMarks;
  const kind =
    (
      (marks.current !== null
        ? db.prepare('SELECT kind FROM generations WHERE id = ?').get(marks.current)
        : db
            .prepare(
              'SELECT kind FROM generations WHERE target_id = ? AND present = 1 AND kind IS NOT NULL ORDER BY number DESC LIMIT 1',
            )
            .get(target)) as { kind: TargetKind | null } | undefined
    )?.kind ?? before.kind;
  const same =
    before.changed_at !== null &&
    before.current === marks.current &&
    before.running === marks.running &&
    before.booted === marks.booted &&
    before.runningSpecialisation === marks.runningSpecialisation &&
    before.bootedSpecialisation === marks.bootedSpecialisation &&
    before.kind === kind;
  if (same) return kind;
  if (before.changed_at !== null) {
    const record = db.prepare(
      `INSERT INTO activations (generation_id, run_id, event, at) SELECT ?, NULL, ?, ?
       WHERE NOT EXISTS (SELECT 1 FROM activations WHERE generation_id = ? AND at >= ?)`,
    );
    if (marks.running !== null && marks.running !== before.running)
      record.run(marks.running, 'switched', now, marks.running, before.changed_at);
    if (marks.booted !== null && marks.booted !== before.booted)
      record.run(marks.booted, 'booted', now, marks.booted, before.changed_at);
  }
  // reconciled_at is when the marks last changed: the window in which a run's own record of an
  // activation stands for the change seen now.
  db.prepare(
    `UPDATE targets SET current_generation_id = ?, running_generation_id = ?,
       booted_generation_id = ?, running_specialisation = ?, booted_specialisation = ?,
       reconciled_at = ?, kind = ? WHERE id = ?`,
  ).run(
    marks.current,
    marks.running,
    marks.booted,
    marks.runningSpecialisation,
    marks.bootedSpecialisation,
    now,
    kind,
    target,
  );
  return kind;
}

/** Generations whose store path a Nixstrap rebuild produced carry that run (commit, answers, log). */
export function linkRuns(ledger: Ledger, target: number): void {
  const { db } = ledger;
  const where = `target_id = ? AND run_id IS NULL AND store_path IN (
    SELECT store_path FROM runs WHERE kind = 'rebuild' AND store_path IS NOT NULL)`;
  if (!db.prepare(`SELECT 1 FROM generations WHERE ${where} LIMIT 1`).get(target)) return;
  db.prepare(
    `UPDATE generations SET run_id = (
       SELECT runs.id FROM runs WHERE runs.store_path = generations.store_path
         AND runs.kind = 'rebuild' ORDER BY runs.started_at DESC LIMIT 1)
     WHERE ${where}`,
  ).run(target);
}
