import { chmod, open, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import { NixstrapFailure } from '../../../common/failure';
import { makeDirs } from '../platform';
import { sshPrivateKeyToAge } from './ssh-to-age';

/**
 * Age key files: the owner's (where sops looks for it) and the dedicated host keys Nixstrap
 * makes for machines without an SSH host key. A private key is read here, used in memory and
 * never returned to a caller that prints, logs or stores: only the recipient and the path go on.
 */
export interface KeyPlaces {
  env: Readonly<Record<string, string | undefined>>;
  home: string;
  platform: NodeJS.Platform;
}

export interface AgeKeyFile {
  path: string;
  recipient: string;
  /** True when this call wrote the file. */
  created: boolean;
}

const SECRET_KEY = /^AGE-SECRET-KEY-1[0-9A-Z]+$/;

/** Where sops reads the owner's keys: $SOPS_AGE_KEY_FILE, else the user config dir's sops/age/keys.txt. */
export function ownerKeyPath(places: KeyPlaces): string {
  const explicit = places.env.SOPS_AGE_KEY_FILE;
  if (explicit) return path.resolve(explicit);
  const xdg = places.env.XDG_CONFIG_HOME;
  const configDir =
    xdg && path.isAbsolute(xdg)
      ? xdg
      : places.platform === 'darwin'
        ? path.join(places.home, 'Library', 'Application Support')
        : path.join(places.home, '.config');
  return path.join(configDir, 'sops', 'age', 'keys.txt');
}

/** The X25519 identities in an age keys file (comments and other key kinds are skipped). */
export function identitiesIn(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => SECRET_KEY.test(line));
}

async function readKeyFile(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'ENOTDIR') {
      throw new NixstrapFailure(
        'SECRETS_KEY_INVALID',
        `The age key file ${file} cannot be read or made: a file stands where one of its folders should be.`,
        'Move that file away, or keep the key elsewhere: SOPS_AGE_KEY_FILE for your own key, another data folder for a host key.',
      );
    }
    if (code === 'EISDIR') {
      throw new NixstrapFailure(
        'SECRETS_KEY_INVALID',
        `The age key file ${file} is a folder, not a file, so Nixstrap cannot read a key from it.`,
        'Move that folder away, or keep the key elsewhere: SOPS_AGE_KEY_FILE for your own key, another data folder for a host key.',
      );
    }
    throw new NixstrapFailure(
      'SECRETS_KEY_INVALID',
      `The age key file ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`,
      'Check its permissions: it should belong to you, with mode 600.',
    );
  }
}

async function firstRecipient(file: string, text: string): Promise<string> {
  const identities = identitiesIn(text);
  for (const identity of identities) {
    try {
      return await identityToRecipient(identity);
    } catch {
      // A damaged line; the next one may be fine.
    }
  }
  throw new NixstrapFailure(
    'SECRETS_KEY_INVALID',
    identities.length > 0
      ? `${file} holds no usable age key: its AGE-SECRET-KEY-1 ${identities.length === 1 ? 'line is' : 'lines are'} damaged (cut short or mistyped), so Nixstrap cannot use it and left it as it is.`
      : `${file} holds no age key (a line starting AGE-SECRET-KEY-1), so Nixstrap cannot use it and left it as it is.`,
    'Fix or move that file, or point SOPS_AGE_KEY_FILE at the file that holds your key.',
  );
}

/** Creates the folders a key goes into; those it creates only their owner may enter. */
async function makePrivateDirs(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let d = dir; ; d = path.dirname(d)) {
    if (
      await stat(d).then(
        () => true,
        () => false,
      )
    )
      break;
    missing.push(d);
    if (path.dirname(d) === d) break;
  }
  await makeDirs(dir);
  for (const created of missing) await chmod(created, 0o700);
}

/**
 * A key that cannot be made where it belongs, in words: a folder of the way that is not the
 * user's (a home folder on a read-only mount, a `~/.config` made by root), or a full disk.
 */
