import { formatChanges } from '../../../common/changes-text';
import { inputDifferences } from '../../../common/flake-inputs';
import { compareGenerations, generationHistory } from '../../core/ledger/history';
import { generationInUse } from '../../core/ledger/rollback-plan';
import { usageFailure, type VerbContext } from '../context';
import { inputsSection } from '../format-generations';
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
  const { comparison, inUse } = await withLedger(ctx, async (ledger) => {
    const compared = await compareGenerations(ledger, profileOptions(ctx), from, to);
    const { generations } = await generationHistory(ledger, profileOptions(ctx));
    return { comparison: compared, inUse: generationInUse(generations)?.number ?? null };
  });
  const differences = inputDifferences(comparison.from, comparison.to, inUse === from);
  ctx.io.out(
    ctx.flags.json
      ? JSON.stringify(comparison, null, 2)
      : [
          `Generation ${from} → ${to}`,
          formatChanges(comparison.changes),
          ...inputsSection(differences),
        ].join('\n'),
  );
  return 0;
}
