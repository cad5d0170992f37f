import { armor, Decrypter, Encrypter } from 'age-encryption';
import { type Document, isMap, Scalar, type YAMLMap } from 'yaml';
import { z } from 'zod';
import { NixstrapFailure } from '../../../common/failure';
import type { EncryptionRules } from './sops-tree';

/**
 * The `sops:` block of a SOPS file: who can open the data key, when the values last changed,
 * their MAC, and which values stay in plaintext. Nixstrap reads and writes age recipients; keys
 * of other kinds (PGP, cloud KMS) are kept as they are and counted, never used.
 */
export interface AgeEntry {
  recipient: string;
  enc: string;
}

export interface SopsMetadata {
  age: AgeEntry[];
  /** Other kinds of keys the data key is also wrapped for (`pgp`, `kms`, …). */
  otherKeys: string[];
  lastModified: string;
  mac: string;
  rules: EncryptionRules;
  macOnlyEncrypted: boolean;
}

/** The sops release whose file format Nixstrap writes. */
export const SOPS_VERSION = '3.9.4';
const OTHER_KEY_KINDS = ['pgp', 'kms', 'gcp_kms', 'hckms', 'azure_kv', 'hc_vault'] as const;

const MetadataSchema = z
  .object({
    age: z.array(z.object({ recipient: z.string(), enc: z.string() }).loose()).nullish(),
    key_groups: z.array(z.unknown()).nullish(),
    lastmodified: z.string(),
    mac: z.string(),
    unencrypted_suffix: z.string().nullish(),
    encrypted_suffix: z.string().nullish(),
    unencrypted_regex: z.string().nullish(),
    encrypted_regex: z.string().nullish(),
    unencrypted_comment_regex: z.string().nullish(),
    encrypted_comment_regex: z.string().nullish(),
    mac_only_encrypted: z.boolean().nullish(),
  })
  .loose();

function corrupt(file: string, what: string): NixstrapFailure {
  return new NixstrapFailure(
    'SECRETS_FILE_CORRUPT',
    `${file} is not a usable SOPS file: ${what}.`,
    'Restore it from git (`git log -p FILE` shows its history), or recreate it with sops.',
  );
}

function foreign(file: string, what: string): NixstrapFailure {
  return new NixstrapFailure(
    'SECRETS_FOREIGN_ENCRYPTION',
    `${file} ${what}, which Nixstrap does not handle.`,
    'Manage this file with sops itself; Nixstrap leaves it as it is.',
  );
}

/** A Go regular expression as JavaScript reads it (`(?i)` becomes a flag). */
export function goRegExp(source: string): RegExp {
  const insensitive = source.startsWith('(?i)');
  return new RegExp(insensitive ? source.slice(4) : source, insensitive ? 'i' : '');
}

function regex(source: string | null | undefined, file: string): RegExp | null {
  if (!source) return null;
  try {
    return goRegExp(source);
  } catch {
    throw foreign(file, `has a regular expression (${source}) that Nixstrap cannot read`);
  }
}

/** The `sops:` block of a parsed document; refuses what Nixstrap cannot honour. */
export function readMetadata(doc: Document, file: string): SopsMetadata {
  const node = doc.get('sops', true);
  if (!isMap(node)) throw corrupt(file, 'it has no `sops:` section, so it is not encrypted');
  const parsed = MetadataSchema.safeParse(node.toJSON());
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw corrupt(file, `its sops section is damaged (${issue?.path.join('.') || 'sops'})`);
  }
  const meta = parsed.data;
  if (meta.key_groups && meta.key_groups.length > 0) {
    throw foreign(file, 'splits its data key across key groups (Shamir secret sharing)');
  }
  if (meta.unencrypted_comment_regex || meta.encrypted_comment_regex) {
    throw foreign(file, 'chooses values to encrypt by their comments');
  }
  const raw = node.toJSON() as Record<string, unknown>;
  const otherKeys = OTHER_KEY_KINDS.filter(
    (kind) => Array.isArray(raw[kind]) && (raw[kind] as unknown[]).length > 0,
  );
  const age = (meta.age ?? []).map((entry) => ({ recipient: entry.recipient, enc: entry.enc }));
  if (age.length === 0) {
    if (otherKeys.length > 0) {
      throw foreign(file, `is encrypted only for ${otherKeys.join(' and ')} keys, not age keys`);
    }
    throw corrupt(file, 'its sops section lists no keys at all');
  }
  return {
    age,
    otherKeys,
    lastModified: meta.lastmodified,
    mac: meta.mac,
    macOnlyEncrypted: meta.mac_only_encrypted === true,
    rules: {
      unencryptedSuffix: meta.unencrypted_suffix ?? null,
      encryptedSuffix: meta.encrypted_suffix ?? null,
      unencryptedRegex: regex(meta.unencrypted_regex, file),
      encryptedRegex: regex(meta.encrypted_regex, file),
    },
  };
}

