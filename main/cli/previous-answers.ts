import { AnswersSchema, type PreviousAnswers } from '../../common/answers';
import type { Plan } from '../../common/plan';
import { updatesExistingHost } from '../../common/plan-host';
import { shellCommand } from '../../common/shell-word';
import type { Api } from '../api';
import { terminalText } from './terminal-text';
import { utcMinute } from './utc-minute';

/**
 * The answers a host coming back was written with, when they are not these: `plan` and
 * `add-host` tell of them. A ledger that cannot be read has nothing to tell, and fails neither.
 */
export async function previousAnswersFor(
  api: Api,
  plan: Plan,
  repo: string,
  answers: unknown,
): Promise<PreviousAnswers | null> {
  if (!updatesExistingHost(plan)) return null;
  const current = AnswersSchema.safeParse(answers);
  if (!current.success) return null;
  const result = await api.invoke('answers.previous', { repo, answers: current.data });
  return result.ok ? result.value : null;
}

/**
 * One line on stderr (stdout stays the plan or the result): what they held, and how to get them.
 * Names and paths in it come from answers files and folders, so it is made safe to print.
 */
export function previousAnswersLine(plan: Plan, previous: PreviousAnswers): string {
  const when = utcMinute(previous.recordedAt);
  const command = shellCommand([
    'nixstrap',
    'answers',
    '--repo',
    plan.repo,
    '--host',
    plan.hostName,
    ...(previous.commit ? ['--commit', previous.commit] : []),
  ]);
  const how = previous.source === 'write' ? 'written' : 'built';
  return terminalText(
    `nixstrap: host ${plan.hostName} was ${how} with other answers on ${when}: ${previous.changes.join(', ')}. \`${command}\` prints them as an answers file.`,
  );
}
