/**
 * Bech32 (BIP 173), the encoding of age keys: `age1…` recipients and `AGE-SECRET-KEY-1…`
 * identities. age uses the original checksum, not Bech32m, and no length limit.
 */
const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const GENERATOR = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

function polymod(values: readonly number[]): number {
  let checksum = 1;
  for (const value of values) {
    const top = checksum >>> 25;
    checksum = ((checksum & 0x1ffffff) << 5) ^ value;
    for (let bit = 0; bit < 5; bit += 1) {
      if ((top >>> bit) & 1) checksum ^= GENERATOR[bit] ?? 0;
    }
  }
  return checksum >>> 0;
}

function expandPrefix(prefix: string): number[] {
  const codes = [...prefix].map((char) => char.charCodeAt(0));
  return [...codes.map((code) => code >> 5), 0, ...codes.map((code) => code & 31)];
}

/** Regroups bits, e.g. bytes (8) into Bech32 words (5); null when padding is not zero. */
function convertBits(data: Iterable<number>, from: number, to: number, pad: boolean) {
  let accumulator = 0;
  let bits = 0;
  const out: number[] = [];
  const mask = (1 << to) - 1;
  for (const value of data) {
    accumulator = (accumulator << from) | value;
    bits += from;
    while (bits >= to) {
      bits -= to;
      out.push((accumulator >> bits) & mask);
    }
  }
  if (pad) {
    if (bits > 0) out.push((accumulator << (to - bits)) & mask);
  } else if (bits >= from || ((accumulator << (to - bits)) & mask) !== 0) {
    return null;
  }
  return out;
}

/** Lower-case Bech32 text; age upper-cases secret keys itself. */
export function bech32Encode(prefix: string, bytes: Uint8Array): string {
  const lower = prefix.toLowerCase();
  const words = convertBits(bytes, 8, 5, true) ?? [];
  const check = polymod([...expandPrefix(lower), ...words, 0, 0, 0, 0, 0, 0]) ^ 1;
  const checksum = Array.from({ length: 6 }, (_, i) => (check >>> (5 * (5 - i))) & 31);
  return `${lower}1${[...words, ...checksum].map((word) => CHARSET[word]).join('')}`;
}

/** The prefix (lower case) and bytes of Bech32 text, or null when it is not valid Bech32. */
export function bech32Decode(text: string): { prefix: string; bytes: Uint8Array } | null {
  if (text !== text.toLowerCase() && text !== text.toUpperCase()) return null;
  const lower = text.toLowerCase();
  const separator = lower.lastIndexOf('1');
  if (separator < 1 || separator + 7 > lower.length) return null;
  const prefix = lower.slice(0, separator);
  const words: number[] = [];
  for (const char of lower.slice(separator + 1)) {
    const word = CHARSET.indexOf(char);
    if (word < 0) return null;
    words.push(word);
  }
  if (polymod([...expandPrefix(prefix), ...words]) !== 1) return null;
  const bytes = convertBits(words.slice(0, -6), 5, 8, false);
  return bytes === null ? null : { prefix, bytes: Uint8Array.from(bytes) };
}
