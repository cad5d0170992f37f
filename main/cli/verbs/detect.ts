import type { VerbContext } from '../context';
import { print } from '../context';
import { call, openApi } from '../engine';
import { formatFacts } from '../format';

export async function run(ctx: VerbContext): Promise<number> {
  const facts = await call(ctx, openApi(ctx), 'facts.detect', {});
  print(ctx, facts, () => formatFacts(facts));
  return 0;
}
