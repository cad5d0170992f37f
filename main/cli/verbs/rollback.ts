import fs from 'node:fs';
import path from 'node:path';
import { formatChanges } from '../../../common/changes-text';
import { inputDifferences } from '../../../common/flake-inputs';
import type { RollbackAction, RollbackPlan } from '../../../common/generations';
import { rollbackWhen } from '../../../common/rollback-verb';
import { shellCommand, shellWord } from '../../../common/shell-word';
import { recordedRepoPath } from '../../core/ledger/repo-paths';
import { planRollback, requireSpecialisation } from '../../core/ledger/rollback-plan';
import { branchCommit, rollbackBranch } from '../../core/ledger/rollback-repo';
import { startRollback } from '../../core/ledger/rollback-run';
import { resolveDataDir } from '../../core/platform/data-dir';
import { stringFlag, usageFailure, type VerbContext } from '../context';
import { ask, followRun, reportRunFailure } from '../follow-run';
import { inputsSection } from '../format-generations';
import { generationNumber, profileOptions, withLedger } from '../profile';
import { withChoiceCommands } from '../rollback-choices';
import { specialisationFlag } from '../specialisation-flags';

/** Whether the plan stays in the specialisation running now, as it does unless told otherwise. */
function staying(plan: RollbackPlan): boolean {
  return Boolean(plan.specialisation) && plan.specialisation === plan.from?.runningSpecialisation;
}

/** Which systems "what will change" compares: a specialisation's own, when it is activated. */
function compared(plan: RollbackPlan, told: boolean): string[] {
  if (!plan.specialisation) return [];
  const stays = staying(plan)
    ? `, which runs now and stays${told ? '' : ' (--no-specialisation activates the base configuration)'}`
    : '';
  return [`What will change in specialisation ${plan.specialisation}${stays}:`];
}

/** The plan before the run; its warnings come from the run itself, so they are in its log too. */
function describe(plan: RollbackPlan, told: boolean): string {
  const from = plan.from ? `generation ${plan.from.number}` : 'the current system';
  const lines = [
    plan.action === 'test'
      ? `Try generation ${plan.to.number} of ${plan.profile} until the next reboot, in place of ${from}; the profile and the boot default stay:`
      : `Roll back ${plan.profile} from ${from} to generation ${plan.to.number}${plan.action === 'boot' ? ' on the next boot' : ''}:`,
    ...compared(plan, told),
    formatChanges(plan.changes),
    ...inputsSection(plan.from ? inputDifferences(plan.from, plan.to, true) : []),
    'Commands:',
    ...plan.commands.map((argv) => `  ${shellCommand(argv)}`),
  ];
  return lines.join('\n');
}

/**
 * The git command that puts the repo at `commit`, so the next rebuild keeps the rollback: on the
 * rollback's branch, made now, or already there from an earlier rollback to this generation.
 * A branch of that name at another commit is the user's now, so the repo goes there detached.
 */
async function keepCommand(repo: string, branch: string, commit: string): Promise<string> {
  const existing = await branchCommit(repo, branch);
  const target = commit.slice(0, 12);
  const words =
    existing === null
      ? ['switch', '-c', branch, target]
      : existing.startsWith(commit)
        ? ['switch', branch]
        : ['switch', '--detach', target];
  return shellCommand(['git', '-C', repo, ...words]);
}

/** --boot or --test, which exclude each other; switch without either. */
function rollbackAction(ctx: VerbContext): RollbackAction {
  if (ctx.flags.boot && (ctx.flags.specialisation || ctx.flags['no-specialisation'])) {
    const flag = ctx.flags.specialisation ? '--specialisation' : '--no-specialisation';
    throw usageFailure(
      `${flag} chooses what runs now, and --boot runs nothing: it makes the generation the boot default, whose menu lists every specialisation.`,
      `Leave out ${flag}, or roll back without --boot.`,
    );
  }
  if (ctx.flags.boot && ctx.flags.test) {
    throw usageFailure(
      '--boot and --test exclude each other: --boot makes the generation the boot default without running it, --test runs it until the next reboot without making it the boot default.',
      'Pass one of them.',
    );
  }
  if (ctx.flags.test && ctx.flags['move-repo']) {
    throw usageFailure(
      '--move-repo keeps a rollback for the next rebuild, and --test lasts only until the next reboot.',
      'Leave out --move-repo, or roll back without --test.',
    );
  }
  return ctx.flags.boot ? 'boot' : ctx.flags.test ? 'test' : 'switch';
}

/** What the run did, said once it succeeded. */
function succeeded(plan: RollbackPlan, runId: string): string {
  if (plan.action === 'boot') {
    return `Generation ${plan.to.number} is the boot default (run ${runId}).`;
  }
  if (plan.action === 'test') {
    return `Generation ${plan.to.number} runs ${rollbackWhen('test')}; the profile and the boot default did not change (run ${runId}).`;
  }
  const within = plan.specialisation ? `, in its specialisation ${plan.specialisation}` : '';
  return `Generation ${plan.to.number} is active${within} (run ${runId}).`;
}

/**
 * `nixstrap rollback`: plan, show what will change, ask (unless --yes), then run the steps in
 * a pty through the rebuild's runner, recorded like a rebuild.
 */
