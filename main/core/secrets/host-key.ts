import type { Facts } from '../../../common/facts';
import type { SecretKeys } from '../../../common/secrets';
import { shellCommand } from '../../../common/shell-word';
import {
  ensureKeyFile,
  ensureOwnerKey,
  HOST_KEY_ON_HOST,
  hostKeyPath,
  type KeyPlaces,
  ownerKeyPath,
  SSH_HOST_KEY,
} from './age-keys';
import { sshPublicKeyToAge } from './ssh-to-age';

/**
 * The key a host decrypts its secrets with. A machine with an SSH ed25519 host key uses it
 * (sops-nix converts it as ssh-to-age does); one without gets an age key of its own, which
 * Nixstrap keeps in its data dir (mode 600) until the owner installs it on the host.
 */
export type HostKey =
  | { source: 'ssh-host-key'; recipient: string }
  | { source: 'age-key'; recipient: string; path: string; created: boolean };

export async function resolveHostKey(
  facts: Facts,
  hostName: string,
  dataDir: string,
): Promise<HostKey> {
  if (facts.sshHostKey !== null) {
    return { source: 'ssh-host-key', recipient: sshPublicKeyToAge(facts.sshHostKey) };
  }
  const file = (await ensureKeyFile(hostKeyPath(dataDir, hostName), true))!;
  return { source: 'age-key', recipient: file.recipient, path: file.path, created: file.created };
}

/** What the owner must do before the host's first rebuild so it can read its secrets. */
export function hostKeyNotice(facts: Facts, hostName: string, key: HostKey): string | null {
  if (key.source === 'age-key') {
    return `Host ${hostName} has no SSH host key, so Nixstrap made it an age key, kept at ${key.path} (readable by you only): before its first rebuild, install it there with \`${shellCommand(['sudo', 'install', '-D', '-m', '400', key.path, HOST_KEY_ON_HOST])}\`, then delete ${key.path}.`;
  }
  const becomesNixos =
    facts.os.id !== 'nixos' && facts.kind !== 'apple-silicon-mac' && facts.kind !== 'intel-mac';
  if (!becomesNixos) return null;
  return `Host ${hostName} reads its secrets with this system's SSH host key: copy ${SSH_HOST_KEY} and ${SSH_HOST_KEY}.pub into the new NixOS system's /etc/ssh/ (under /mnt for nixos-install) before its first boot, or it cannot read them.`;
}

/**
 * The public halves of the keys a host's secrets use, for the wizard: the owner's (found, or
 * made when `create`) and the host's. Without `create` nothing is written.
 */
export async function secretKeys(
  facts: Facts,
  hostName: string,
  places: KeyPlaces,
  dataDir: string,
  create: boolean,
): Promise<SecretKeys> {
  const owner = await ensureOwnerKey(places, create);
  const ownerPart = {
    path: owner?.path ?? ownerKeyPath(places),
    recipient: owner?.recipient ?? null,
    created: owner?.created ?? false,
  };
  if (facts.sshHostKey !== null || create) {
    const host = await resolveHostKey(facts, hostName, dataDir);
    const keyPath = host.source === 'age-key' ? host.path : null;
    return {
      owner: ownerPart,
      host: { source: host.source, recipient: host.recipient, path: keyPath },
    };
  }
  const file = await ensureKeyFile(hostKeyPath(dataDir, hostName), false);
  return {
    owner: ownerPart,
    host: {
      source: 'age-key',
      recipient: file?.recipient ?? null,
      path: hostKeyPath(dataDir, hostName),
    },
  };
}
