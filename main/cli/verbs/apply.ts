import { readAnswers } from '../answers-file';
import { print, requiredFlag, type VerbContext } from '../context';
import { call, openApi } from '../engine';
import { formatApply } from '../format';

/** `init` and `add-host`: the verb names the journey, the engine does the rest. */
export async function run(ctx: VerbContext): Promise<number> {
  const result = await call(ctx, openApi(ctx), 'plan.apply', {
    journey: ctx.verb === 'init' ? 'init' : 'add-host',
    repo: requiredFlag(ctx, 'repo'),
    answers: readAnswers(requiredFlag(ctx, 'answers')),
    force: Boolean(ctx.flags.force),
  });
  print(ctx, result, () => formatApply(result));
  return 0;
}