/**
 * The additional data of the MAC: lastmodified as Go prints it after reading it back (RFC
 * 3339, whole seconds), which is what sops authenticates.
 */
export function macData(lastModified: string): string {
  return lastModified.replace(/(\d{2}:\d{2}:\d{2})\.\d+/, '$1');
}

/** Now, as sops writes `lastmodified`. */
export function sopsTimestamp(now: Date = new Date()): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The data key, from the first age entry one of the identities opens. */
export async function unwrapDataKey(
  meta: SopsMetadata,
  identities: readonly string[],
  file: string,
): Promise<Uint8Array> {
  const recipients = meta.age.map((entry) => entry.recipient);
  if (identities.length > 0) {
    const decrypter = new Decrypter();
    for (const identity of identities) decrypter.addIdentity(identity);
    for (const entry of meta.age) {
      try {
        const key = await decrypter.decrypt(armor.decode(entry.enc));
        if (key.length === 32) return key;
      } catch {
        // Not for these identities (or a damaged entry): try the next recipient.
      }
    }
  }
  throw new NixstrapFailure(
    'SECRETS_NO_KEY',
    `None of the age keys on this machine can open ${file}: it is encrypted for ${recipients.join(', ')}.`,
    identities.length === 0
      ? 'Put your age key where sops reads it (the file SOPS_AGE_KEY_FILE names, else sops/age/keys.txt in $XDG_CONFIG_HOME, ~/.config, or on a Mac ~/Library/Application Support), or run this where it is.'
      : 'Run this on a machine that has one of those keys, or have someone who can add yours (`sops updatekeys`).',
  );
}

/** The data key wrapped for each recipient, armored, as sops stores it. */
export async function wrapDataKey(
  dataKey: Uint8Array,
  recipients: readonly string[],
): Promise<AgeEntry[]> {
  return Promise.all(
    recipients.map(async (recipient) => {
      const encrypter = new Encrypter();
      encrypter.addRecipient(recipient);
      return { recipient, enc: armor.encode(await encrypter.encrypt(dataKey)) };
    }),
  );
}

function quoted(value: string): Scalar {
  const scalar = new Scalar(value);
  scalar.type = 'QUOTE_DOUBLE';
  return scalar;
}

/** Writes age entries, lastmodified and mac into the document's `sops:` block, creating it. */
export function writeMetadata(
  doc: Document,
  fields: { age: AgeEntry[]; lastModified: string; mac: string },
): void {
  let node = doc.get('sops', true) as YAMLMap | undefined;
  if (!isMap(node)) {
    node = doc.createNode({}) as YAMLMap;
    doc.set('sops', node);
  }
  const age = doc.createNode(
    fields.age.map((entry) => {
      const enc = new Scalar(entry.enc);
      enc.type = 'BLOCK_LITERAL';
      return { recipient: entry.recipient, enc };
    }),
  );
  node.set('age', age);
  node.set('lastmodified', quoted(fields.lastModified));
  node.set('mac', fields.mac);
  if (!node.has('unencrypted_suffix') && !hasSelector(node)) {
    node.set('unencrypted_suffix', '_unencrypted');
  }
  if (!node.has('version')) node.set('version', SOPS_VERSION);
}

function hasSelector(node: YAMLMap): boolean {
  return ['encrypted_suffix', 'unencrypted_regex', 'encrypted_regex'].some((key) => node.has(key));
}
