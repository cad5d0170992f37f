import { createHash, randomBytes } from 'node:crypto';
import {
  Document,
  isMap,
  isNode,
  isScalar,
  LineCounter,
  parseAllDocuments,
  parseDocument,
  Scalar,
  visit,
  type YAMLMap,
} from 'yaml';
import { NixstrapFailure } from '../../../common/failure';
import {
  macData,
  readMetadata,
  type SopsMetadata,
  sopsTimestamp,
  unwrapDataKey,
  wrapDataKey,
  writeMetadata,
} from './sops-metadata';
import { type EncryptionRules, type SopsLeaf, sopsLeaves } from './sops-tree';
import {
  decryptValue,
  encryptValue,
  isEncryptedText,
  macBytes,
  pathData,
  type SopsValue,
  scalarOfValue,
  strValue,
  valueOfScalar,
} from './sops-value';

/**
 * SOPS YAML files, encrypted and decrypted the way sops does it, so that `sops` edits what
 * Nixstrap writes and sops-nix decrypts it at activation. Every failure is one sentence naming
 * the file; nothing here writes to disk.
 */

/** The prefix sops feeds the MAC when only encrypted values count (`mac_only_encrypted`). */
const MAC_ONLY_ENCRYPTED_INIT = Buffer.from(
  '8a3fd2ad54ce66527b1034f3d147be0b0b975b3bf44f72c6fdadec8176f27d69',
  'hex',
);
const DEFAULT_RULES: EncryptionRules = {
  unencryptedSuffix: '_unencrypted',
  encryptedSuffix: null,
  unencryptedRegex: null,
  encryptedRegex: null,
};
const STRINGIFY = { indent: 4, lineWidth: 0 } as const;

/** A decrypted SOPS file: its document, data key and values, ready to read or re-encrypt. */
export interface OpenedSops {
  file: string;
  doc: Document;
  metadata: SopsMetadata;
  dataKey: Uint8Array;
  leaves: SopsLeaf[];
  values: SopsValue[];
}

function tampered(file: string, what: string): NixstrapFailure {
  return new NixstrapFailure(
    'SECRETS_MAC_MISMATCH',
    `${file} was changed outside sops: ${what}, so it cannot be trusted and was left as it is.`,
    'Restore it from git (`git log -p FILE` shows who changed it), or recreate the secrets in it.',
  );
}

/** A SOPS file's YAML: one document, a mapping, no key twice; else SECRETS_FILE_CORRUPT. */
export function parseSops(text: string, file: string): Document {
  const corrupt = (what: string) =>
    new NixstrapFailure(
      'SECRETS_FILE_CORRUPT',
      `${file} is not a usable SOPS file: ${what}.`,
      'Restore it from git (`git log -p FILE` shows its history), or recreate it with sops.',
    );
  // yaml's own duplicate-key check compares every key of a mapping with every other one: a
  // file of many thousand values (a repo from elsewhere) would take minutes, so keys are
  // checked here, once each.
  if (parseAllDocuments(text, { uniqueKeys: false }).length > 1) {
    throw corrupt('it holds several YAML documents');
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { intAsBigInt: true, uniqueKeys: false, lineCounter: lines });
  const error = doc.errors[0];
  if (error) {
    const line = error.linePos?.[0].line;
    throw corrupt(`it is not valid YAML (${line ? `line ${line}: ` : ''}${error.code})`);
  }
  if (!isMap(doc.contents)) throw corrupt('it is not a YAML mapping');
  const repeated = repeatedKey(doc);
  if (repeated !== null) {
    throw corrupt(`it is not valid YAML (line ${lines.linePos(repeated).line}: DUPLICATE_KEY)`);
  }
  return doc;
}

/** Where the first key that a mapping of `doc` holds twice starts, or null. */
function repeatedKey(doc: Document): number | null {
  let at: number | null = null;
  visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const { key } of map.items) {
        const name = isScalar(key) ? key.value : key;
        if (seen.has(name)) {
          at = (isNode(key) ? key.range?.[0] : undefined) ?? 0;
          return visit.BREAK;
        }
        seen.add(name);
      }
      return undefined;
    },
  });
  return at;
}

