import { z } from 'zod';
import { REBUILD_ACTIONS } from './rebuild-actions';
import { NixstrapErrorSchema } from './result';

/**
 * The rebuild as every shell sees it. The engine (main/core/rebuild) produces these values,
 * the CLI prints them (`rebuild --json` is one RunEvent per line, a public contract), and the
 * wizard renders them. Unknown fields may be added later; none may be removed.
 */

/**
 * One direct input of the flake a generation was built from, as `flake.lock` pinned it when
 * the run built it: what a rollback brings back besides the repo's own commit.
 */
export const FlakeInputSchema = z.strictObject({
  name: z.string(),
  /** Where it comes from, in flake-reference form: `github:NixOS/nixpkgs/nixos-25.11`, `path:/…`. */
  source: z.string(),
  /** The full commit; null for inputs without one (`path:`, tarballs). */
  rev: z.string().nullable(),
  /** When the pinned source last changed (its commit's time), as an ISO date-time. */
  lastModified: z.string().nullable(),
  /** The hash of its contents: what tells two pins of a source without a commit apart. */
  narHash: z.string().nullable(),
});
export type FlakeInput = z.infer<typeof FlakeInputSchema>;

export { REBUILD_ACTIONS, type RebuildAction } from './rebuild-actions';
export const RebuildActionSchema = z.enum(REBUILD_ACTIONS);

/**
 * What a run does: a rebuild from the repo, a rollback to a generation already in the profile,
 * or the deletion of some of the profile's generations (and the boot menu made again without them).
 */
export const RunKindSchema = z.enum(['rebuild', 'rollback', 'delete']);
export type RunKind = z.infer<typeof RunKindSchema>;

export const RUN_STATUSES = ['running', 'succeeded', 'failed', 'cancelled', 'interrupted'] as const;
export const RunStatusSchema = z.enum(RUN_STATUSES);
export type RunStatus = z.infer<typeof RunStatusSchema>;

/** A rebuild's phases in order (a rollback's are some of them); each ends with its own status and exit code. */
export const REBUILD_PHASES = [
  'build',
  'validate',
  'changes',
  'confirm',
  'set-profile',
  'activate',
] as const;

/**
 * A delete run's, after its `confirm`: the profile's links removed, then on NixOS the boot menu
 * made again from the current generation. Neither sets the profile nor activates anything, so
 * they are not called so.
 */
const DELETE_PHASES = ['delete-links', 'boot-menu'] as const;

/** Every phase a run may report, in the order a run reaches them. */
export const PHASES = [...REBUILD_PHASES, ...DELETE_PHASES] as const;
export const PhaseSchema = z.enum(PHASES);
export type Phase = z.infer<typeof PhaseSchema>;

export const PhaseStatusSchema = z.enum(['started', 'succeeded', 'failed', 'skipped']);
export type PhaseStatus = z.infer<typeof PhaseStatusSchema>;

/** What a profile holds, read from the generation's contents. */
export const TargetKindSchema = z.enum(['nixos', 'nix-darwin', 'home-manager']);
export type TargetKind = z.infer<typeof TargetKindSchema>;

const CountsSchema = z.strictObject({
  done: z.number().int(),
  expected: z.number().int(),
  running: z.number().int(),
  failed: z.number().int(),
});
export type Counts = z.infer<typeof CountsSchema>;

/** Progress as Nix's own progress bar derives it from the internal-json records. */
export const ProgressSchema = z.strictObject({
  builds: CountsSchema,
  downloads: CountsSchema,
  bytes: z.strictObject({
    downloaded: z.number(),
    expectedDownload: z.number(),
    copied: z.number(),
    expectedCopy: z.number(),
  }),
  /** The derivation being built most recently, with its builder phase when Nix relays it. */
  current: z
    .strictObject({ drv: z.string(), name: z.string(), phase: z.string().nullable() })
    .nullable(),
});
export type Progress = z.infer<typeof ProgressSchema>;

const PackageSchema = z.strictObject({ name: z.string(), version: z.string() });

/** What a switch will change, from the store: packages and closure size. */
export const ClosureChangesSchema = z.strictObject({
  added: z.array(PackageSchema),
  removed: z.array(PackageSchema),
  changed: z.array(z.strictObject({ name: z.string(), from: z.string(), to: z.string() })),
  /** Bytes of the closure before (null when there is no current generation) and after. */
  sizeBefore: z.number().nullable(),
  sizeAfter: z.number(),
});
export type ClosureChanges = z.infer<typeof ClosureChangesSchema>;

