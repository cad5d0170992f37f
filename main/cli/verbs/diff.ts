import { formatChanges } from '../../../common/changes-text';
import { compareGenerations } from '../../core/ledger/history';
import { usageFailure, type VerbContext } from '../context';
import { generationNumber, profileOptions, withLedger } from '../profile';

/** `nixstrap diff A B`: what moving from generation A to B changes, read from the store. */
export async function run(ctx: VerbContext): Promise<number> {
  const [a, b] = ctx.words;
  if (a === undefined || b === undefined) {
    throw usageFailure(
      '`nixstrap diff` compares two generations: give both numbers.',
      `Usage: ${ctx.spec.usage}`,
    );
  }
  const from = generationNumber(a, 'A');
  const to = generationNumber(b, 'B');
  const comparison = await withLedger(ctx, (ledger) =>
    compareGenerations(ledger, profileOptions(ctx), from, to),
  );
  ctx.io.out(
    ctx.flags.json
      ? JSON.stringify(comparison, null, 2)
      : `Generation ${from} → ${to}\n${formatChanges(comparison.changes)}`,
  );
  return 0;
}
