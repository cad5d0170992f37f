import { z } from 'zod';

export const PROFILES = ['minimal', 'essential', 'development', 'full'] as const;
export const DESKTOPS = ['none', 'plasma', 'gnome'] as const;
export const SERVICES = [
  'openssh',
  'tailscale',
  'docker',
  'podman',
  'printing',
  'bluetooth',
  'remote-desktop',
  'flatpak',
] as const;
export const TOOLCHAINS = ['c', 'rust', 'go', 'python', 'node', 'java', 'nix'] as const;
export const EDITORS = ['nano', 'vim', 'neovim', 'helix', 'emacs', 'vscode'] as const;
export const SHELLS = ['bash', 'zsh', 'fish'] as const;
/** The nixpkgs releases a repo can follow; the Answers field naming one stays `channel`. */
export const RELEASE_NAMES = ['stable', 'unstable'] as const;
export type ReleaseName = (typeof RELEASE_NAMES)[number];

/** Who commits: prefilled from the user's own `git config user.name` and `user.email`. */
export const GitIdentitySchema = z.strictObject({ name: z.string(), email: z.string() });
export type GitIdentity = z.infer<typeof GitIdentitySchema>;

/**
 * The wizard's form: the same JSON in the UI, the CLI (`--answers FILE`) and the ledger.
 * This schema checks shape only; the rules that need the tz database, key parsing or the
 * list of system users live in the engine (`validateAnswers`), which every writer calls.
 */
export const AnswersSchema = z.strictObject({
  hostName: z.string(),
  userName: z.string(),
  fullName: z.string(),
  timeZone: z.string(),
  locale: z.string(),
  keyboardLayout: z.string(),
  keyboardVariant: z.string().default(''),
  profile: z.enum(PROFILES),
  desktop: z.enum(DESKTOPS),
  services: z.array(z.enum(SERVICES)),
  toolchains: z.array(z.enum(TOOLCHAINS)).default([]),
  editor: z.enum(EDITORS).default('neovim'),
  shell: z.enum(SHELLS).default('bash'),
  sshAuthorizedKeys: z.array(z.string()),
  git: GitIdentitySchema,
  channel: z.enum(RELEASE_NAMES),
  /**
   * The owner's password as a crypt(3) hash (`$6$…` SHA-512 or `$y$…` yescrypt, as mkpasswd
   * writes them), never the password itself; null leaves the password unset.
   */
  passwordHash: z.string().nullable().default(null),
  /** Whether SSH also accepts that password (keys only otherwise). */
  sshPasswordLogin: z.boolean().default(false),
  /** Unfree packages are allowed only where hardware needs them (NVIDIA, Parallels) unless this is set. */
  allowUnfree: z.boolean().default(false),
  /**
   * sops-nix from the first commit: an age key for the owner, one recipient per host, and the
   * host's secrets file. On unless the owner opts out.
   */
  secrets: z.boolean().default(true),
});
export type Answers = z.infer<typeof AnswersSchema>;
export type AnswersInput = z.input<typeof AnswersSchema>;

/**
 * One failed rule, named by its field path (`git.email`, `sshAuthorizedKeys.1`). `kind` says
 * why: a value that is not valid, an answer this kind of machine would ignore, or answers
 * that would lock the owner out after the switch.
 */
export const AnswerIssueSchema = z.strictObject({
  field: z.string(),
  message: z.string(),
  kind: z.enum(['invalid', 'ignored', 'lockout']).optional(),
});
export type AnswerIssue = z.infer<typeof AnswerIssueSchema>;

/**
 * What the wizard offers for one machine, decided by the engine from its facts: only choices
 * that take effect there, so nothing the user picks is silently dropped.
 */
export const AnswerChoicesSchema = z.strictObject({
  desktops: z.array(z.enum(DESKTOPS)),
  services: z.array(z.enum(SERVICES)),
  releases: z.array(z.enum(RELEASE_NAMES)),
  /** Whether the keyboard layout and the locale are set by the configuration (not on a Mac). */
  keyboard: z.boolean(),
  locale: z.boolean(),
  /** `required`: the owner needs a password to log in and for sudo; `unsupported` on a Mac. */
  password: z.enum(['required', 'optional', 'unsupported']),
  sshPasswordLogin: z.boolean(),
  /** Why SSH must stay reachable on this machine (no console, a remote session), or null. */
  remoteOnly: z.string().nullable(),
  /** XKB layout names and their descriptions, from the xkeyboard-config list Nixstrap ships. */
  keyboardLayouts: z.record(z.string(), z.string()),
});
export type AnswerChoices = z.infer<typeof AnswerChoicesSchema>;

/**
 * The answers a host was last written (or successfully built) with, offered when this machine
 * comes back to it with others: `changes` names what they hold that the current ones do not.
 * Never a password hash: the ledger keeps none.
 */
export const PreviousAnswersSchema = z.strictObject({
  answers: AnswersSchema,
  recordedAt: z.string(),
  source: z.enum(['write', 'run']),
  /** The commit they were written in (or built from); `nixstrap answers --commit` finds them by it. */
  commit: z.string().nullable(),
  changes: z.array(z.string()).min(1),
});
export type PreviousAnswers = z.infer<typeof PreviousAnswersSchema>;
