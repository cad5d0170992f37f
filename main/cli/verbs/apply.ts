import { readAnswers } from '../answers-file';
import { print, requiredFlag, type VerbContext } from '../context';
import { call, openApi } from '../engine';
import { formatApply } from '../format';
import { previousAnswersFor, previousAnswersLine } from '../previous-answers';

/**
 * `init` and `add-host`: the verb names the journey; the plan is made and written as made.
 * `--force` takes Nixstrap's version of every file changed by hand (git keeps the user's).
 */
export async function run(ctx: VerbContext): Promise<number> {
  const api = openApi(ctx);
  const request = {
    journey: ctx.verb === 'init' ? ('init' as const) : ('add-host' as const),
    repo: requiredFlag(ctx, 'repo'),
    answers: readAnswers(requiredFlag(ctx, 'answers')),
  };
  const plan = await call(ctx, api, 'plan.compute', request);
  // Asked before the write, which makes these answers the host's newest.
  const previous = await previousAnswersFor(api, plan, request.repo, request.answers);
  const conflicts = plan.files.filter((f) => f.action === 'conflict').map((f) => f.path);
  const resolutions = ctx.flags.force
    ? Object.fromEntries(conflicts.map((path) => [path, 'take' as const]))
    : {};
  const result = await call(ctx, api, 'plan.apply', { ...request, planId: plan.id, resolutions });
  print(ctx, result, () => formatApply(result));
  if (previous) ctx.io.err(previousAnswersLine(plan, previous));
  return 0;
}
