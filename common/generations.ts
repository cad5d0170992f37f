import { z } from 'zod';
import { ClosureChangesSchema, GenerationSchema, TargetKindSchema } from './rebuild';

/** Now (`switch`), or only from the next boot on (`boot`, NixOS only). */
export const RollbackActionSchema = z.enum(['switch', 'boot']);
export type RollbackAction = z.infer<typeof RollbackActionSchema>;

/** What a rollback will do, shown before anything changes. */
export const RollbackPlanSchema = z
  .object({
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
    commands: z.array(z.array(z.string())),
    /** The config repo the target's commit was looked up in, when one was given. */
    repo: z.string().nullable(),
    /** Whether that commit is still in the repo; null when unknown (no commit, no repo). */
    commitInRepo: z.boolean().nullable(),
  })
  .strict();
export type RollbackPlan = z.infer<typeof RollbackPlanSchema>;

/** A switch or rollback waiting for "Keep this configuration?" before it reverts by itself. */
export const PendingKeepSchema = z
  .object({
    profile: z.string(),
    runId: z.string(),
    /** The generation on trial and the one restored without a confirmation. */
    generation: z.number().int(),
    revertTo: z.number().int(),
    deadline: z.string(),
  })
  .strict();
export type PendingKeep = z.infer<typeof PendingKeepSchema>;
