import { garbageSentence } from '../../../common/delete-words';
import type { DeletePlan } from '../../../common/generations';
import { type RebuildRun, type RunSession, type StepOutcome, startRecordedRun } from '../rebuild';
import { refuseUnansweredSudo, usesSudo } from '../rebuild/unattended';
import { openLedger } from './database';
import { reconcileProfile } from './reconcile';

export interface DeleteRunOptions {
  dataDir: string;
  plan: DeletePlan;
  /** `ask` waits for the user's answer to the confirm event; `yes` goes ahead. */
  confirm: 'ask' | 'yes';
  /** The folder of current-system and booted-system, as for reconcile. */
  runDir?: string | null;
  /** The keep watch of the shell starting the run, whose own trial of the profile it may move. */
  keepWatcher?: string;
  env?: NodeJS.ProcessEnv;
  cols?: number;
  rows?: number;
  /**
   * Nobody can type into the run's terminal (no TTY): a sudo that asks for a password would
   * never be answered, so a run that needs one is refused before it starts.
   */
  unattended?: boolean;
}

function numbers(plan: DeletePlan): string {
  return plan.delete.map((g) => g.number).join(', ');
}

/** The question asked before anything changes: which generations go, and what follows. */
export function deleteQuestion(plan: DeletePlan): string {
  const boot = plan.rebuildsBootMenu
    ? ` The boot menu is then made again from generation ${plan.current?.number}, without them.`
    : '';
  return `Delete generation(s) ${numbers(plan)} of ${plan.profile}?${boot}`;
}

/** A step's end as a shell tells it: a command a signal ended (Ctrl-C) did not succeed. */
function exitStatus(step: StepOutcome): number {
  return step.signal === null ? step.exitCode : 128 + step.signal;
}

async function reconcile(options: DeleteRunOptions): Promise<void> {
  const ledger = openLedger(options.dataDir);
  try {
    await reconcileProfile(ledger, {
      profile: options.plan.profile,
      runDir: options.runDir ?? null,
    });
  } finally {
    ledger.close();
  }
}

async function deleteBody(options: DeleteRunOptions, session: RunSession) {
  const { plan } = options;
  session.phase('confirm', 'started');
  if (!(await session.confirm(deleteQuestion(plan)))) {
    session.phase('confirm', 'failed');
    return { status: 'cancelled' as const, exitCode: null };
  }
  session.phase('confirm', 'succeeded');

  const [remove, bootMenu] = plan.commands as [string[], string[] | undefined];
  session.phase('delete-links', 'started');
  const removal = await session.step({ argv: remove });
  const removed = exitStatus(removal);
  session.phase('delete-links', removed === 0 ? 'succeeded' : 'failed', removed);
  await reconcile(options);
  if (removed !== 0) {
    return {
      status: session.cancelled ? ('cancelled' as const) : ('failed' as const),
      exitCode: removed,
      explanation: {
        kind: 'delete-failed',
        message: `Deleting generation(s) ${numbers(plan)} failed (exit ${removed}).`,
        hint: 'Read the message above; deleting from a system profile needs root (sudo asks in this terminal).',
        logTail: removal.lines.slice(-20),
      },
    };
  }
  session.say(`Deleted generation(s) ${numbers(plan)}.`);
  if (bootMenu) {
    session.say(`Making the boot menu again from generation ${plan.current?.number}.`);
    session.phase('boot-menu', 'started');
    const making = await session.step({ argv: bootMenu });
    const made = exitStatus(making);
    session.phase('boot-menu', made === 0 ? 'succeeded' : 'failed', made);
    if (made !== 0) {
      // Said here, not by the session's cancel: the generations are gone whatever stopped the menu.
      const stopped = session.cancelled ? 'was cancelled' : `failed (exit ${made})`;
      return {
        status: session.cancelled ? ('cancelled' as const) : ('failed' as const),
        exitCode: made,
        explanation: {
          kind: 'boot-menu-failed',
          message: `Generation(s) ${numbers(plan)} were deleted, but making the boot menu again ${stopped}, so it may still list them.`,
          hint: `Read the log above, then run \`sudo ${plan.current?.storePath}/bin/switch-to-configuration boot\` again.`,
          logTail: making.lines.slice(-20),
        },
      };
    }
  }
  session.say(garbageSentence(plan), false);
  return { status: 'succeeded' as const, exitCode: 0 };
}

/**
 * Deletes the planned generations through the rebuild's runner (one terminal, log and lock,
 * sudo answered in the terminal), recorded as a `delete` run; the ledger keeps their history
 * and marks them deleted.
 */
export async function startDelete(options: DeleteRunOptions): Promise<RebuildRun> {
  const { plan } = options;
  if (options.unattended) {
    refuseUnansweredSudo(
      usesSudo(plan.commands),
      '`nixstrap delete-generations`',
      options.env ?? process.env,
    );
  }
  return startRecordedRun(
    {
      dataDir: options.dataDir,
      kind: 'delete',
      action: 'delete',
      argv: [
        'nixstrap',
        'delete-generations',
        ...plan.delete.map((g) => String(g.number)),
        '--profile',
        plan.profile,
      ],
      host: plan.current?.host ?? null,
      profile: plan.profile,
      fromGeneration: plan.current?.number ?? null,
      confirm: options.confirm,
      ...(options.env ? { env: options.env } : {}),
      ...(options.cols ? { cols: options.cols } : {}),
      ...(options.rows ? { rows: options.rows } : {}),
      ...(options.keepWatcher ? { keepWatcher: options.keepWatcher } : {}),
    },
    (session) => deleteBody(options, session),
  );
}
