import type { Journey } from '../../../common/plan';
import { expandUserPath } from '../../core/platform';
import { journeyFor } from '../../core/repo';
import { readAnswers } from '../answers-file';
import { print, requiredFlag, usageFailure, type VerbContext } from '../context';
import { call, openApi } from '../engine';
import { formatPlan } from '../format';
import { previousAnswersFor, previousAnswersLine } from '../previous-answers';

/** `--init` / `--add-host` when given, else what the repo folder implies for this host. */
async function planJourney(ctx: VerbContext, repo: string, answers: unknown): Promise<Journey> {
  if (ctx.flags.init && ctx.flags['add-host']) {
    throw usageFailure(
      'Choose one of --init and --add-host.',
      'Without either, plan picks the journey from the repo folder.',
    );
  }
  if (ctx.flags.init) return 'init';
  if (ctx.flags['add-host']) return 'add-host';
  const hostName = (answers as { hostName?: unknown } | null)?.hostName;
  return journeyFor(expandUserPath(repo), typeof hostName === 'string' ? hostName : '');
}

export async function run(ctx: VerbContext): Promise<number> {
  const repo = requiredFlag(ctx, 'repo');
  const answers = readAnswers(requiredFlag(ctx, 'answers'));
  const api = openApi(ctx);
  const plan = await call(ctx, api, 'plan.compute', {
    journey: await planJourney(ctx, repo, answers),
    repo,
    answers,
  });
  print(ctx, plan, () => formatPlan(plan, true));
  const previous = await previousAnswersFor(api, plan, repo, answers);
  if (previous) ctx.io.err(previousAnswersLine(plan, previous));
  return 0;
}