/** A failure told in words: what went wrong and the one thing to try. */
export const ExplanationSchema = z.strictObject({
  kind: z.string(),
  message: z.string(),
  hint: z.string(),
  /** The failing derivation and its last log lines, when a build failed. */
  drv: z.string().nullable().optional(),
  logTail: z.array(z.string()).optional(),
});
export type Explanation = z.infer<typeof ExplanationSchema>;

export const RunEventSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('output'), text: z.string() }),
  z.strictObject({ type: z.literal('progress'), ...ProgressSchema.shape }),
  z.strictObject({
    type: z.literal('phase'),
    phase: PhaseSchema,
    status: PhaseStatusSchema,
    exitCode: z.number().int().nullable().optional(),
  }),
  z.strictObject({
    type: z.literal('changes'),
    ...ClosureChangesSchema.shape,
    /**
     * The specialisation whose own systems are compared (on each side that has it), as the run
     * stays in it; absent when the base configurations are.
     */
    specialisation: z.string().optional(),
  }),
  /** The run waits for the user: `confirm` with true goes on, false cancels. */
  z.strictObject({
    type: z.literal('confirm'),
    question: z.string(),
    /**
     * The specialisation running now, which the new system has too: the answer may stay in it
     * (activate the new one's) or go to the base configuration. Absent otherwise.
     */
    runningSpecialisation: z.string().optional(),
  }),
  z.strictObject({
    type: z.literal('result'),
    status: RunStatusSchema,
    runId: z.string(),
    exitCode: z.number().int().nullable(),
    generation: z.number().int().nullable(),
    storePath: z.string().nullable(),
    explanation: ExplanationSchema.nullable().optional(),
    /**
     * A NixOS switch or test that activated: the specialisation it activated, null for the base
     * configuration. Absent when nothing was activated.
     */
    specialisation: z.string().nullable().optional(),
  }),
]);
export type RunEvent = z.infer<typeof RunEventSchema>;

/**
 * What a build was made from, the same for a run and for the generation it built: the host, the
 * config repo the run worked in, its commit, and whether the tree held uncommitted changes.
 */
const BuildSourceShape = {
  host: z.string().nullable(),
  repo: z.string().nullable(),
  commit: z.string().nullable(),
  dirty: z.boolean().nullable(),
  /**
   * The build wrote the flake.lock it used (a first build, an input added) and the commit does not
   * hold it, so checking out the commit does not reproduce the build; null when not known.
   */
  lockWritten: z.boolean().nullable(),
  /** The commit's subject (first line of its message) and branch, when a run recorded them. */
  subject: z.string().nullable(),
  branch: z.string().nullable(),
};

/** One recorded run (`nixstrap runs --json` prints an array of these). */
export const RunSummarySchema = z.strictObject({
  id: z.string(),
  kind: RunKindSchema,
  status: RunStatusSchema,
  action: z.string(),
  ...BuildSourceShape,
  profile: z.string().nullable(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  generation: z.number().int().nullable(),
  storePath: z.string().nullable(),
  exitCode: z.number().int().nullable(),
  error: NixstrapErrorSchema.nullable(),
});
export type RunSummary = z.infer<typeof RunSummarySchema>;

/** One generation of a profile (`nixstrap generations --json` prints an array of these). */
export const GenerationSchema = z.strictObject({
  number: z.number().int(),
  storePath: z.string(),
  /** The profile points at it: what boots by default and what `nix-env` calls current. */
  current: z.boolean(),
  /** `/run/current-system` is it: the system running now (false for Home Manager). */
  running: z.boolean(),
  booted: z.boolean(),
  /**
   * The specialisation of this generation that runs (or booted): `/run/current-system` is that
   * specialisation's own toplevel; null when the generation's base configuration does, or none.
   */
  runningSpecialisation: z.string().nullable(),
  bootedSpecialisation: z.string().nullable(),
  /** The names under the generation's `specialisation/` (NixOS boot menus list each one). */
  specialisations: z.array(z.string()),
  present: z.boolean(),
  /**
   * Its link is there but names a store path the store no longer holds (removed by hand, or a
   * profile restored without its store): nothing to activate or compare.
   */
  storePathGone: z.boolean(),
  createdAt: z.string().nullable(),
  ...BuildSourceShape,
  runId: z.string().nullable(),
  nixosVersion: z.string().nullable(),
  closureBytes: z.number().nullable(),
  kind: TargetKindSchema.nullable(),
  kernelVersion: z.string().nullable(),
  /** The wizard's answers the run that built it started from (validated when they were used). */
  answers: z.record(z.string(), z.unknown()).nullable(),
  /** The flake's direct inputs as the run that built it locked them; empty when not known. */
  inputs: z.array(FlakeInputSchema),
});
export type Generation = z.infer<typeof GenerationSchema>;
