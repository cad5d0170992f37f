import type { Generation, TargetKind } from '../../../common/rebuild';
import type { Ledger } from './database';
import { hostFromStoreName, splitRevision } from './generation-contents';

interface GenerationRow {
  id: number;
  number: number;
  store_path: string;
  present: number;
  created_at: string | null;
  kind: TargetKind | null;
  nixos_version: string | null;
  kernel_version: string | null;
  configuration_revision: string | null;
  closure_bytes: number | null;
  run_id: string | null;
  run_commit: string | null;
  run_dirty: number | null;
  run_host: string | null;
  current: number;
  running: number;
  booted: number;
}

const SELECT = `
  SELECT g.id, g.number, g.store_path, g.present, g.created_at, g.kind, g.nixos_version,
    g.kernel_version, g.configuration_revision, g.closure_bytes, g.run_id,
    r.commit_id AS run_commit, r.dirty AS run_dirty, r.host AS run_host,
    g.id IS t.current_generation_id AS current, g.id IS t.running_generation_id AS running,
    g.id IS t.booted_generation_id AS booted
  FROM generations g JOIN targets t ON t.id = g.target_id LEFT JOIN runs r ON r.id = g.run_id`;

/** A generation as the CLI and the UI show it; the run that built it wins over what the store says. */
function toGeneration(row: GenerationRow): Generation {
  const fromStore = splitRevision(row.configuration_revision);
  return {
    number: row.number,
    storePath: row.store_path,
    current: row.current === 1,
    running: row.running === 1,
    booted: row.booted === 1,
    present: row.present === 1,
    createdAt: row.created_at,
    commit: row.run_commit ?? fromStore.commit,
    dirty: row.run_dirty !== null ? row.run_dirty === 1 : fromStore.dirty,
    runId: row.run_id,
    nixosVersion: row.nixos_version,
    closureBytes: row.closure_bytes,
    kind: row.kind,
    kernelVersion: row.kernel_version,
    host: row.run_host ?? hostFromStoreName(row.store_path),
  };
}

export interface ListOptions {
  /** Newest first (the timeline) or oldest first (`nix-env --list-generations` order). */
  order?: 'newest' | 'oldest';
  limit?: number;
  offset?: number;
}

/** The profile's generations from the ledger, deleted ones included (present: false). */
export function listGenerations(
  ledger: Ledger,
  target: number,
  options: ListOptions = {},
): Generation[] {
  const direction = options.order === 'newest' ? 'DESC' : 'ASC';
  return (
    ledger.db
      .prepare(
        `${SELECT} WHERE g.target_id = ? ORDER BY g.number ${direction}, g.id ${direction} LIMIT ? OFFSET ?`,
      )
      .all(target, options.limit ?? -1, options.offset ?? 0) as GenerationRow[]
  ).map(toGeneration);
}

/**
 * Generation `number` of a profile as it is now: the present one when Nix reused the number
 * after a deletion, else the newest record of it.
 */
export function findGeneration(ledger: Ledger, target: number, number: number): Generation | null {
  const row = ledger.db
    .prepare(
      `${SELECT} WHERE g.target_id = ? AND g.number = ? ORDER BY g.present DESC, g.id DESC LIMIT 1`,
    )
    .get(target, number) as GenerationRow | undefined;
  return row ? toGeneration(row) : null;
}

/** The generation the profile points at now, as of the last reconcile. */
export function currentGeneration(ledger: Ledger, target: number): Generation | null {
  const row = ledger.db
    .prepare(`${SELECT} WHERE g.target_id = ? AND g.id IS t.current_generation_id`)
    .get(target) as GenerationRow | undefined;
  return row ? toGeneration(row) : null;
}

/** The row id of one generation, for recording what happened to it. */
export function generationId(
  ledger: Ledger,
  target: number,
  generation: Generation,
): number | null {
  const row = ledger.db
    .prepare('SELECT id FROM generations WHERE target_id = ? AND number = ? AND store_path = ?')
    .get(target, generation.number, generation.storePath) as { id: number } | undefined;
  return row?.id ?? null;
}