export async function run(ctx: VerbContext): Promise<number> {
  const flagTo = stringFlag(ctx, 'to');
  // A mistyped number is a usage error whether or not a terminal could answer the question.
  const to = flagTo === undefined ? undefined : generationNumber(flagTo, '--to');
  const action = rollbackAction(ctx);
  const specialisation = specialisationFlag(ctx);
  const yes = ctx.flags.yes === true;
  if (!yes && !process.stdin.isTTY) {
    throw usageFailure(
      '`nixstrap rollback` asks before it changes anything, and there is no terminal to answer in.',
      'Pass --yes to roll back without asking.',
    );
  }
  const options = profileOptions(ctx);
  const repo = stringFlag(ctx, 'repo');
  if (ctx.flags['move-repo'] && !repo) {
    throw usageFailure(
      '--move-repo needs --repo DIR, the repo to move.',
      `Usage: ${ctx.spec.usage}`,
    );
  }
  const planned = (chosen: string | null | undefined) =>
    withLedger(ctx, (ledger) =>
      planRollback(ledger, {
        ...options,
        ...(to !== undefined ? { to } : {}),
        action,
        repo: repo ?? null,
        ...(chosen !== undefined ? { specialisation: chosen } : {}),
      }),
    ).catch((error: unknown) => {
      throw withChoiceCommands(error, ctx.flags);
    });
  let plan = await planned(specialisation);
  requireSpecialisation(plan.to, specialisation);
  // Staying in the running specialisation is the default; on a terminal, the user says.
  let told = specialisation !== undefined || yes;
  if (!told && staying(plan)) {
    told = true;
    const name = plan.specialisation as string;
    const stay = await ask(
      `Specialisation ${name} runs now, and generation ${plan.to.number} has it too. Stay in specialisation ${name}?`,
      'yes',
    );
    if (!stay) plan = await planned(null);
  }
  // The plan looks the commit up in the repo the build recorded: a --repo naming another one
  // would be silently passed over, and --move-repo would move a repo the user did not name.
  if (repo && plan.repo && recordedRepoPath(plan.repo) !== recordedRepoPath(repo)) {
    // A recorded folder that is gone cannot be the answer: the repo was moved or deleted.
    if (!fs.existsSync(plan.repo)) {
      throw usageFailure(
        `Generation ${plan.to.number} was built from commit ${plan.to.commit?.slice(0, 12)} in ${plan.repo}, which no longer exists, and ${path.resolve(repo)} does not hold that commit, so --repo names another repository.`,
        'Pass --repo with the folder the repo was moved to, or leave --repo out.',
      );
    }
    throw usageFailure(
      `Generation ${plan.to.number} was built from ${plan.repo}, not from ${path.resolve(repo)}, so --repo names another repository.`,
      `Pass --repo ${shellWord(plan.repo)}, or leave --repo out.`,
    );
  }
  const moveRepo = ctx.flags['move-repo'] === true;
  // A repo left where it is builds its own commit again at the next rebuild; a test does not
  // outlast the next reboot, so that rebuild has nothing of it to undo.
  const ahead = moveRepo || action === 'test' ? null : plan.repoAhead;
  const branch = rollbackBranch(plan.to.number);
  const target = plan.to.commit?.slice(0, 12) ?? '';
  if (!ctx.flags.json) {
    ctx.io.out(describe(plan, told));
    if (ahead && plan.repo) {
      // --move-repo leaves the repo alone when the branch is already taken by another commit.
      const taken = await branchCommit(plan.repo, branch);
      const remedy =
        taken === null || taken.startsWith(plan.to.commit ?? '')
          ? `Add --repo ${shellWord(plan.repo)} --move-repo to put it on a new branch ${branch} at ${target}.`
          : `The branch ${branch} is at another commit already, so move the repo by hand after the rollback.`;
      ctx.io.out(
        `The repo ${plan.repo} stays at ${ahead.slice(0, 12)}, not at ${target}, the commit generation ${plan.to.number} was built from. ${remedy}`,
      );
    }
  }
  const rollback = await startRollback({
    dataDir: resolveDataDir(stringFlag(ctx, 'data-dir')),
    plan,
    confirm: yes ? 'yes' : 'ask',
    runDir: options.runDir ?? null,
    moveRepo,
    unattended: !process.stdin.isTTY,
  });
  const result = await followRun(ctx, rollback);
  if (!ctx.flags.json) {
    ctx.io.out(
      result.status === 'succeeded'
        ? succeeded(plan, result.runId)
        : `The rollback ${result.status === 'cancelled' ? 'was cancelled' : result.status} (run ${result.runId}).`,
    );
    if (result.status === 'succeeded' && ahead && plan.repo) {
      ctx.io.out(
        `The next rebuild from ${plan.repo} builds ${ahead.slice(0, 12)} again and undoes this. To build generation ${plan.to.number}'s configuration instead: ${await keepCommand(plan.repo, branch, plan.to.commit ?? '')}`,
      );
    }
  }
  reportRunFailure(ctx, result, 'ROLLBACK_FAILED');
  return result.status === 'succeeded' ? 0 : 1;
}
