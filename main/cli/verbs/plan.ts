import { AnswersSchema, type PreviousAnswers } from '../../../common/answers';
import type { Journey, Plan } from '../../../common/plan';
import { updatesExistingHost } from '../../../common/plan-host';
import { shellCommand } from '../../../common/shell-word';
import { expandUserPath } from '../../core/platform';
import { journeyFor } from '../../core/repo';
import { readAnswers } from '../answers-file';
import { print, requiredFlag, usageFailure, type VerbContext } from '../context';
import { call, openApi } from '../engine';
import { formatPlan } from '../format';

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

/** The one line that says the host was written with other answers, and how to get them back. */
function previousAnswersLine(plan: Plan, previous: PreviousAnswers): string {
  const when = previous.recordedAt.replace('T', ' ').replace(/(:\d\d)?\.\d+Z$/, ' UTC');
  const command = shellCommand([
    'nixstrap',
    'answers',
    '--repo',
    plan.repo,
    '--host',
    plan.hostName,
  ]);
  return `nixstrap: host ${plan.hostName} was last ${previous.source === 'write' ? 'written' : 'built'} with other answers (${when}): ${previous.changes.join(', ')}. \`${command}\` prints them as an answers file.`;
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
  if (updatesExistingHost(plan)) {
    // Told on stderr, so --json stays the plan; a ledger that cannot be read has nothing to tell.
    const current = AnswersSchema.parse(answers);
    const previous = await api.invoke('answers.previous', { repo, answers: current });
    if (previous.ok && previous.value) ctx.io.err(previousAnswersLine(plan, previous.value));
  }
  return 0;
}