function macOf(values: readonly SopsValue[], leaves: readonly SopsLeaf[], meta: SopsMetadata) {
  const hash = createHash('sha512');
  if (meta.macOnlyEncrypted) hash.update(MAC_ONLY_ENCRYPTED_INIT);
  values.forEach((value, index) => {
    if (!meta.macOnlyEncrypted || leaves[index]?.encrypted) hash.update(macBytes(value));
  });
  return hash.digest('hex').toUpperCase();
}

/** Decrypts every value and checks the MAC; refuses a file that was tampered with. */
export async function openSops(
  text: string,
  identities: readonly string[],
  file: string,
): Promise<OpenedSops> {
  const doc = parseSops(text, file);
  const metadata = readMetadata(doc, file);
  const { leaves } = sopsLeaves(doc, metadata.rules, file);
  const dataKey = await unwrapDataKey(metadata, identities, file);
  const values = leaves.map((leaf) => {
    if (!leaf.encrypted) return valueOfScalar(leaf.node.value) ?? strValue('');
    const where = leaf.path.join('.');
    if (typeof leaf.node.value !== 'string') throw tampered(file, `${where} is not encrypted`);
    const value = decryptValue(leaf.node.value, dataKey, pathData(leaf.path));
    if (value === 'format') throw tampered(file, `${where} is not encrypted`);
    if (value === 'authentication') throw tampered(file, `the value of ${where} does not verify`);
    return value;
  });
  const stored = decryptValue(metadata.mac, dataKey, macData(metadata.lastModified));
  if (
    typeof stored === 'string' ||
    stored.plain.toString('utf8') !== macOf(values, leaves, metadata)
  ) {
    throw tampered(file, 'its MAC does not match its values');
  }
  return { file, doc, metadata, dataKey, leaves, values };
}

/** Encrypts every value with the data key, stamps the time and the MAC, and prints the file. */
async function seal(opened: OpenedSops, age: SopsMetadata['age']): Promise<string> {
  const { doc, dataKey, leaves, values, metadata } = opened;
  leaves.forEach((leaf, index) => {
    const value = values[index];
    if (leaf.encrypted && value)
      leaf.node.value = encryptValue(value, dataKey, pathData(leaf.path));
  });
  const lastModified = sopsTimestamp();
  const mac = encryptValue(
    strValue(macOf(values, leaves, metadata)),
    dataKey,
    macData(lastModified),
  );
  writeMetadata(doc, { age, lastModified, mac });
  return doc.toString(STRINGIFY);
}

function assertAgeOnly(opened: OpenedSops, action: string): void {
  if (opened.metadata.otherKeys.length === 0) return;
  throw new NixstrapFailure(
    'SECRETS_FOREIGN_ENCRYPTION',
    `${opened.file} is also encrypted for ${opened.metadata.otherKeys.join(' and ')} keys, which Nixstrap cannot ${action} for.`,
    `Use sops itself for this file (\`sops ${action === 'rotate' ? '-r -i' : 'edit'} ${opened.file}\`).`,
  );
}

/** A new SOPS file holding string values by name, readable by the recipients. */
export async function createSops(
  values: Readonly<Record<string, string>>,
  recipients: readonly string[],
  file: string,
): Promise<string> {
  const doc = new Document({ ...values });
  const dataKey = randomBytes(32);
  const metadata: SopsMetadata = {
    age: [],
    otherKeys: [],
    lastModified: '',
    mac: '',
    rules: DEFAULT_RULES,
    macOnlyEncrypted: false,
  };
  const { leaves } = sopsLeaves(doc, DEFAULT_RULES, file);
  const opened: OpenedSops = {
    file,
    doc,
    metadata,
    dataKey,
    leaves,
    values: Object.values(values).map(strValue),
  };
  return seal(opened, await wrapDataKey(dataKey, recipients));
}

/**
 * Sets one top-level value (creating or replacing it) and re-encrypts, keeping the data key
 * and recipients, as an edit in sops does.
 */
export async function setSopsValue(
  opened: OpenedSops,
  name: string,
  value: string,
): Promise<string> {
  assertAgeOnly(opened, 'write');
  const { doc } = opened;
  const node = new Scalar(value);
  const map = doc.contents as YAMLMap;
  if (map.has(name)) {
    map.set(name, node);
  } else {
    // sops keeps its metadata last; a new value goes just before it.
    const at = map.items.findIndex((pair) => (pair.key as Scalar).value === 'sops');
    map.items.splice(at < 0 ? map.items.length : at, 0, doc.createPair(name, node));
  }
  const { leaves } = sopsLeaves(doc, opened.metadata.rules, opened.file);
  const previous = new Map(opened.leaves.map((leaf, i) => [leaf.node, opened.values[i]]));
  const values = leaves.map((leaf) =>
    leaf.node === node ? strValue(value) : (previous.get(leaf.node) ?? strValue('')),
  );
  return seal({ ...opened, leaves, values }, opened.metadata.age);
}

