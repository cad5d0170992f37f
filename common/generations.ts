import { z } from 'zod';
import { ClosureChangesSchema, GenerationSchema, TargetKindSchema } from './rebuild';

/**
 * Now (`switch`), only from the next boot on (`boot`, NixOS only), or now until the next boot
 * (`test`, NixOS only): the profile and the boot default stay, so a reboot undoes it.
 */
export const RollbackActionSchema = z.enum(['switch', 'boot', 'test']);
export type RollbackAction = z.infer<typeof RollbackActionSchema>;

/** Whether the commit a generation was built from is still in its config repo. */
export const CommitCheckSchema = z.strictObject({
  /** The repo the commit was looked up in: the one the build ran in, else the one asked about. */
  repo: z.string().nullable(),
  /** Whether the commit is still there; null when unknown (no commit, no repo, not a git repo). */
  commitInRepo: z.boolean().nullable(),
  /** The sentence to show when the commit or the repo is gone, the same wherever it is shown. */
  warning: z.string().nullable(),
  /**
   * The folder the build recorded no longer exists: the repo was moved or deleted, and naming
   * the folder it was moved to finds the commit there (each shell says how).
   */
  repoFolderGone: z.boolean(),
});
export type CommitCheck = z.infer<typeof CommitCheckSchema>;

/** What a rollback will do, shown before anything changes. */
export const RollbackPlanSchema = z.strictObject({
  profile: z.string(),
  kind: TargetKindSchema,
  action: RollbackActionSchema,
  /** The generation in use now (the running one where known); null on an empty ledger. */
  from: GenerationSchema.nullable(),
  to: GenerationSchema,
  changes: ClosureChangesSchema,
  /** Sentences to read before confirming (the commit is gone, the build was dirty, …). */
  warnings: z.array(z.string()),
  /** The commands the run will execute, in order, as a user would type them. */
  /** The specialisation of `to` to activate (the one that ran of it, for a revert); none: its base. */
  specialisation: z.string().nullable().optional(),
  commands: z.array(z.array(z.string())),
  /** The config repo the target's commit was looked up in, when one was given. */
  repo: z.string().nullable(),
  /** Whether that commit is still in the repo; null when unknown (no commit, no repo). */
  commitInRepo: z.boolean().nullable(),
  /**
   * The commit the repo is on when it is not the target's (the next rebuild from the repo then
   * undoes the rollback); null when it is, or when unknown.
   */
  repoAhead: z.string().nullable(),
});
export type RollbackPlan = z.infer<typeof RollbackPlanSchema>;

/** A trial's run, the generation on trial and the one restored without a confirmation. */
const TrialShape = {
  runId: z.string(),
  generation: z.number().int(),
  revertTo: z.number().int(),
};

/**
 * How a trial goes back: `switch` re-points the profile; `test` (after a generation tried until
 * the next reboot) runs the one that ran before until the next reboot, leaving the profile alone.
 */
export const RevertActionSchema = z.enum(['switch', 'test']);
export type RevertAction = z.infer<typeof RevertActionSchema>;

/** A switch or rollback waiting for "Keep this configuration?" before it reverts by itself. */
export const PendingKeepSchema = z.strictObject({
  profile: z.string(),
  ...TrialShape,
  revertAction: RevertActionSchema,
  /** The specialisation of `revertTo` that ran before the trial, and comes back with it. */
  revertSpecialisation: z.string().optional(),
  deadline: z.string(),
  /** A keep guard (root, apart from Nixstrap) goes back even if Nixstrap stops meanwhile. */
  guarded: z.literal(true).optional(),
  /** Until it is kept, a restart starts `revertTo`: the guard made it the boot default. */
  bootsBack: z.literal(true).optional(),
  /**
   * Asked by another Nixstrap on this machine (the app, a `serve`), which goes back unless it is
   * kept; "Keep it" here keeps it there too.
   */
  elsewhere: z
    .strictObject({
      pid: z.number().int().nullable(),
      shell: z.enum(['electron', 'browser', 'cli']).nullable(),
    })
    .optional(),
});
export type PendingKeep = z.infer<typeof PendingKeepSchema>;

/** Who went back: the keep guard (root, apart from Nixstrap) rather than Nixstrap itself. */
const RevertShape = { ...TrialShape, byGuard: z.literal(true).optional() };

/** A trial that was not kept: the run that went back by itself. */
export const AutoRevertSchema = z.strictObject(RevertShape);
export type AutoRevert = z.infer<typeof AutoRevertSchema>;

/** A revert whose profile still stands where it went back to, with that profile. */
export const StandingRevertSchema = z.strictObject({ profile: z.string(), ...RevertShape });
export type StandingRevert = z.infer<typeof StandingRevertSchema>;

const ProfileRequest = { profile: z.string().min(1).optional() };
const GenerationNumber = z.number().int().positive();
/**
 * The specialisation of the generation to activate; null, its base configuration. Absent: the
 * one running now stays, when the generation has it too.
 */
const RollbackSpecialisation = z.string().min(1).nullable().optional();

