import { z } from 'zod';
import { NixstrapErrorSchema } from './result';
import { NamedRecipientSchema } from './secrets';

export const JourneySchema = z.enum(['init', 'add-host']);
export type Journey = z.infer<typeof JourneySchema>;

/**
 * What applying a plan does to one file. `conflict` means the file on disk is not what
 * Nixstrap last wrote (a hand edit): it is only overwritten when the user says so for that
 * file. `unchanged` means as planned on disk and committed.
 */
export const FileActionSchema = z.enum(['create', 'update', 'unchanged', 'conflict']);
export type FileAction = z.infer<typeof FileActionSchema>;

/**
 * An encrypted file as the plan shows it: how many values and who can open them, never a value
 * (its diff is left empty; its content is ciphertext).
 */
export const EncryptedSummarySchema = z.strictObject({
  values: z.number().int().nonnegative(),
  recipients: z.array(NamedRecipientSchema),
});
export type EncryptedSummary = z.infer<typeof EncryptedSummarySchema>;

export const PlannedFileSchema = z.strictObject({
  path: z.string(),
  action: FileActionSchema,
  /** Unified diff against disk; empty when unchanged. */
  diff: z.string(),
  content: z.string(),
  reason: z.string(),
  /** sha256 of the file on disk when the plan was made, null when absent: apply refuses if it moved on. */
  diskSha256: z.string().nullable().optional(),
  /**
   * True when Nixstrap owns the whole file and records it in its manifest; false for an edit
   * of a file the user owns (a foreign flake.nix gaining a host), which is never recorded.
   */
  managed: z.boolean().optional(),
  /** True when the file on disk is exactly what the repo's last commit holds. */
  committed: z.boolean().optional(),
  encrypted: EncryptedSummarySchema.optional(),
});
export type PlannedFile = z.infer<typeof PlannedFileSchema>;

export const RepoLayoutSchema = z.enum([
  'nixstrap',
  'hosts-dir',
  'systems-dir',
  'machines-dir',
  'single-configuration',
  'empty',
]);
export type RepoLayout = z.infer<typeof RepoLayoutSchema>;

export const PlanSchema = z.strictObject({
  /**
   * Names this exact plan: every file's path, action, content and state on disk. Applying
   * takes it, and refuses when the plan made afresh has another id.
   */
  id: z.string(),
  journey: JourneySchema,
  repo: z.string(),
  hostName: z.string(),
  hostDir: z.string(),
  layout: RepoLayoutSchema,
  files: z.array(PlannedFileSchema),
  /**
   * The commit the repo's branch was at when the plan was made (null before the first commit),
   * so a refusal can name the commits that landed since. Not part of `id`: a commit that
   * touches none of the plan's files leaves the plan as good as the one reviewed.
   */
  baseCommit: z.string().nullable().optional(),
  /** What to know: things kept or left out, and what that means; nothing to do. */
  warnings: z.array(z.string()),
  /**
   * What the user must do by hand before the first rebuild works (install a key, check a disk),
   * in order; the generated files cannot take these steps for them.
   */
  steps: z.array(z.string()),
  /** The command that applies the repo on this machine once written; null when not yet. */
  nextCommand: z.string().nullable(),
});
export type Plan = z.infer<typeof PlanSchema>;

export { PLAN_STEPS_HEADING, PLAN_WARNINGS_HEADING } from './plan-headings';

/** What the user chose for a file changed by hand: keep theirs, or take Nixstrap's (theirs is backed up). */
export const ResolutionSchema = z.enum(['keep', 'take']);
export type Resolution = z.infer<typeof ResolutionSchema>;

/** Where the user's versions of overwritten files were saved: a commit on a ref of its own. */
export const BackupSchema = z.strictObject({
  ref: z.string(),
  commit: z.string(),
  files: z.array(z.string()),
});
export type Backup = z.infer<typeof BackupSchema>;

export const ApplyResultSchema = z.strictObject({
  plan: PlanSchema,
  written: z.array(z.string()),
  commit: z.string().nullable(),
  backup: BackupSchema.nullable(),
  /**
   * Why the answers of the write could not be kept in the data folder (one sentence), so the
   * day this machine comes back nothing offers them; absent when they were kept.
   */
  unrecorded: z.string().optional(),
});
export type ApplyResult = z.infer<typeof ApplyResultSchema>;

/** What a host is built with: NixOS, or nix-darwin on a Mac. */
export const HostKindSchema = z.enum(['nixos', 'darwin']);
export type HostKind = z.infer<typeof HostKindSchema>;

export const HostSchema = z.strictObject({
  name: z.string(),
  kind: HostKindSchema,
  path: z.string(),
  system: z.string().nullable(),
});
export type Host = z.infer<typeof HostSchema>;

export const CheckFindingSchema = z.strictObject({
  file: z.string(),
  line: z.number().int().nullable(),
  column: z.number().int().nullable(),
  rule: z.enum([
    'parse',
    'import-missing',
    'import-untracked',
    'input-missing',
    'host-name-mismatch',
    'link-outside',
    'write-unfinished',
  ]),
  message: z.string(),
});
export type CheckFinding = z.infer<typeof CheckFindingSchema>;

export const CheckReportSchema = z.strictObject({
  repo: z.string(),
  filesChecked: z.number().int(),
  findings: z.array(CheckFindingSchema),
  nixAvailable: z.boolean(),
});
export type CheckReport = z.infer<typeof CheckReportSchema>;

/** What a folder chosen for the repo is, in the words the user reads next to it. */
export const RepoKindSchema = z.enum([
  /** Nothing there yet: the first write makes the folder. */
  'absent',
  'empty',
  'nixstrap',
  /** A configuration repo Nixstrap did not write, with a flake.nix. */
  'flake',
  /** A configuration without a flake (a configuration.nix built from channels). */
  'configuration',
  /** A folder holding files, but no configuration Nixstrap recognises. */
  'files',
  /** A path that cannot be a repo at all (see `problem`). */
  'unusable',
]);
export type RepoKind = z.infer<typeof RepoKindSchema>;

export const RepoInspectionSchema = z.strictObject({
  /** The folder, as an absolute path. */
  path: z.string(),
  kind: RepoKindSchema,
  /** One sentence: what the folder is. */
  summary: z.string(),
  gitRepo: z.boolean(),
  hosts: z.array(z.string()),
  /**
   * Adding a host, the repo already has one of the name asked for: this machine coming back or
   * another machine, which only the plan can tell.
   */
  hostExists: z.boolean(),
  /** Why the folder cannot be used for the chosen journey; null when it can. */
  problem: NixstrapErrorSchema.nullable(),
});
export type RepoInspection = z.infer<typeof RepoInspectionSchema>;
