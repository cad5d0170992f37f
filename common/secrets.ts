import { z } from 'zod';

/** An age recipient and the name `.sops.yaml` gives it with an anchor (`owner`, `host_atlas`). */
export const NamedRecipientSchema = z.strictObject({
  recipient: z.string(),
  name: z.string().nullable(),
});
export type NamedRecipient = z.infer<typeof NamedRecipientSchema>;

/**
 * A secret's name: a key of the secrets file and of `sops.secrets`, so letters, digits and
 * `_ . -` only (no `/`, which sops-nix would read as a path into the file).
 */
export const SecretNameSchema = z
  .string()
  // One check per rule, so the sentence names the rule a name breaks (".env" is all allowed letters).
  .min(1, 'must not be empty')
  .max(128, 'must be at most 128 characters')
  .regex(/^[A-Za-z0-9_.-]*$/, 'must be letters, digits, "_", "." or "-"')
  .regex(/^[A-Za-z0-9_]/, 'must start with a letter, a digit or "_"')
  .refine((name) => name !== 'sops', 'must not be "sops", which sops keeps for itself');

/** One SOPS file of a repo, as far as it can be told without opening it: never a value. */
export const SecretsFileSchema = z.strictObject({
  path: z.string(),
  /** Names of its top-level secrets. */
  names: z.array(z.string()),
  values: z.number().int().nonnegative(),
  /** Who can open it now. */
  recipients: z.array(NamedRecipientSchema),
  /** Who `.sops.yaml` says should; null when no rule covers the file. */
  wanted: z.array(NamedRecipientSchema).nullable(),
  /** Why the file could not be read (damaged, foreign keys), or null. */
  problem: z.string().nullable(),
});
export type SecretsFile = z.infer<typeof SecretsFileSchema>;

/** The owner's key file and public key on this machine; null recipient when there is none. */
const OwnerKeySchema = z.strictObject({ path: z.string(), recipient: z.string().nullable() });

/** Who .sops.yaml says should read a file and cannot yet (a host added where the owner's key was not). */
export function missingReaders(file: SecretsFile): NamedRecipient[] {
  const have = new Set(file.recipients.map((r) => r.recipient));
  return (file.wanted ?? []).filter((r) => !have.has(r.recipient));
}

export const SecretsReportSchema = z.strictObject({
  repo: z.string(),
  /** `problem`: why the key file there cannot be used (garbled, unreadable), or null. */
  owner: OwnerKeySchema.extend({ problem: z.string().nullable() }),
  files: z.array(SecretsFileSchema),
});
export type SecretsReport = z.infer<typeof SecretsReportSchema>;

/** The keys a new host's secrets use: the owner's, and the host's own. Public halves only. */
export const SecretKeysSchema = z.strictObject({
  /** `created`: whether this request made the owner's key just now. */
  owner: OwnerKeySchema.extend({ created: z.boolean() }),
  host: z.strictObject({
    source: z.enum(['ssh-host-key', 'age-key']),
    recipient: z.string().nullable(),
    /** Where a host's own age key waits to be installed; null for an SSH host key. */
    path: z.string().nullable(),
  }),
});
export type SecretKeys = z.infer<typeof SecretKeysSchema>;

export const RemoveSecretResultSchema = z.strictObject({
  file: z.string(),
  name: z.string(),
  commit: z.string().nullable(),
  /** The repo's .nix files that still declare or read `sops.secrets.<name>`: their host's next switch fails. */
  stillUsedIn: z.array(z.string()),
});
export type RemoveSecretResult = z.infer<typeof RemoveSecretResultSchema>;

export const SetSecretResultSchema = z.strictObject({
  file: z.string(),
  name: z.string(),
  created: z.boolean(),
  commit: z.string().nullable(),
  /** The Nix that makes the secret available on a host, as sops-nix expects it. */
  nixLine: z.string(),
});
export type SetSecretResult = z.infer<typeof SetSecretResultSchema>;

export const RotateResultSchema = z.strictObject({
  files: z.array(z.string()),
  commit: z.string().nullable(),
});
export type RotateResult = z.infer<typeof RotateResultSchema>;

/** Where shared secrets live, read by every host. */
export const COMMON_SECRETS_FILE = 'secrets/common.yaml';

/**
 * The Nix that gives a host a secret with sops-nix, from the host's own file or the shared one
 * (seen from hosts/<kind>/<name>/). The name is quoted, which is valid for every secret name.
 */
export function secretNixLine(name: string, shared: boolean): string {
  const attr = `sops.secrets."${name}"`;
  return shared
    ? `${attr}.sopsFile = ../../../${COMMON_SECRETS_FILE};  # then use config.${attr}.path`
    : `${attr} = { };  # then use config.${attr}.path`;
}
