import { ed25519PublicKeyBytes } from '../../secrets/ssh-to-age';
import type { DetectContext, FactsDraft } from './context';

/** The public half of the host's SSH ed25519 key; the private half is never read. */
export const SSH_HOST_PUBLIC_KEY = '/etc/ssh/ssh_host_ed25519_key.pub';

/** The machine's SSH ed25519 host key, the key sops-nix decrypts this host's secrets with. */
export function detectSshHostKey(ctx: DetectContext, facts: FactsDraft): void {
  const text = ctx.probe.readFile(SSH_HOST_PUBLIC_KEY);
  if (text === null || text.trim() === '') return;
  const [type, data] = text.trim().split(/\s+/);
  if (ed25519PublicKeyBytes(text) === null) {
    ctx.warn(
      `${SSH_HOST_PUBLIC_KEY} is not an ed25519 public key, so this host's secrets get an age key of their own instead of the SSH host key.`,
    );
    return;
  }
  facts.sshHostKey = `${type} ${data}`;
}
