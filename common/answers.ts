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

/**
 * The wizard's form: the same JSON in the UI, the CLI (`--answers FILE`) and the ledger.
 * This schema checks shape only; the rules that need the tz database, key parsing or the
 * list of system users live in the engine (`validateAnswers`), which every writer calls.
 */
export const AnswersSchema = z
  .object({
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
    git: z.object({ name: z.string(), email: z.string() }).strict(),
    channel: z.enum(RELEASE_NAMES),
    /** Unfree packages are allowed only where hardware needs them (NVIDIA, Parallels) unless this is set. */
    allowUnfree: z.boolean().default(false),
    /**
     * sops-nix from the first commit: an age key for the owner, one recipient per host, and the
     * host's secrets file. On unless the owner opts out.
     */
    secrets: z.boolean().default(true),
    /** The user's password as a crypt(3) hash (`mkpasswd`), never the password; null for none. */
    passwordHash: z.string().nullable().default(null),
  })
  .strict();
export type Answers = z.infer<typeof AnswersSchema>;
export type AnswersInput = z.input<typeof AnswersSchema>;

/** One failed rule, named by its field path (`git.email`, `sshAuthorizedKeys.1`). */
export const AnswerIssueSchema = z.object({ field: z.string(), message: z.string() }).strict();
export type AnswerIssue = z.infer<typeof AnswerIssueSchema>;