function keyNotMade(file: string, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  const why: Record<string, string> = {
    EACCES: 'you may not write to its folder',
    EPERM: 'you may not write to its folder',
    EROFS: 'its folder is on a read-only file system',
    ENOSPC: 'the disk is full',
    EDQUOT: 'your disk quota is used up',
  };
  if (!code || !why[code]) return error;
  return new NixstrapFailure(
    'SECRETS_KEY_INVALID',
    `Nixstrap cannot make the age key ${file}: ${why[code]}.`,
    code === 'ENOSPC' || code === 'EDQUOT'
      ? 'Free some space, then try again.'
      : 'Make that folder yours and writable, or keep the key elsewhere: SOPS_AGE_KEY_FILE for your own key, another data folder for a host key.',
  );
}

/** Writes a new identity, readable by its owner only, into a folder only they can enter. */
async function writeNewKey(file: string): Promise<string> {
  try {
    return await writeKeyFile(file);
  } catch (error) {
    throw keyNotMade(file, error);
  }
}

async function writeKeyFile(file: string): Promise<string> {
  await makePrivateDirs(path.dirname(file));
  const identity = await generateX25519Identity();
  const recipient = await identityToRecipient(identity);
  const created = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const handle = await open(file, 'wx', 0o600);
  try {
    await handle.writeFile(`# created: ${created}\n# public key: ${recipient}\n${identity}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return recipient;
}

/** An age key file's recipient, made first when the file is absent. */
export async function ensureKeyFile(file: string, create: boolean): Promise<AgeKeyFile | null> {
  const text = await readKeyFile(file);
  if (text !== null)
    return { path: file, recipient: await firstRecipient(file, text), created: false };
  if (!create) return null;
  return { path: file, recipient: await writeNewKey(file), created: true };
}

/** The owner's key: found where sops looks, or generated there when `create`. */
export function ensureOwnerKey(places: KeyPlaces, create: boolean): Promise<AgeKeyFile | null> {
  return ensureKeyFile(ownerKeyPath(places), create);
}

/** Where Nixstrap keeps a dedicated host key until the owner installs it on the host. */
export function hostKeyPath(dataDir: string, hostName: string): string {
  return path.join(dataDir, 'host-keys', `${hostName}.txt`);
}

/** Where sops-nix reads a dedicated host key on the host. */
export const HOST_KEY_ON_HOST = '/var/lib/sops-nix/key.txt';
export const SSH_HOST_KEY = '/etc/ssh/ssh_host_ed25519_key';

/**
 * The identities age can use: a damaged line (cut short, mistyped) is left out, since age's
 * error about it would quote the private key.
 */
async function usableIdentities(identities: string[]): Promise<string[]> {
  const usable: string[] = [];
  for (const identity of identities) {
    try {
      await identityToRecipient(identity);
      usable.push(identity);
    } catch {
      // Not a key: the owner's key file is said to be damaged where it is read for its recipient.
    }
  }
  return usable;
}

/**
 * Every identity this machine holds for sops, as sops itself finds them ($SOPS_AGE_KEY,
 * $SOPS_AGE_KEY_FILE, the config dir's keys.txt), plus the SSH host key converted, when this
 * user may read it (root on a host), as sops-nix does at activation.
 */
export async function localIdentities(places: KeyPlaces): Promise<string[]> {
  const found = await usableIdentities(identitiesIn(places.env.SOPS_AGE_KEY ?? ''));
  const file = await readFile(ownerKeyPath(places), 'utf8').catch(() => '');
  found.push(...(await usableIdentities(identitiesIn(file))));
  const hostKey = await readFile(SSH_HOST_KEY, 'utf8').catch(() => null);
  if (hostKey !== null) {
    try {
      found.push(sshPrivateKeyToAge(hostKey).identity);
    } catch {
      // Not an ed25519 key Nixstrap can convert: sops-nix could not use it either.
    }
  }
  return [...new Set(found)];
}
