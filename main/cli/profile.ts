import path from 'node:path';
import { type Ledger, openLedger } from '../core/ledger/database';
import { SYSTEM_PROFILE } from '../core/ledger/profile-links';
import type { ReconcileOptions } from '../core/ledger/reconcile';
import { resolveDataDir } from '../core/platform/data-dir';
import { stringFlag, usageFailure, type VerbContext } from './context';

/**
 * The profile a generation verb works on (`--profile`, else the system profile) and the folder
 * of current-system and booted-system: `/run`, or NIXSTRAP_RUN_DIR where a test stands in.
 */
export function profileOptions(ctx: VerbContext): ReconcileOptions {
  return {
    profile: path.resolve(stringFlag(ctx, 'profile') ?? SYSTEM_PROFILE),
    runDir: process.env.NIXSTRAP_RUN_DIR || '/run',
  };
}

/** The ledger for the verb's data dir, open for `use`. */
export async function withLedger<T>(
  ctx: VerbContext,
  use: (ledger: Ledger) => Promise<T>,
): Promise<T> {
  const ledger = openLedger(resolveDataDir(stringFlag(ctx, 'data-dir')));
  try {
    return await use(ledger);
  } finally {
    ledger.close();
  }
}

/** A generation number as `nix-env --list-generations` prints it: plain decimal digits. */
export function generationNumber(text: string, what: string): number {
  if (!/^[1-9]\d{0,8}$/.test(text)) {
    throw usageFailure(
      `${what} must be a generation number such as 41, not ${JSON.stringify(text)}.`,
      'Run `nixstrap generations` to see the numbers.',
    );
  }
  return Number(text);
}
