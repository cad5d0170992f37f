import type { TargetKind } from '../../../common/rebuild';
import { closureBytes } from '../store/query';
import type { Ledger } from './database';
import { type GenerationContents, readGenerationContents } from './generation-contents';
import { readProfile, resolveSystemLink } from './profile-links';
import { targetId } from './runs';

export interface ReconcileOptions {
  profile: string;
  /**
   * The folder holding `current-system` and `booted-system` (`/run` on NixOS and
   * nix-darwin); null to ignore them, as for a Home Manager profile.
   */
  runDir?: string | null;
}

export interface ReconcileReport {
  targetId: number;
  kind: TargetKind | null;
  added: number;
  vanished: number;
  current: number | null;
}

interface KnownRow {
  id: number;
  number: number;
  store_path: string;
  present: number;
}

interface Marks {
  current: number | null;
  running: number | null;
  booted: number | null;
}

/** The generation a store path stands for: the profile's current one when it matches, else the newest. */
function generationFor(
  storePath: string | null,
  rows: Map<string, KnownRow>,
  currentId: number | null,
): number | null {
  if (!storePath) return null;
  let best: KnownRow | null = null;
  for (const row of rows.values()) {
    if (row.store_path !== storePath || !row.present) continue;
    if (row.id === currentId) return row.id;
    if (!best || row.number > best.number) best = row;
  }
  return best?.id ?? null;
}

const key = (number: number, storePath: string) => `${number}\u0000${storePath}`;

/**
 * Brings the ledger in line with a profile folder: links Nix added become generations, links
 * deleted are kept and marked not present (their history stays), and a number Nix reused
 * after a deletion is a new generation told apart by its store path. A change of the running
 * or booted system since the last look is recorded as an activation.
 */
