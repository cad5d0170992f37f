import { createHash, randomBytes } from 'node:crypto';

/**
 * SHA-512 crypt (`$6$`), as glibc and libxcrypt write it: Ulrich Drepper's "Unix crypt using
 * SHA-256 and SHA-512", whose output `mkpasswd -m sha-512` and /etc/shadow use. Written here
 * so the engine hashes a password itself, without a tool that may be missing or a shell that
 * could see the password in its arguments.
 */

const ALPHABET = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const DEFAULT_ROUNDS = 5000;
const MIN_ROUNDS = 1000;
const MAX_ROUNDS = 999_999_999;
const MAX_SALT = 16;

/** Byte triples of the final digest, in the order the format's own base64 writes them. */
const ORDER: readonly [number, number, number][] = [
  [0, 21, 42],
  [22, 43, 1],
  [44, 2, 23],
  [3, 24, 45],
  [25, 46, 4],
  [47, 5, 26],
  [6, 27, 48],
  [28, 49, 7],
  [50, 8, 29],
  [9, 30, 51],
  [31, 52, 10],
  [53, 11, 32],
  [12, 33, 54],
  [34, 55, 13],
  [56, 14, 35],
  [15, 36, 57],
  [37, 58, 16],
  [59, 17, 38],
  [18, 39, 60],
  [40, 61, 19],
  [62, 20, 41],
];

function sha512(...parts: Buffer[]): Buffer {
  const hash = createHash('sha512');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

/** `source` repeated and cut to `length` bytes. */
function stretch(source: Buffer, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i += source.length)
    source.copy(out, i, 0, Math.min(source.length, length - i));
  return out;
}

function encode24(b2: number, b1: number, b0: number, chars: number): string {
  let word = (b2 << 16) | (b1 << 8) | b0;
  let out = '';
  for (let i = 0; i < chars; i++) {
    out += ALPHABET[word & 0x3f];
    word >>>= 6;
  }
  return out;
}

function encode(digest: Buffer): string {
  const triples = ORDER.map(([a, b, c]) => encode24(digest[a]!, digest[b]!, digest[c]!, 4));
  return triples.join('') + encode24(0, 0, digest[63]!, 2);
}

/** The `$6$` hash of `password` with this salt (at most 16 characters are used). */
export function sha512Crypt(password: string, salt: string, rounds = DEFAULT_ROUNDS): string {
  const count = Math.min(MAX_ROUNDS, Math.max(MIN_ROUNDS, Math.trunc(rounds)));
  const p = Buffer.from(password, 'utf8');
  const s = Buffer.from(salt.slice(0, MAX_SALT), 'utf8');
  const b = sha512(p, s, p);
  const aParts = [p, s, stretch(b, p.length)];
  for (let n = p.length; n > 0; n >>= 1) aParts.push(n & 1 ? b : p);
  const a = sha512(...aParts);
  const pBytes = stretch(sha512(...Array.from({ length: p.length }, () => p)), p.length);
  const sBytes = stretch(sha512(...Array.from({ length: 16 + a[0]! }, () => s)), s.length);
  let c = a;
  for (let i = 0; i < count; i++) {
    const parts: Buffer[] = [i & 1 ? pBytes : c];
    if (i % 3) parts.push(sBytes);
    if (i % 7) parts.push(pBytes);
    parts.push(i & 1 ? c : pBytes);
    c = sha512(...parts);
  }
  const prefix = count === DEFAULT_ROUNDS ? '$6$' : `$6$rounds=${count}$`;
  return `${prefix}${s.toString('utf8')}$${encode(c)}`;
}

/** A fresh salt of the format's full 16 characters. */
export function newSalt(): string {
  return [...randomBytes(MAX_SALT)].map((byte) => ALPHABET[byte & 0x3f]).join('');
}
