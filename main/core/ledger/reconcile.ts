import fs from 'node:fs';
import type { TargetKind } from '../../../common/rebuild';
import { machineId } from '../platform/machine-id';
import { closureBytes } from '../store/query';
import type { Ledger } from './database';
import {
  type GenerationContents,
  hostFromStoreName,
  readGenerationContents,
  readSpecialisations,
  type Specialisations,
} from './generation-contents';
import { takeOwnGenerations } from './machine-targets';
import {
  linkCreatedAt,
  type ProfileLink,
  profileStamp,
  readProfile,
  resolveSystemLink,
  type SeenLink,
} from './profile-links';
import { generationFor, linkRuns, type Marks, saveMarks } from './reconcile-marks';
import { targetId } from './runs';

export interface ReconcileOptions {
  profile: string;
  /**
   * The folder holding `current-system` and `booted-system` (`/run` on NixOS and
   * nix-darwin); null to ignore them.
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

interface KnownGeneration {
  id: number;
  number: number;
  store_path: string;
  present: number;
  created_at?: string | null;
}

type Contents = GenerationContents & {
  closureBytes: number | null;
  specialisations: Specialisations;
};

const key = (number: number, storePath: string) => `${number}\u0000${storePath}`;

/**
 * What the new links' store paths hold: from a generation the ledger already knows with the
 * same store path, else read from the store (closure sizes in one batched query).
 */
async function contentsOf(ledger: Ledger, fresh: ProfileLink[]): Promise<Map<string, Contents>> {
  const contents = new Map<string, Contents>();
  const stored = ledger.db.prepare(
    `SELECT kind, nixos_version AS version, kernel_version AS kernelVersion,
       configuration_revision AS revision, closure_bytes AS closureBytes, specialisations
     FROM generations WHERE store_path = ? AND kind IS NOT NULL AND specialisations IS NOT NULL
     LIMIT 1`,
  );
  for (const { storePath } of fresh) {
    if (contents.has(storePath)) continue;
    const known = stored.get(storePath) as
      | (Omit<Contents, 'specialisations'> & { specialisations: string })
      | undefined;
    contents.set(
      storePath,
      known
        ? { ...known, specialisations: JSON.parse(known.specialisations) as Specialisations }
        : {
            ...readGenerationContents(storePath),
            closureBytes: null,
            specialisations: readSpecialisations(storePath),
          },
    );
  }
  const unsized = [...contents].filter(([, c]) => c.closureBytes === null).map(([p]) => p);
  if (unsized.length) {
    for (const [storePath, bytes] of await closureBytes(unsized)) {
      (contents.get(storePath) as Contents).closureBytes = bytes;
    }
  }
  return contents;
}

/** Marks the running and booted systems and links finished runs; shared by both paths below. */
function finish(
  ledger: Ledger,
  options: ReconcileOptions,
  report: ReconcileReport,
  current: number | null,
  now: string,
): void {
  const systemLink = (name: string) =>
    options.runDir ? resolveSystemLink(`${options.runDir}/${name}`) : null;
  const running = generationFor(ledger, report.targetId, systemLink('current-system'), current);
  const booted = generationFor(ledger, report.targetId, systemLink('booted-system'), current);
  const marks: Marks = {
    current,
    running: running?.id ?? null,
    booted: booted?.id ?? null,
    runningSpecialisation: running?.specialisation ?? null,
    bootedSpecialisation: booted?.specialisation ?? null,
  };
  linkRuns(ledger, report.targetId);
  report.kind = saveMarks(ledger, report.targetId, marks, now);
}

/** Generations listed before the ledger recorded specialisations get theirs, read once. */
function fillSpecialisations(ledger: Ledger, target: number): void {
  const unread = ledger.db
    .prepare(
      'SELECT id, store_path FROM generations WHERE target_id = ? AND present = 1 AND specialisations IS NULL',
    )
    .all(target) as { id: number; store_path: string }[];
  const update = ledger.db.prepare('UPDATE generations SET specialisations = ? WHERE id = ?');
  for (const row of unread) {
    update.run(JSON.stringify(readSpecialisations(row.store_path)), row.id);
  }
}

/**
 * Reads every link of the profile and brings the ledger in line: links Nix added become
 * generations, links deleted are kept and marked not present (their history stays), and a
 * number Nix reused after a deletion is a new generation told apart by its store path.
 */
async function readAll(ledger: Ledger, options: ReconcileOptions, stamp: string | null) {
  const { db } = ledger;
  const target = targetId(ledger, options.profile);
  takeOwnGenerations(ledger, target, options.profile, () => readProfile(options.profile).links);
  const known = new Map<string, KnownGeneration>();
  const seen = new Map<number, SeenLink>();
  for (const row of db
    .prepare(
      'SELECT id, number, store_path, present, created_at FROM generations WHERE target_id = ?',
    )
    .all(target) as KnownGeneration[]) {
    known.set(key(row.number, row.store_path), row);
    if (row.present) {
      seen.set(row.number, { storePath: row.store_path, createdAt: row.created_at ?? null });
    }
  }
  const state = readProfile(options.profile, seen);
  const fresh = state.links.filter((link) => !known.has(key(link.number, link.storePath)));
  const contents = await contentsOf(ledger, fresh);
  const present = new Set(state.links.map((link) => key(link.number, link.storePath)));
  const report: ReconcileReport = {
    targetId: target,
    kind: null,
    added: 0,
    vanished: 0,
    current: state.current,
  };
  const now = new Date().toISOString();
  // Immediate: another process reconciling the same profile (the app and the CLI) waits here
  // instead of inserting the same generations in between this read and these writes.
  db.transaction(() => {
    const stored = db.prepare(
      'SELECT id, present FROM generations WHERE target_id = ? AND number = ? AND store_path = ?',
    );
    const repoint = db.prepare('UPDATE generations SET store_path = ? WHERE id = ?');
    const linkedBefore = new Map(
      [...known.values()].filter((row) => row.present).map((row) => [row.number, row]),
    );
    const insert = db.prepare(
      `INSERT INTO generations (target_id, number, store_path, present, created_at, first_seen_at,
         kind, nixos_version, kernel_version, configuration_revision, closure_bytes, host,
         specialisations)
       VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const link of fresh) {
      const already = stored.get(target, link.number, link.storePath) as
        | { id: number; present: number }
        | undefined;
      if (already) {
        known.set(key(link.number, link.storePath), {
          ...already,
          number: link.number,
          store_path: link.storePath,
        });
        continue;
      }
      // Nix links only paths its store holds, so a link to one it does not is no new generation:
      // it is the one the ledger knew, whose link now names a system gone from the store.
      const before = linkedBefore.get(link.number);
      if (before && !fs.existsSync(link.storePath)) {
        repoint.run(link.storePath, before.id);
        known.delete(key(before.number, before.store_path));
        known.set(key(link.number, link.storePath), { ...before, store_path: link.storePath });
        continue;
      }
      report.added++;
      const c = contents.get(link.storePath) as Contents;
      const id = Number(
        insert.run(
          target,
          link.number,
          link.storePath,
          linkCreatedAt(link.link),
          now,
          c.kind,
          c.version,
          c.kernelVersion,
          c.revision,
          c.closureBytes,
          hostFromStoreName(link.storePath),
          JSON.stringify(c.specialisations),
        ).lastInsertRowid,
      );
      known.set(key(link.number, link.storePath), {
        id,
        number: link.number,
        store_path: link.storePath,
        present: 1,
      });
    }
    for (const [rowKey, row] of known) {
      const isPresent = present.has(rowKey);
      if (Boolean(row.present) === isPresent) continue;
      db.prepare('UPDATE generations SET present = ?, vanished_at = ? WHERE id = ?').run(
        Number(isPresent),
        isPresent ? null : now,
        row.id,
      );
      if (!isPresent) report.vanished++;
    }
    fillSpecialisations(ledger, target);
    const currentLink = state.links.find((link) => link.number === state.current);
    const current = currentLink
      ? (known.get(key(currentLink.number, currentLink.storePath))?.id ?? null)
      : null;
    finish(ledger, options, report, current, now);
    db.prepare('UPDATE targets SET profile_stamp = ? WHERE id = ? AND profile_stamp IS NOT ?').run(
      stamp,
      target,
      stamp,
    );
  }).immediate();
  return report;
}

/**
 * Brings the ledger in line with a profile folder. While the folder's stamp is the one of the
 * last full read, no link changed: only the running and booted systems are looked at again,
 * and nothing is written unless they moved, so listing stays about as cheap as `nix-env`.
 */
export async function reconcileProfile(
  ledger: Ledger,
  options: ReconcileOptions,
): Promise<ReconcileReport> {
  const stamp = profileStamp(options.profile);
  const saved = ledger.db
    .prepare(
      `SELECT t.id, t.profile_stamp, t.current_generation_id AS current, g.number
       FROM targets t LEFT JOIN generations g ON g.id = t.current_generation_id
       WHERE t.machine = ? AND t.profile = ?`,
    )
    .get(machineId(), options.profile) as
    | { id: number; profile_stamp: string | null; current: number | null; number: number | null }
    | undefined;
  if (!saved || stamp === null || saved.profile_stamp !== stamp) {
    return readAll(ledger, options, stamp);
  }
  const report: ReconcileReport = {
    targetId: saved.id,
    kind: null,
    added: 0,
    vanished: 0,
    current: saved.number,
  };
  ledger.db
    .transaction(() => finish(ledger, options, report, saved.current, new Date().toISOString()))
    .immediate();
  return report;
}
