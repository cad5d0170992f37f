import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * One value of a SOPS file, as sops encrypts it: AES-256-GCM with a 32-byte IV, the path of
 * keys as additional data, written `ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]`. The type says
 * how the plaintext bytes read back (sops writes booleans as `True`/`False`).
 */
export const VALUE_TYPES = ['str', 'int', 'float', 'bool', 'bytes', 'time', 'comment'] as const;
export type SopsValueType = (typeof VALUE_TYPES)[number];

export interface SopsValue {
  type: SopsValueType;
  plain: Buffer;
}

const IV_BYTES = 32;
const TAG_BYTES = 16;
const ENC = /^ENC\[AES256_GCM,data:(.+),iv:(.+),tag:(.+),type:(.+)\]/;

export function isEncryptedText(text: string): boolean {
  return ENC.test(text);
}

export function strValue(text: string): SopsValue {
  return { type: 'str', plain: Buffer.from(text, 'utf8') };
}

/** Additional data of a value: its keys joined by `:`, plus a final `:` (sops's spelling). */
export function pathData(path: readonly string[]): string {
  return `${path.join(':')}:`;
}

export function encryptValue(value: SopsValue, key: Uint8Array, additionalData: string): string {
  if (value.plain.length === 0) return '';
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(additionalData, 'utf8'));
  const data = Buffer.concat([cipher.update(value.plain), cipher.final()]);
  const tag = cipher.getAuthTag();
  return `ENC[AES256_GCM,data:${data.toString('base64')},iv:${iv.toString('base64')},tag:${tag.toString('base64')},type:${value.type}]`;
}

/** Why a value could not be decrypted: not in sops's format, or it does not authenticate. */
export type ValueFailure = 'format' | 'authentication';

export function decryptValue(
  text: string,
  key: Uint8Array,
  additionalData: string,
): SopsValue | ValueFailure {
  if (text === '') return strValue('');
  const match = ENC.exec(text);
  const type = match?.[4] as SopsValueType | undefined;
  if (!match || type === undefined || !VALUE_TYPES.includes(type)) return 'format';
  const [data, iv, tag] = [match[1], match[2], match[3]].map((part) =>
    Buffer.from(part ?? '', 'base64'),
  );
  if (!data || !iv || !tag || iv.length === 0 || tag.length !== TAG_BYTES) return 'format';
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(additionalData, 'utf8'));
    decipher.setAuthTag(tag);
    return { type, plain: Buffer.concat([decipher.update(data), decipher.final()]) };
  } catch {
    return 'authentication';
  }
}

/** Go's strconv.FormatFloat(x, 'f', -1, 64): the shortest digits, never an exponent. */
export function formatFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  const text = String(value);
  const match = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!match) return text;
  const [, sign = '', lead = '', rest = '', exponentText = '0'] = match;
  const digits = `${lead}${rest}`;
  const point = 1 + Number(exponentText);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);

/**
 * The bytes sops feeds the MAC for a value: what its Go type prints, so a value decrypted as
 * `int` counts as its decimal digits and a boolean as `True`/`False`.
 */
export function macBytes(value: SopsValue): Buffer {
  const text = value.plain.toString('utf8');
  switch (value.type) {
    case 'int':
      return Buffer.from(/^[+-]?\d+$/.test(text) ? BigInt(text).toString() : text);
    case 'float':
      return Buffer.from(formatFloat(Number(text)));
    case 'bool':
      return Buffer.from(TRUE.has(text) ? 'True' : 'False');
    default:
      return value.plain;
  }
}

/** The SOPS value of a plaintext YAML scalar (an `_unencrypted` one, or one about to be encrypted). */
export function valueOfScalar(scalar: unknown): SopsValue | null {
  if (scalar === null || scalar === undefined) return null;
  if (typeof scalar === 'bigint') return { type: 'int', plain: Buffer.from(scalar.toString()) };
  // Integers arrive as bigint (the parser is told so), so a number is a float, as in Go.
  if (typeof scalar === 'number') return { type: 'float', plain: Buffer.from(formatFloat(scalar)) };
  if (typeof scalar === 'boolean')
    return { type: 'bool', plain: Buffer.from(scalar ? 'True' : 'False') };
  return strValue(String(scalar));
}

/** A decrypted value as the YAML scalar it stands for. */
export function scalarOfValue(value: SopsValue): string | number | bigint | boolean {
  const text = value.plain.toString('utf8');
  switch (value.type) {
    case 'int':
      return /^[+-]?\d+$/.test(text) ? BigInt(text) : text;
    case 'float':
      return Number(text);
    case 'bool':
      return TRUE.has(text);
    default:
      return text;
  }
}