/** What deleting generations will do, shown before anything changes. */
export const DeletePlanSchema = z.strictObject({
  profile: z.string(),
  kind: TargetKindSchema.nullable(),
  /** The generations whose links go, oldest first. */
  delete: z.array(GenerationSchema),
  /** The profile's current generation, whose boot menu is made again after a NixOS delete. */
  current: GenerationSchema.nullable(),
  /** True for a NixOS profile: the boot menu is rebuilt so no entry names a deleted generation. */
  rebuildsBootMenu: z.boolean(),
  /**
   * Bytes only the deleted generations' closures hold (none of the kept ones shares them): at
   * most what a garbage collection frees; null when the store could not be asked.
   */
  freedBytes: z.number().nullable(),
  /** The commands the run will execute, in order, as a user would type them. */
  commands: z.array(z.array(z.string())),
});
export type DeletePlan = z.infer<typeof DeletePlanSchema>;

/** Which generations to delete: those numbered, or all but the newest `keep` (one of the two). */
const DeleteRequestSchema = z
  .strictObject({
    ...ProfileRequest,
    numbers: z.array(GenerationNumber).min(1).optional(),
    keep: GenerationNumber.optional(),
  })
  .refine((r) => (r.numbers === undefined) !== (r.keep === undefined), {
    message: 'Name the generations to delete, or how many of the newest to keep, not both.',
  });

/** The generations channels, spread into the API contract. */
export const GENERATION_CHANNELS = {
  /** Reconciles the profile with the ledger and lists it, newest first. */
  'generations.list': {
    request: z.strictObject(ProfileRequest),
    response: z.strictObject({
      profile: z.string(),
      kind: TargetKindSchema.nullable(),
      generations: z.array(GenerationSchema),
      /** A generation on trial, waiting for "Keep this configuration?". */
      pending: PendingKeepSchema.nullable(),
      /** The last trial this shell reverted because nobody kept it. */
      reverted: AutoRevertSchema.nullable(),
      /** Sentences to show once (a damaged ledger moved aside, …). */
      notices: z.array(z.string()),
    }),
  },
  'generations.diff': {
    request: z.strictObject({ ...ProfileRequest, from: GenerationNumber, to: GenerationNumber }),
    response: z.strictObject({
      from: GenerationSchema,
      to: GenerationSchema,
      changes: ClosureChangesSchema,
    }),
  },
  /** Whether generation `number`'s commit is still in its repo (`repo` where none is recorded). */
  'generations.commit': {
    request: z.strictObject({
      ...ProfileRequest,
      number: GenerationNumber,
      repo: z.string().min(1).optional(),
    }),
    response: CommitCheckSchema,
  },
  /** What a rollback would do; nothing changes. */
  'generations.plan': {
    request: z.strictObject({
      ...ProfileRequest,
      to: GenerationNumber.optional(),
      action: RollbackActionSchema.default('switch'),
      repo: z.string().min(1).optional(),
      specialisation: RollbackSpecialisation,
    }),
    response: RollbackPlanSchema,
  },
  /**
   * Rolls back to the generation the user confirmed, as a recorded run (watch it with
   * rebuild.subscribe). After a switch the generation is on trial for `keepSeconds`.
   */
  'generations.rollback': {
    request: z.strictObject({
      ...ProfileRequest,
      to: GenerationNumber,
      action: RollbackActionSchema.default('switch'),
      repo: z.string().min(1).optional(),
      moveRepo: z.boolean().default(false),
      specialisation: RollbackSpecialisation,
      /** Seconds to wait for "Keep it" before reverting; 0 for no trial; the shell's default when absent. */
      keepSeconds: z.number().int().nonnegative().optional(),
    }),
    response: z.strictObject({ runId: z.string() }),
  },
  /**
   * What deleting generations would do: those numbered, or all but the newest `keep`; the
   * current, running and booted ones are refused or left out. Nothing changes.
   */
  'generations.planDelete': {
    request: DeleteRequestSchema,
    response: DeletePlanSchema,
  },
  /**
   * Deletes the generations the user confirmed, as a recorded run (watch it with
   * rebuild.subscribe); on NixOS the boot menu is made again. Nothing is garbage-collected.
   */
  'generations.delete': {
    request: DeleteRequestSchema,
    response: z.strictObject({ runId: z.string() }),
  },
  /** The trials waiting for an answer in this shell, whatever screen is showing; cheap to ask. */
  'generations.pending': {
    request: z.strictObject({}),
    response: z.strictObject({
      pending: z.array(PendingKeepSchema),
      /** Reverts this shell made that still stand, for a page opened after them. */
      reverted: z.array(StandingRevertSchema),
    }),
  },
  /** "Keep this configuration": ends the trial; false when nothing was on trial. */
  'generations.keep': {
    request: z.strictObject(ProfileRequest),
    response: z.strictObject({ kept: z.boolean() }),
  },
} as const;

/**
 * Whether a run leaves its generation active, and so on trial when made from the app: a success,
 * or an activation that switched but reported failures — 2 (an activation snippet failed) or 4
 * (units failed to start), as switch-to-configuration documents. The second case is the one a
 * trial is for: the unit that failed may be sshd, or the network, and only an answer shows the
 * owner still gets in.
 */
export function leavesGenerationActive(result: {
  status: string;
  exitCode: number | null;
  generation: number | null;
}): boolean {
  if (result.generation === null) return false;
  if (result.status === 'succeeded') return true;
  return result.status === 'failed' && (result.exitCode === 2 || result.exitCode === 4);
}
