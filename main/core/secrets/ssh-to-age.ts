import { createHash } from 'node:crypto';
import { NixstrapFailure } from '../../../common/failure';
import { bech32Encode } from './bech32';

/**
 * A machine's SSH ed25519 host key as an age key, the way ssh-to-age converts it, so sops-nix
 * decrypts with the key every NixOS machine already has. Public: the Edwards point's y becomes
 * the Montgomery u = (1 + y) / (1 - y). Private: the first half of SHA-512 of the seed, which is
 * the X25519 scalar Ed25519 itself uses (X25519 clamps it, so it is written unclamped, as
 * ssh-to-age writes it).
 */

const P = 2n ** 255n - 19n;
const D = mod(-121665n * inverse(121666n));

function mod(value: bigint): bigint {
  const r = value % P;
  return r < 0n ? r + P : r;
}

function power(base: bigint, exponent: bigint): bigint {
  let result = 1n;
  let b = mod(base);
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % P;
    b = (b * b) % P;
    e >>= 1n;
  }
  return result;
}

function inverse(value: bigint): bigint {
  return power(value, P - 2n);
}

function littleEndian(bytes: Uint8Array): bigint {
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i -= 1) value = (value << 8n) | BigInt(bytes[i] ?? 0);
  return value;
}

function toLittleEndian(value: bigint): Uint8Array {
  const out = new Uint8Array(32);
  let v = value;
  for (let i = 0; i < 32; i += 1) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

function invalidKey(message: string, hint: string): NixstrapFailure {
  return new NixstrapFailure('SECRETS_KEY_INVALID', message, hint);
}

/** The Montgomery form of an Ed25519 public key, refusing bytes that are not a curve point. */
function montgomeryFromEdwards(publicKey: Uint8Array): Uint8Array {
  const encoded = Uint8Array.from(publicKey);
  encoded[31] = (encoded[31] ?? 0) & 0x7f;
  const y = littleEndian(encoded);
  const y2 = (y * y) % P;
  const ratio = mod((y2 - 1n) * inverse(mod(D * y2 + 1n)));
  const onCurve = y < P && (ratio === 0n || power(ratio, (P - 1n) / 2n) === 1n);
  if (!onCurve || y === 1n) {
    throw invalidKey(
      'The SSH host key is not a valid Ed25519 public key.',
      'Check /etc/ssh/ssh_host_ed25519_key.pub; `ssh-keygen -l -f` on it must print a fingerprint.',
    );
  }
  return toLittleEndian(mod((1n + y) * inverse(mod(1n - y))));
}

/** Reads one length-prefixed field of the SSH wire format. */
class WireReader {
  private offset = 0;
  constructor(private readonly bytes: Uint8Array) {}
  uint32(): number {
    if (this.offset + 4 > this.bytes.length) throw new RangeError('truncated');
    const view = new DataView(this.bytes.buffer, this.bytes.byteOffset + this.offset, 4);
    this.offset += 4;
    return view.getUint32(0);
  }
  string(): Uint8Array {
    const length = this.uint32();
    if (this.offset + length > this.bytes.length) throw new RangeError('truncated');
    const field = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return field;
  }
  text(): string {
    return Buffer.from(this.string()).toString('latin1');
  }
}

/** The 32 key bytes of an `ssh-ed25519 AAAA… [comment]` line, or null when it is not one. */
export function ed25519PublicKeyBytes(line: string): Uint8Array | null {
  const [type, data] = line.trim().split(/\s+/);
  if (type !== 'ssh-ed25519' || data === undefined || !/^[A-Za-z0-9+/]+={0,2}$/.test(data)) {
    return null;
  }
  try {
    const reader = new WireReader(Buffer.from(data, 'base64'));
    if (reader.text() !== 'ssh-ed25519') return null;
    const key = reader.string();
    return key.length === 32 ? Uint8Array.from(key) : null;
  } catch {
    return null;
  }
}

function ageRecipientFromEd25519(publicKey: Uint8Array): string {
  return bech32Encode('age', montgomeryFromEdwards(publicKey));
}

/** The age recipient (`age1…`) of an `ssh-ed25519` public key line. */
export function sshPublicKeyToAge(line: string): string {
  const key = ed25519PublicKeyBytes(line);
  if (key === null) {
    throw invalidKey(
      'The SSH host key is not an ssh-ed25519 public key, so it cannot be turned into an age key.',
      'sops-nix reads only ed25519 host keys; create one with `ssh-keygen -A` (as root) or let Nixstrap make a dedicated age key.',
    );
  }
  return ageRecipientFromEd25519(key);
}

const PRIVATE_KEY =
  /-----BEGIN OPENSSH PRIVATE KEY-----([\s\S]*?)-----END OPENSSH PRIVATE KEY-----/;
const MAGIC = 'openssh-key-v1\0';

function ed25519Seed(pem: string): { seed: Uint8Array; publicKey: Uint8Array } {
  const body = PRIVATE_KEY.exec(pem)?.[1];
  if (body === undefined) {
    throw invalidKey(
      'The file is not an OpenSSH private key.',
      'Pass the private half of the host key, e.g. /etc/ssh/ssh_host_ed25519_key.',
    );
  }
  const bytes = Buffer.from(body.replace(/\s+/g, ''), 'base64');
  const broken = () =>
    invalidKey(
      'The OpenSSH private key is damaged (its fields do not add up).',
      'Check the file; `ssh-keygen -y -f FILE` must print its public key.',
    );
  if (bytes.subarray(0, MAGIC.length).toString('latin1') !== MAGIC) throw broken();
  try {
    const outer = new WireReader(bytes.subarray(MAGIC.length));
    const cipher = outer.text();
    outer.text();
    outer.string();
    if (cipher !== 'none') {
      throw invalidKey(
        'The SSH private key is protected by a passphrase, so it cannot be used as an age key.',
        'Host keys have no passphrase; for a personal key, use an age key instead.',
      );
    }
    if (outer.uint32() !== 1) throw broken();
    outer.string();
    const inner = new WireReader(outer.string());
    // Two equal check words: they differ when a passphrase was wrong or the key is damaged.
    const check = inner.uint32();
    if (inner.uint32() !== check) throw broken();
    const type = inner.text();
    if (type !== 'ssh-ed25519') {
      throw invalidKey(
        `The SSH private key is ${type}, not ed25519, so it cannot be turned into an age key.`,
        'sops-nix uses ed25519 host keys; use /etc/ssh/ssh_host_ed25519_key.',
      );
    }
    const publicKey = inner.string();
    const secret = inner.string();
    if (publicKey.length !== 32 || secret.length !== 64) throw broken();
    if (!Buffer.from(secret.subarray(32)).equals(Buffer.from(publicKey))) throw broken();
    return { seed: Uint8Array.from(secret.subarray(0, 32)), publicKey: Uint8Array.from(publicKey) };
  } catch (error) {
    if (error instanceof NixstrapFailure) throw error;
    throw broken();
  }
}

/** The age identity (`AGE-SECRET-KEY-1…`) and recipient of an OpenSSH ed25519 private key. */
export function sshPrivateKeyToAge(pem: string): { identity: string; recipient: string } {
  const { seed, publicKey } = ed25519Seed(pem);
  const scalar = createHash('sha512').update(seed).digest().subarray(0, 32);
  return {
    identity: bech32Encode('AGE-SECRET-KEY-', scalar).toUpperCase(),
    recipient: ageRecipientFromEd25519(publicKey),
  };
}
