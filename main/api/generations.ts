import { NixstrapFailure } from '../../common/failure';
import {
  type AutoRevert,
  leavesGenerationActive,
  type RevertAction,
  type RollbackAction,
} from '../../common/generations';
import type { ReconcileOptions } from '../core/ledger';
import type { KeepWatch } from '../core/ledger/keep-watch';
import type { RebuildRun } from '../core/rebuild';
import type { ApiContext, Handlers } from './handlers';

type GenerationHandlers = Pick<
  Handlers,
  | 'generations.list'
  | 'generations.diff'
  | 'generations.commit'
  | 'generations.plan'
  | 'generations.rollback'
  | 'generations.planDelete'
  | 'generations.delete'
  | 'generations.pending'
  | 'generations.keep'
>;

/** The ledger and the rollback load on first use, like every other part of the engine. */
const engine = {
  ledger: () => import('../core/ledger'),
  commit: () => import('../core/ledger/commit-check'),
  plan: () => import('../core/ledger/rollback-plan'),
  run: () => import('../core/ledger/rollback-run'),
  planDelete: () => import('../core/ledger/delete-plan'),
  runDelete: () => import('../core/ledger/delete-run'),
  keep: () => import('../core/ledger/keep-watch'),
  guard: () => import('../core/rebuild/keep-guard'),
};

/**
 * The profile a request means, and where the running and booted systems are linked (`/run`;
 * NIXSTRAP_RUN_DIR where a test stands in for it).
 */
function target(ctx: ApiContext, profile: string | undefined, userPath: (p: string) => string) {
  return async (): Promise<ReconcileOptions> => ({
    profile: userPath(profile ?? ctx.profile ?? (await engine.ledger()).SYSTEM_PROFILE),
    runDir: process.env.NIXSTRAP_RUN_DIR || '/run',
  });
}

async function withLedger<T>(
  ctx: ApiContext,
  use: (ledger: import('../core/ledger').Ledger) => Promise<T>,
): Promise<T> {
  const ledger = (await engine.ledger()).openLedger(ctx.dataDir);
  try {
    return await use(ledger);
  } finally {
    ledger.close();
  }
}

/**
 * The generations channels. The process that owns the runs also owns the "Keep this
 * configuration?" trials: one watch per API, so a trial's timer lives as long as the shell,
 * and the first look at generations takes up the trials of a shell that died.
 */
