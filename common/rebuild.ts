import { z } from 'zod';
import { NixstrapErrorSchema } from './result';

/**
 * The rebuild as every shell sees it. The engine (main/core/rebuild) produces these values,
 * the CLI prints them (`rebuild --json` is one RunEvent per line, a public contract), and the
 * wizard renders them. Unknown fields may be added later; none may be removed.
 */

export const REBUILD_ACTIONS = ['build', 'dry-build', 'test', 'switch', 'boot'] as const;
export const RebuildActionSchema = z.enum(REBUILD_ACTIONS);
export type RebuildAction = z.infer<typeof RebuildActionSchema>;

/** What a run does: a rebuild from the repo, or a rollback to a generation already in the profile. */
export const RunKindSchema = z.enum(['rebuild', 'rollback']);
export type RunKind = z.infer<typeof RunKindSchema>;

export const RUN_STATUSES = ['running', 'succeeded', 'failed', 'cancelled', 'interrupted'] as const;
export const RunStatusSchema = z.enum(RUN_STATUSES);
export type RunStatus = z.infer<typeof RunStatusSchema>;

/** The pipeline's phases in order; each ends with its own status and exit code. */
export const PHASES = [
  'build',
  'validate',
  'changes',
  'confirm',
  'set-profile',
  'activate',
] as const;
export const PhaseSchema = z.enum(PHASES);
export type Phase = z.infer<typeof PhaseSchema>;

export const PhaseStatusSchema = z.enum(['started', 'succeeded', 'failed', 'skipped']);
export type PhaseStatus = z.infer<typeof PhaseStatusSchema>;

/** What a profile holds, read from the generation's contents. */
export const TargetKindSchema = z.enum(['nixos', 'nix-darwin', 'home-manager']);
export type TargetKind = z.infer<typeof TargetKindSchema>;

const CountsSchema = z
  .object({
    done: z.number().int(),
    expected: z.number().int(),
    running: z.number().int(),
    failed: z.number().int(),
  })
  .strict();
export type Counts = z.infer<typeof CountsSchema>;

/** Progress as Nix's own progress bar derives it from the internal-json records. */
export const ProgressSchema = z
  .object({
    builds: CountsSchema,
    downloads: CountsSchema,
    bytes: z
      .object({
        downloaded: z.number(),
        expectedDownload: z.number(),
        copied: z.number(),
        expectedCopy: z.number(),
      })
      .strict(),
    /** The derivation being built most recently, with its builder phase when Nix relays it. */
    current: z
      .object({ drv: z.string(), name: z.string(), phase: z.string().nullable() })
      .strict()
      .nullable(),
  })
  .strict();
export type Progress = z.infer<typeof ProgressSchema>;

const PackageSchema = z.object({ name: z.string(), version: z.string() }).strict();

/** What a switch will change, from the store: packages and closure size. */
export const ClosureChangesSchema = z
  .object({
    added: z.array(PackageSchema),
    removed: z.array(PackageSchema),
    changed: z.array(z.object({ name: z.string(), from: z.string(), to: z.string() }).strict()),
    /** Bytes of the closure before (null when there is no current generation) and after. */
    sizeBefore: z.number().nullable(),
    sizeAfter: z.number(),
  })
  .strict();
export type ClosureChanges = z.infer<typeof ClosureChangesSchema>;

/** A failure told in words: what went wrong and the one thing to try. */
export const ExplanationSchema = z
  .object({
    kind: z.string(),
    message: z.string(),
    hint: z.string(),
    /** The failing derivation and its last log lines, when a build failed. */
    drv: z.string().nullable().optional(),
    logTail: z.array(z.string()).optional(),
  })
  .strict();
export type Explanation = z.infer<typeof ExplanationSchema>;

export const RunEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('output'), text: z.string() }).strict(),
  z
    .object({ type: z.literal('progress') })
    .extend(ProgressSchema.shape)
    .strict(),
  z
    .object({
      type: z.literal('phase'),
      phase: PhaseSchema,
      status: PhaseStatusSchema,
      exitCode: z.number().int().nullable().optional(),
    })
    .strict(),
  z
    .object({ type: z.literal('changes') })
    .extend(ClosureChangesSchema.shape)
    .strict(),
  /** The run waits for the user: `confirm` with true goes on, false cancels. */
  z.object({ type: z.literal('confirm'), question: z.string() }).strict(),
  z
    .object({
      type: z.literal('result'),
      status: RunStatusSchema,
      runId: z.string(),
      exitCode: z.number().int().nullable(),
      generation: z.number().int().nullable(),
      storePath: z.string().nullable(),
      explanation: ExplanationSchema.nullable().optional(),
    })
    .strict(),
]);
export type RunEvent = z.infer<typeof RunEventSchema>;

/** One recorded run (`nixstrap runs --json` prints an array of these). */
export const RunSummarySchema = z
  .object({
    id: z.string(),
    kind: RunKindSchema,
    status: RunStatusSchema,
    action: z.string(),
    host: z.string().nullable(),
    repo: z.string().nullable(),
    commit: z.string().nullable(),
    dirty: z.boolean().nullable(),
    profile: z.string().nullable(),
    startedAt: z.string(),
    endedAt: z.string().nullable(),
    generation: z.number().int().nullable(),
    storePath: z.string().nullable(),
    exitCode: z.number().int().nullable(),
    error: NixstrapErrorSchema.nullable(),
  })
  .strict();
export type RunSummary = z.infer<typeof RunSummarySchema>;

/** One generation of a profile (`nixstrap generations --json` prints an array of these). */
export const GenerationSchema = z
  .object({
    number: z.number().int(),
    storePath: z.string(),
    /** The profile points at it: what boots by default and what `nix-env` calls current. */
    current: z.boolean(),
    /** `/run/current-system` is it: the system running now (false for Home Manager). */
    running: z.boolean(),
    booted: z.boolean(),
    present: z.boolean(),
    createdAt: z.string().nullable(),
    commit: z.string().nullable(),
    dirty: z.boolean().nullable(),
    runId: z.string().nullable(),
    /** The config repo the run that built it worked in. */
    repo: z.string().nullable(),
    nixosVersion: z.string().nullable(),
    closureBytes: z.number().nullable(),
    kind: TargetKindSchema.nullable(),
    kernelVersion: z.string().nullable(),
    host: z.string().nullable(),
    /** The wizard's answers the run that built it started from (validated when they were used). */
    answers: z.record(z.string(), z.unknown()).nullable(),
  })
  .strict();
export type Generation = z.infer<typeof GenerationSchema>;
