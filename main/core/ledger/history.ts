import fs from 'node:fs';
import { NixstrapFailure } from '../../../common/failure';
import type { ClosureChanges, Generation } from '../../../common/rebuild';
import type { Ledger } from './database';
import { cachedClosureChanges } from './diff';
import { findGeneration, type ListOptions, listGenerations } from './generations';
import { type ReconcileOptions, type ReconcileReport, reconcileProfile } from './reconcile';

/** The profile's generations as the machine has them now: reconcile first, then read the ledger. */
export async function generationHistory(
  ledger: Ledger,
  profile: ReconcileOptions,
  list: ListOptions = {},
): Promise<{ report: ReconcileReport; generations: Generation[] }> {
  const report = await reconcileProfile(ledger, profile);
  return { report, generations: listGenerations(ledger, report.targetId, list) };
}

export function requireGeneration(ledger: Ledger, target: number, number: number): Generation {
  const generation = findGeneration(ledger, target, number);
  if (!generation) {
    throw new NixstrapFailure(
      'GENERATION_NOT_FOUND',
      `There is no generation ${number} in this profile.`,
      'The list of generations shows the numbers it has.',
    );
  }
  return generation;
}

export interface GenerationComparison {
  from: Generation;
  to: Generation;
  changes: ClosureChanges;
}

/** Packages and closure size between generations `a` and `b` of one profile. */
export async function compareGenerations(
  ledger: Ledger,
  profile: ReconcileOptions,
  a: number,
  b: number,
): Promise<GenerationComparison> {
  const { targetId } = await reconcileProfile(ledger, profile);
  const from = requireGeneration(ledger, targetId, a);
  const to = requireGeneration(ledger, targetId, b);
  try {
    return { from, to, changes: await cachedClosureChanges(ledger, from.storePath, to.storePath) };
  } catch (error) {
    throw collected(error, [from, to]);
  }
}

/**
 * A deleted generation's system left the store: once its link went, nothing kept it there, so
 * the garbage collector is what took it. A linked one was removed some other way (by hand, or
 * a profile restored without its store), and the store's own sentence says only that it is gone.
 */
function collected(error: unknown, generations: Generation[]): unknown {
  if (!(error instanceof NixstrapFailure) || error.error.code !== 'STORE_PATH_GONE') return error;
  const deleted = generations.find((g) => !g.present && !fs.existsSync(g.storePath));
  if (!deleted) return error;
  return new NixstrapFailure(
    'STORE_PATH_GONE',
    `Generation ${deleted.number} was deleted and its system, ${deleted.storePath}, garbage-collected since, so its contents cannot be read.`,
    error.error.hint,
  );
}