export async function reconcileProfile(
  ledger: Ledger,
  options: ReconcileOptions,
): Promise<ReconcileReport> {
  const { db } = ledger;
  const state = readProfile(options.profile);
  const target = targetId(ledger, options.profile);
  const known = new Map(
    (
      db
        .prepare('SELECT id, number, store_path, present FROM generations WHERE target_id = ?')
        .all(target) as KnownRow[]
    ).map((row) => [key(row.number, row.store_path), row]),
  );
  const fresh = state.links.filter((link) => !known.has(key(link.number, link.storePath)));
  const contents = new Map<string, GenerationContents & { closureBytes: number | null }>();
  const storedContents = db.prepare(
    `SELECT kind, nixos_version AS version, kernel_version AS kernelVersion,
       configuration_revision AS revision, closure_bytes AS closureBytes
     FROM generations WHERE store_path = ? AND kind IS NOT NULL LIMIT 1`,
  );
  for (const { storePath } of fresh) {
    if (contents.has(storePath)) continue;
    const stored = storedContents.get(storePath) as
      | (GenerationContents & { closureBytes: number | null })
      | undefined;
    contents.set(storePath, stored ?? { ...readGenerationContents(storePath), closureBytes: null });
  }
  const unsized = [...contents].filter(([, c]) => c.closureBytes === null).map(([p]) => p);
  if (unsized.length) {
    for (const [storePath, bytes] of await closureBytes(unsized)) {
      (contents.get(storePath) as { closureBytes: number | null }).closureBytes = bytes;
    }
  }

  const now = new Date().toISOString();
  const insert = db.prepare(
    `INSERT INTO generations (target_id, number, store_path, present, created_at, first_seen_at,
       kind, nixos_version, kernel_version, configuration_revision, closure_bytes)
     VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const present = new Set(state.links.map((link) => key(link.number, link.storePath)));
  const report: ReconcileReport = {
    targetId: target,
    kind: null,
    added: fresh.length,
    vanished: 0,
    current: state.current,
  };

  db.transaction(() => {
    for (const link of fresh) {
      const c = contents.get(link.storePath) as GenerationContents & {
        closureBytes: number | null;
      };
      const id = Number(
        insert.run(
          target,
          link.number,
          link.storePath,
          link.createdAt,
          now,
          c.kind,
          c.version,
          c.kernelVersion,
          c.revision,
          c.closureBytes,
        ).lastInsertRowid,
      );
      known.set(key(link.number, link.storePath), {
        id,
        number: link.number,
        store_path: link.storePath,
        present: 1,
      });
    }
    const vanish = db.prepare('UPDATE generations SET present = 0, vanished_at = ? WHERE id = ?');
    const reappear = db.prepare(
      'UPDATE generations SET present = 1, vanished_at = NULL WHERE id = ?',
    );
    for (const [rowKey, row] of known) {
      if (row.present && !present.has(rowKey)) {
        vanish.run(now, row.id);
        row.present = 0;
        report.vanished++;
      } else if (!row.present && present.has(rowKey)) {
        reappear.run(row.id);
        row.present = 1;
      }
    }
    linkRuns(ledger, target);
    const currentLink = state.links.find((link) => link.number === state.current);
    const currentId = currentLink
      ? (known.get(key(currentLink.number, currentLink.storePath))?.id ?? null)
      : null;
    const marks: Marks = {
      current: currentId,
      running: options.runDir
        ? generationFor(resolveSystemLink(`${options.runDir}/current-system`), known, currentId)
        : null,
      booted: options.runDir
        ? generationFor(resolveSystemLink(`${options.runDir}/booted-system`), known, currentId)
        : null,
    };
    report.kind = saveMarks(ledger, target, marks, now);
  })();
  return report;
}

/** Generations whose store path a Nixstrap rebuild produced carry that run (commit, answers, log). */
function linkRuns(ledger: Ledger, target: number): void {
  ledger.db
    .prepare(
      `UPDATE generations SET run_id = (
         SELECT runs.id FROM runs WHERE runs.store_path = generations.store_path
           AND runs.kind = 'rebuild' ORDER BY runs.started_at DESC LIMIT 1)
       WHERE target_id = ? AND run_id IS NULL AND EXISTS (
         SELECT 1 FROM runs WHERE runs.store_path = generations.store_path AND runs.kind = 'rebuild')`,
    )
    .run(target);
}

/**
 * Stores what the profile, the running and the booted system point at; a running or booted
 * system that changed since the last reconcile (a switch or reboot outside Nixstrap) is
 * recorded as an activation. Returns the target's kind, read from its current generation.
 */
function saveMarks(ledger: Ledger, target: number, marks: Marks, now: string): TargetKind | null {
  const { db } = ledger;
  const before = db
    .prepare(
      'SELECT running_generation_id AS running, booted_generation_id AS booted, reconciled_at FROM targets WHERE id = ?',
    )
    .get(target) as { running: number | null; booted: number | null; reconciled_at: string | null };
  // A change Nixstrap made itself was recorded by its run already.
  const record = db.prepare(
    `INSERT INTO activations (generation_id, run_id, event, at) SELECT ?, NULL, ?, ?
     WHERE NOT EXISTS (SELECT 1 FROM activations WHERE generation_id = ? AND at >= ?)`,
  );
  const since = before.reconciled_at;
  if (since) {
    if (marks.running !== null && marks.running !== before.running)
      record.run(marks.running, 'switched', now, marks.running, since);
    if (marks.booted !== null && marks.booted !== before.booted)
      record.run(marks.booted, 'booted', now, marks.booted, since);
  }
  const kind =
    (
      db
        .prepare(
          'SELECT kind FROM generations WHERE target_id = ? AND present = 1 AND kind IS NOT NULL ORDER BY id = ? DESC, number DESC LIMIT 1',
        )
        .get(target, marks.current ?? -1) as { kind: TargetKind } | undefined
    )?.kind ?? null;
  db.prepare(
    `UPDATE targets SET current_generation_id = ?, running_generation_id = ?,
       booted_generation_id = ?, reconciled_at = ?, kind = COALESCE(?, kind) WHERE id = ?`,
  ).run(marks.current, marks.running, marks.booted, now, kind, target);
  return kind;
}
