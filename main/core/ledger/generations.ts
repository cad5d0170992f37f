import fs from 'node:fs';
import type { Generation } from '../../../common/rebuild';
import type { Ledger } from './database';

const bool = (condition: string) => `json(iif(${condition}, 'true', 'false'))`;
const REVISION = 'g.configuration_revision';
const DIRTY_REVISION = `${REVISION} LIKE '%-dirty'`;

/**
 * One generation as a JSON object, in the shape `generations --json` promises, built by
 * SQLite: a listing of thousands costs no JavaScript objects on its way to stdout. The run
 * that built a generation wins over what its store path says (commit, dirty flag, host), and
 * alone says what flake inputs it was built from.
 */
const GENERATION_JSON = `json_object(
    'number', g.number,
    'storePath', g.store_path,
    'current', ${bool('g.id IS t.current_generation_id')},
    'running', ${bool('g.id IS t.running_generation_id')},
    'booted', ${bool('g.id IS t.booted_generation_id')},
    'runningSpecialisation', iif(g.id IS t.running_generation_id, t.running_specialisation, NULL),
    'bootedSpecialisation', iif(g.id IS t.booted_generation_id, t.booted_specialisation, NULL),
    'specialisations', (SELECT json_group_array(key) FROM
      (SELECT s.key FROM json_each(g.specialisations) s ORDER BY s.key)),
    'present', ${bool('g.present')},
    'storePathGone', ${bool('g.present AND store_path_gone(g.store_path)')},
    'createdAt', g.created_at,
    'commit', COALESCE(r.commit_id, iif(${DIRTY_REVISION}, substr(${REVISION}, 1, length(${REVISION}) - 6), ${REVISION})),
    'dirty', CASE WHEN r.dirty IS NOT NULL THEN ${bool('r.dirty')}
      WHEN ${REVISION} IS NULL THEN NULL ELSE ${bool(DIRTY_REVISION)} END,
    'lockWritten', iif(r.lock_written IS NULL, NULL, ${bool('r.lock_written')}),
    'subject', r.commit_subject,
    'branch', r.branch,
    'runId', g.run_id,
    'repo', r.repo,
    'nixosVersion', g.nixos_version,
    'closureBytes', g.closure_bytes,
    'kind', g.kind,
    'kernelVersion', g.kernel_version,
    'host', COALESCE(r.host, g.host),
    'answers', json(a.answers_json),
    'inputs', (SELECT json_group_array(json_object('name', i.name, 'source', i.source,
        'rev', i.rev, 'lastModified', i.last_modified, 'narHash', i.nar_hash) ORDER BY i.name)
      FROM run_inputs i WHERE i.run_id = g.run_id))`;

const withStoreCheck = new WeakSet<Ledger['db']>();

/**
 * Lets the listing ask whether a link's store path is still there: one stat a present
 * generation, inside SQLite's own loop, so the listing still builds no objects of its own.
 */
function storeChecked(ledger: Ledger): Ledger['db'] {
  const { db } = ledger;
  if (!withStoreCheck.has(db)) {
    db.function('store_path_gone', { deterministic: false }, (storePath) =>
      fs.existsSync(String(storePath)) ? 0 : 1,
    );
    withStoreCheck.add(db);
  }
  return db;
}

const FROM = `FROM generations g JOIN targets t ON t.id = g.target_id
  LEFT JOIN runs r ON r.id = g.run_id LEFT JOIN answers_snapshots a ON a.id = r.answers_id`;

export interface ListOptions {
  /** Newest first (the timeline) or oldest first (`nix-env --list-generations` order). */
  order?: 'newest' | 'oldest';
  limit?: number;
  offset?: number;
}

/** The profile's generations as a JSON array, deleted ones included (present: false). */
export function listGenerationsJson(
  ledger: Ledger,
  target: number,
  options: ListOptions = {},
): string {
  const direction = options.order === 'newest' ? 'DESC' : 'ASC';
  const rows = storeChecked(ledger)
    .prepare(
      `SELECT ${GENERATION_JSON} ${FROM} WHERE g.target_id = ?
       ORDER BY g.number ${direction}, g.id ${direction} LIMIT ? OFFSET ?`,
    )
    .pluck()
    .all(target, options.limit ?? -1, options.offset ?? 0) as string[];
  return `[\n${rows.join(',\n')}\n]`;
}

export function listGenerations(
  ledger: Ledger,
  target: number,
  options: ListOptions = {},
): Generation[] {
  return JSON.parse(listGenerationsJson(ledger, target, options)) as Generation[];
}

function one(ledger: Ledger, where: string, ...params: unknown[]): Generation | null {
  const json = storeChecked(ledger)
    .prepare(`SELECT ${GENERATION_JSON} ${FROM} WHERE ${where} LIMIT 1`)
    .pluck()
    .get(...params) as string | undefined;
  return json ? (JSON.parse(json) as Generation) : null;
}

/**
 * Generation `number` of a profile as it is now: the present one when Nix reused the number
 * after a deletion, else the newest record of it.
 */
export function findGeneration(ledger: Ledger, target: number, number: number): Generation | null {
  return one(
    ledger,
    'g.target_id = ? AND g.number = ? ORDER BY g.present DESC, g.id DESC',
    target,
    number,
  );
}

/** The generation the profile points at now, as of the last reconcile. */
export function currentGeneration(ledger: Ledger, target: number): Generation | null {
  return one(ledger, 'g.target_id = ? AND g.id IS t.current_generation_id', target);
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