export function generationHandlers(
  ctx: ApiContext,
  userPath: (p: string) => string,
): GenerationHandlers & {
  /** The seconds a configuration switched to from the app waits to be kept. */
  keepSeconds(): Promise<number>;
  /** This shell's keep watch, whose own trials the runs it starts may move. */
  keepWatcher(): Promise<string>;
  /** Puts a switch started from the app on trial once it succeeds (the rebuild's channel calls it). */
  trialAfterSwitch(
    run: RebuildRun,
    profile: string,
    previous: number,
    seconds: number,
    revertSpecialisation: string | null,
  ): void;
} {
  let watch: KeepWatch | null = null;
  /** The last revert of each profile made by this shell's watch. */
  const lastReverts = new Map<string, AutoRevert>();
  const keepWatch = async (): Promise<KeepWatch> => {
    if (watch) return watch;
    watch = (await engine.keep()).createKeepWatch({
      dataDir: ctx.dataDir,
      runDir: process.env.NIXSTRAP_RUN_DIR || '/run',
      shell: ctx.shell,
      onRevert: (run, pending, byGuard) =>
        lastReverts.set(pending.profile, {
          runId: run.id,
          generation: pending.generation,
          revertTo: pending.revertTo,
          ...(byGuard ? { byGuard: true as const } : {}),
        }),
    });
    // Trials left by a Nixstrap that died are watched here from now on.
    await watch.adopt(await defaultSeconds());
    return watch;
  };
  const trial = (
    run: RebuildRun,
    profile: string,
    revertTo: number,
    seconds: number,
    revertAction: RevertAction = 'switch',
    revertSpecialisation: string | null = null,
  ) => {
    if (seconds <= 0) return;
    run.done.then(async (result) => {
      if (!leavesGenerationActive(result) || result.generation === null) {
        // Nothing is on trial, so the guard the activation may have started has nothing to do.
        (await engine.guard()).endGuard(ctx.dataDir, run.id, 'cancel');
        return;
      }
      (await keepWatch()).arm({
        profile,
        runId: run.id,
        generation: result.generation,
        revertTo,
        revertAction,
        revertSpecialisation,
        seconds,
      });
    });
  };
  const defaultSeconds = async () => ctx.keepSeconds ?? (await engine.keep()).DEFAULT_KEEP_SECONDS;
  /** A rollback's plan as asked; a specialisation named that the generation lacks is refused. */
  const planned = (
    options: ReconcileOptions,
    request: {
      to?: number;
      action: RollbackAction;
      repo?: string | undefined;
      specialisation?: string | null | undefined;
    },
  ) =>
    withLedger(ctx, async (ledger) => {
      const { planRollback, requireSpecialisation } = await engine.plan();
      const { specialisation, repo, ...rest } = request;
      const plan = await planRollback(ledger, {
        ...options,
        ...rest,
        repo: repo ? userPath(repo) : null,
        ...(specialisation !== undefined ? { specialisation } : {}),
      });
      requireSpecialisation(plan.to, specialisation);
      return plan;
    });

  return {
    'generations.list': async ({ profile }) => {
      const options = await target(ctx, profile, userPath)();
      return withLedger(ctx, async (ledger) => {
        const { report, generations } = await (await engine.ledger()).generationHistory(
          ledger,
          options,
          { order: 'newest' },
        );
        const pending =
          (await keepWatch()).pending().find((p) => p.profile === options.profile) ?? null;
        return {
          profile: options.profile,
          kind: report.kind,
          generations,
          pending,
          reverted: lastReverts.get(options.profile) ?? null,
          notices: (await engine.ledger()).takeLedgerNotices(ctx.dataDir),
        };
      });
    },
    'generations.diff': async ({ profile, from, to }) => {
      const options = await target(ctx, profile, userPath)();
      return withLedger(ctx, async (ledger) =>
        (await engine.ledger()).compareGenerations(ledger, options, from, to),
      );
    },
    'generations.commit': async ({ profile, number, repo }) => {
      const options = await target(ctx, profile, userPath)();
      return withLedger(ctx, async (ledger) =>
        (await engine.commit()).checkGenerationCommit(
          ledger,
          options,
          number,
          repo ? userPath(repo) : null,
        ),
      );
    },
    'generations.plan': async ({ profile, to, ...request }) => {
      const options = await target(ctx, profile, userPath)();
      return planned(options, { ...(to !== undefined ? { to } : {}), ...request });
    },
    'generations.rollback': async ({
      profile,
      to,
      action,
      repo,
      moveRepo,
      keepSeconds,
      specialisation,
    }) => {
      const options = await target(ctx, profile, userPath)();
      const plan = await planned(options, { to, action, repo, specialisation });
      // A boot default changes nothing running, so there is nothing to keep; a try until the
      // next reboot is kept or undone as a switch is, and undone by trying what ran before.
      const seconds =
        action !== 'boot' && plan.from ? (keepSeconds ?? (await defaultSeconds())) : 0;
      // The user confirmed this plan on screen; the run does not ask again.
      const run = await (await engine.run()).startRollback({
        dataDir: ctx.dataDir,
        plan,
        confirm: 'yes',
        runDir: options.runDir ?? null,
        moveRepo,
        keepWatcher: (await keepWatch()).id,
        ...(seconds > 0 ? { keepSeconds: seconds } : {}),
      });
      if (action !== 'boot' && plan.from) {
        (await keepWatch()).cancel(options.profile);
        trial(
          run,
          options.profile,
          plan.from.number,
          seconds,
          action === 'test' ? 'test' : 'switch',
          plan.from.runningSpecialisation,
        );
      }
      return { runId: run.id };
    },
    'generations.planDelete': async ({ profile, numbers, keep }) => {
      const options = await target(ctx, profile, userPath)();
      return withLedger(ctx, async (ledger) =>
        (await engine.planDelete()).planDelete(ledger, { ...options, numbers, keep }),
      );
    },
    'generations.delete': async ({ profile, numbers, keep }) => {
      const options = await target(ctx, profile, userPath)();
      const plan = await withLedger(ctx, async (ledger) =>
        (await engine.planDelete()).planDelete(ledger, { ...options, numbers, keep }),
      );
      if (plan.delete.length === 0) {
        throw new NixstrapFailure(
          'INVALID_REQUEST',
          'There is nothing to delete: every generation left is among the newest kept, or is the current, running or booted one.',
          'Keep fewer generations, or choose another one from the list.',
        );
      }
      // The user confirmed this list on screen; the run does not ask again.
      const run = await (await engine.runDelete()).startDelete({
        dataDir: ctx.dataDir,
        plan,
        confirm: 'yes',
        runDir: options.runDir ?? null,
        keepWatcher: (await keepWatch()).id,
      });
      return { runId: run.id };
    },
    'generations.pending': async () => {
      const pending = await (await keepWatch()).poll(await defaultSeconds());
      const { readProfile } = await engine.ledger();
      // Read from the profile link, not the ledger: this is polled, and listing the generations
      // would take the ledger's one-time notices from the Generations screen.
      const reverted = [...lastReverts.entries()]
        .filter(([profile, r]) => readProfile(profile).current === r.revertTo)
        .map(([profile, r]) => ({ profile, ...r }));
      return { pending, reverted };
    },
    'generations.keep': async ({ profile }) => {
      const options = await target(ctx, profile, userPath)();
      return { kept: await (await keepWatch()).keep(options.profile) };
    },
    keepSeconds: defaultSeconds,
    keepWatcher: async () => (await keepWatch()).id,
    trialAfterSwitch(run, profile, previous, seconds, revertSpecialisation) {
      trial(run, profile, previous, seconds, 'switch', revertSpecialisation);
    },
  };
}
