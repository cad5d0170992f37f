import { listGenerations, listGenerationsJson } from '../../core/ledger/generations';
import { reconcileProfile } from '../../core/ledger/reconcile';
import type { VerbContext } from '../context';
import { formatGenerations } from '../format-generations';
import { profileOptions, withLedger } from '../profile';

/**
 * `nixstrap generations`: reconcile, then list. It loads the ledger and the profile reader
 * only (no schemas, no git, no pty), and `--json` comes straight from SQLite, one generation
 * a line, so it answers about as fast as `nix-env --list-generations`.
 */
export async function run(ctx: VerbContext): Promise<number> {
  const output = await withLedger(ctx, async (ledger) => {
    const { targetId } = await reconcileProfile(ledger, profileOptions(ctx));
    return ctx.flags.json
      ? listGenerationsJson(ledger, targetId)
      : formatGenerations(listGenerations(ledger, targetId));
  });
  ctx.io.out(output);
  return 0;
}
