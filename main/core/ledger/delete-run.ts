import { formatBytes } from '../../../common/bytes';
import type { DeletePlan } from '../../../common/generations';
import { type RebuildRun, type RunSession, startRecordedRun } from '../rebuild';
import { openLedger } from './database';
import { reconcileProfile } from './reconcile';

export interface DeleteRunOptions {
  dataDir: string;
  plan: DeletePlan;
  /** `ask` waits for the user's answer to the confirm event; `yes` goes ahead. */
  confirm: 'ask' | 'yes';
  /** The folder of current-system and booted-system, as for reconcile. */
  runDir?: string | null;
  env?: NodeJS.ProcessEnv;
  cols?: number;
  rows?: number;
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

/**
 * What is said once the links are gone: nothing was collected, so the store still holds them
 * until a garbage collection, and how much that frees at most where the store told us.
 */
export function garbageSentence(plan: DeletePlan): string {
  const size =
    plan.freedBytes === null
      ? ''
      : ` (up to ${formatBytes(plan.freedBytes)} that no kept generation shares)`;
  return `Their store paths stay until a garbage collection: \`nix-collect-garbage\` (or \`nix-store --gc\`) frees the space${size}.`;
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
  session.phase('set-profile', 'started');
  const removed = await session.step({ argv: remove });
  session.phase('set-profile', removed.exitCode === 0 ? 'succeeded' : 'failed', removed.exitCode);
  await reconcile(options);
  if (removed.exitCode !== 0) {
    return {
      status: session.cancelled ? ('cancelled' as const) : ('failed' as const),
      exitCode: removed.exitCode,
      explanation: {
        kind: 'set-profile-failed',
        message: `Deleting generation(s) ${numbers(plan)} failed (exit ${removed.exitCode}).`,
        hint: 'Read the message above; deleting from a system profile needs root (sudo asks in this terminal).',
        logTail: removed.lines.slice(-20),
      },
    };
  }
  session.say(`Deleted generation(s) ${numbers(plan)}.`);
  if (bootMenu) {
    session.say(`Making the boot menu again from generation ${plan.current?.number}.`);
    session.phase('activate', 'started');
    const made = await session.step({ argv: bootMenu });
    session.phase('activate', made.exitCode === 0 ? 'succeeded' : 'failed', made.exitCode);
    if (made.exitCode !== 0) {
      return {
        status: 'failed' as const,
        exitCode: made.exitCode,
        explanation: {
          kind: 'activation-failed',
          message: `Generation(s) ${numbers(plan)} were deleted, but making the boot menu again failed (exit ${made.exitCode}), so it may still list them.`,
          hint: `Read the log above, then run \`sudo ${plan.current?.storePath}/bin/switch-to-configuration boot\` again.`,
          logTail: made.lines.slice(-20),
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
export function startDelete(options: DeleteRunOptions): Promise<RebuildRun> {
  const { plan } = options;
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
    },
    (session) => deleteBody(options, session),
  );
}
