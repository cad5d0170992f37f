import type { Facts } from '../../../common/facts';
import { ensureKeyFile, hostKeyPath } from './age-keys';
import { parseSops } from './sops-file';
import { readMetadata } from './sops-metadata';
import { sshPublicKeyToAge } from './ssh-to-age';

/**
 * The host keys this machine would decrypt host `hostName`'s secrets with: its SSH host key as
 * sops-nix converts it, and the age key Nixstrap made here for that host (kept in the data dir
 * until installed). Only the public halves are read; nothing is created.
 */
export async function thisMachineHostRecipients(
  facts: Facts,
  hostName: string,
  dataDir: string | null,
): Promise<string[]> {
  const recipients: string[] = [];
  if (facts.sshHostKey !== null) {
    try {
      recipients.push(sshPublicKeyToAge(facts.sshHostKey));
    } catch {
      // Not ed25519: sops-nix could not have encrypted for it either.
    }
  }
  if (dataDir !== null) {
    const made = await ensureKeyFile(hostKeyPath(dataDir, hostName), false).catch(() => null);
    if (made) recipients.push(made.recipient);
  }
  return recipients;
}

/**
 * The age recipients a SOPS file's data key is wrapped for, by its metadata alone (no value is
 * decrypted); null when it is no SOPS file Nixstrap reads (damaged, key groups, not SOPS).
 */
export function sopsReaders(text: string, file: string): string[] | null {
  try {
    return readMetadata(parseSops(text, file), file).age.map((entry) => entry.recipient);
  } catch {
    return null;
  }
}