/**
 * Takes one top-level value out and re-encrypts the rest, keeping the data key and recipients,
 * as deleting its line in `sops edit` does: the MAC then covers what is left.
 */
export async function removeSopsValue(opened: OpenedSops, name: string): Promise<string> {
  assertAgeOnly(opened, 'write');
  const { doc } = opened;
  (doc.contents as YAMLMap).delete(name);
  const { leaves } = sopsLeaves(doc, opened.metadata.rules, opened.file);
  const previous = new Map(opened.leaves.map((leaf, i) => [leaf.node, opened.values[i]]));
  const values = leaves.map((leaf) => previous.get(leaf.node) ?? strValue(''));
  return seal({ ...opened, leaves, values }, opened.metadata.age);
}

/**
 * Wraps the data key for exactly these recipients (`sops updatekeys`): values, MAC and
 * lastmodified stay; entries of recipients that remain are kept as they are.
 */
export async function updateSopsRecipients(
  opened: OpenedSops,
  recipients: readonly string[],
): Promise<string> {
  const kept = new Map(opened.metadata.age.map((entry) => [entry.recipient, entry]));
  const added = recipients.filter((recipient) => !kept.has(recipient));
  const wrapped = new Map(
    (await wrapDataKey(opened.dataKey, added)).map((entry) => [entry.recipient, entry]),
  );
  const age = recipients.map((recipient) => kept.get(recipient) ?? wrapped.get(recipient)!);
  const { doc, metadata } = opened;
  const fields = { age, lastModified: metadata.lastModified, mac: metadata.mac };
  writeMetadata(doc, fields);
  return doc.toString(STRINGIFY);
}

/**
 * A new data key for the file (`sops rotate`): every value and comment re-encrypted, and the key
 * wrapped for `recipients` (by default the file's own). A reader dropped here knew the old data
 * key, which is why removing one goes through a rotation, not `updateSopsRecipients`.
 */
export async function rotateSops(
  opened: OpenedSops,
  recipients: readonly string[] = opened.metadata.age.map((entry) => entry.recipient),
): Promise<string> {
  assertAgeOnly(opened, 'rotate');
  const dataKey = randomBytes(32);
  const { comments } = sopsLeaves(opened.doc, opened.metadata.rules, opened.file);
  for (const slot of comments) {
    const text = slot.holder[slot.field];
    if (!text) continue;
    slot.holder[slot.field] = text
      .split('\n')
      .map((line) => {
        if (!isEncryptedText(line)) return line;
        const plain = decryptValue(line, opened.dataKey, pathData(slot.path));
        return typeof plain === 'string' ? line : encryptValue(plain, dataKey, pathData(slot.path));
      })
      .join('\n');
  }
  return seal({ ...opened, dataKey }, await wrapDataKey(dataKey, recipients));
}

/** The decrypted values as plain data (for tests and for re-encrypting), never printed. */
export function sopsPlainValues(opened: OpenedSops): Record<string, unknown> {
  const copy = opened.doc.clone();
  copy.delete('sops');
  const { leaves } = sopsLeaves(copy, opened.metadata.rules, opened.file);
  leaves.forEach((leaf, index) => {
    const value = opened.values[index];
    if (value) leaf.node.value = scalarOfValue(value);
  });
  return (copy.toJS({ mapAsMap: false }) ?? {}) as Record<string, unknown>;
}

/** What a file holds without opening it: how many values, and who can open it. */
export function summarizeSops(
  text: string,
  file: string,
): { values: number; names: string[]; recipients: string[]; otherKeys: string[] } {
  const doc = parseSops(text, file);
  const metadata = readMetadata(doc, file);
  const { leaves } = sopsLeaves(doc, metadata.rules, file);
  return {
    values: leaves.length,
    names: [...new Set(leaves.map((leaf) => leaf.path[0] ?? ''))],
    recipients: metadata.age.map((entry) => entry.recipient),
    otherKeys: metadata.otherKeys,
  };
}
