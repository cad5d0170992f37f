import { garbageSentence } from '../../../common/delete-words';
import type { DeletePlan } from '../../../common/generations';
import { shellCommand } from '../../../common/shell-word';
import { planDelete } from '../../core/ledger/delete-plan';
import { startDelete } from '../../core/ledger/delete-run';
import { resolveDataDir } from '../../core/platform/data-dir';
import { stringFlag, usageFailure, type VerbContext } from '../context';
import { followRun, reportRunFailure } from '../follow-run';
import { generationNumber, profileOptions, withLedger } from '../profile';

function describe(plan: DeletePlan): string {
  return [
    `Delete generation(s) ${plan.delete.map((g) => g.number).join(', ')} of ${plan.profile}; generation ${plan.current?.number ?? '-'} stays current.`,
    plan.rebuildsBootMenu
      ? 'The boot menu is then made again from the current generation, so it lists none of them.'
      : null,
    'Commands:',
    ...plan.commands.map((argv) => `  ${shellCommand(argv)}`),
  ]
    .filter((line): line is string => line !== null)
    .join('\n');
}

/** The generation numbers, or --keep K: one of the two. */
function request(ctx: VerbContext): { numbers: number[] } | { keep: number } {
  const keep = stringFlag(ctx, 'keep');
  if ((keep === undefined) === (ctx.words.length === 0)) {
    throw usageFailure(
      'Name the generations to delete, or pass --keep K to delete all but the newest K, not both.',
      `Usage: ${ctx.spec.usage}`,
    );
  }
  if (keep === undefined) return { numbers: ctx.words.map((w) => generationNumber(w, 'N')) };
  return { keep: keepCount(keep) };
}

/** --keep K is how many of the newest stay, not a generation's number. */
function keepCount(text: string): number {
  if (!/^[1-9]\d{0,8}$/.test(text)) {
    throw usageFailure(
      `--keep must be how many of the newest generations to keep, 1 or more, not ${JSON.stringify(text)}.`,
      'The current, running and booted generations stay whatever K is: `--keep 1` deletes every other one.',
    );
  }
  return Number(text);
}

/**
 * `nixstrap delete-generations`: plan (refusing the current, running and booted generations),
 * show the commands, ask (unless --yes), then run them in a pty through the rebuild's runner,
 * recorded as a `delete` run. Nothing is garbage-collected.
 */
export async function run(ctx: VerbContext): Promise<number> {
  const chosen = request(ctx);
  const yes = ctx.flags.yes === true;
  if (!yes && !process.stdin.isTTY) {
    throw usageFailure(
      '`nixstrap delete-generations` asks before it deletes anything, and there is no terminal to answer in.',
      'Pass --yes to delete without asking.',
    );
  }
  const options = profileOptions(ctx);
  const plan = await withLedger(ctx, (ledger) => planDelete(ledger, { ...options, ...chosen }));
  if (plan.delete.length === 0) {
    const message = `Nothing to delete: ${plan.profile} holds no generation beyond the newest ${'keep' in chosen ? chosen.keep : 0} besides the current, running and booted ones.`;
    // The shape of a run's last event, as scripts read it; there was no run, so no id.
    const nothing = { type: 'result', status: 'succeeded', runId: null, exitCode: 0, deleted: [] };
    ctx.io.out(ctx.flags.json ? JSON.stringify(nothing) : message);
    return 0;
  }
  if (!ctx.flags.json) ctx.io.out(describe(plan));
  const deletion = await startDelete({
    dataDir: resolveDataDir(stringFlag(ctx, 'data-dir')),
    plan,
    confirm: yes ? 'yes' : 'ask',
    runDir: options.runDir ?? null,
    unattended: !process.stdin.isTTY,
  });
  const result = await followRun(ctx, deletion);
  if (!ctx.flags.json) {
    ctx.io.out(
      result.status === 'succeeded'
        ? `Generation(s) ${plan.delete.map((g) => g.number).join(', ')} deleted${plan.rebuildsBootMenu ? ' and the boot menu made again' : ''} (run ${result.runId}). ${garbageSentence(plan)}`
        : `The deletion ${result.status === 'cancelled' ? 'was cancelled' : result.status} (run ${result.runId}).`,
    );
  }
  reportRunFailure(ctx, result, 'DELETE_FAILED');
  return result.status === 'succeeded' ? 0 : 1;
}
