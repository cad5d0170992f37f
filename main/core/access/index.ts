import type { AnswerIssue, Answers } from '../../../common/answers';
import type { Facts } from '../../../common/facts';

/** Cloud providers whose servers have no screen or keyboard, only SSH (and a rescue console). */
const CLOUD_VENDORS: Readonly<Record<string, string>> = {
  hetzner: 'Hetzner Cloud',
  ec2: 'Amazon EC2',
  gce: 'Google Compute Engine',
  azure: 'Azure',
  digitalocean: 'DigitalOcean',
  openstack: 'OpenStack',
};

/** NixOS hosts only: macOS keeps its own logins, NixOS-WSL and containers let their owner in. */
function configuresLogins(facts: Facts): boolean {
  return !['apple-silicon-mac', 'intel-mac', 'wsl', 'container'].includes(facts.kind);
}

/**
 * Why the owner can reach this machine only over SSH once it switches, or null when someone
 * can sit at it: a cloud server, a microVM or a headless board has no console, and a session
 * over SSH right now means the owner is not at this one.
 */
export function remoteOnlyReason(facts: Facts, desktop: Answers['desktop']): string | null {
  if (!configuresLogins(facts)) return null;
  if (facts.remoteSession) return 'Nixstrap is running in an SSH session on this machine';
  const cloud = facts.vmVendor === null ? undefined : CLOUD_VENDORS[facts.vmVendor];
  if (cloud) return `this is a ${cloud} server, with no screen or keyboard`;
  if (facts.vmVendor === 'firecracker') return 'this microVM has no console';
  if (facts.kind === 'raspberry-pi' && desktop === 'none') {
    return 'this Raspberry Pi runs without a desktop, as a headless board';
  }
  return null;
}

/** Whether the owner must give a password: where NixOS creates their account, for login and sudo. */
export function passwordNeed(facts: Facts): 'required' | 'optional' | 'unsupported' {
  if (facts.kind === 'apple-silicon-mac' || facts.kind === 'intel-mac') return 'unsupported';
  return configuresLogins(facts) ? 'required' : 'optional';
}

/**
 * Whether the owner can still log in after the switch: at the console with a password, and
 * over SSH where there is no console. Each issue says why and what to add, on the field that
 * fixes it. The password is asked for even where the account exists already (and keeps its
 * password, users.mutableUsers being on): the repo also installs this machine afresh.
 */
export function accessIssues(facts: Facts, answers: Answers): AnswerIssue[] {
  if (!configuresLogins(facts)) return [];
  const issues: AnswerIssue[] = [];
  const lockout = (field: string, message: string) =>
    issues.push({ field, message, kind: 'lockout' });
  const user = answers.userName;
  const remote = remoteOnlyReason(facts, answers.desktop);
  if (answers.passwordHash === null) {
    lockout(
      'passwordHash',
      remote === null
        ? `Set a password for ${user}: without one nobody can log in at the console, and sudo (which nixos-rebuild needs) refuses ${user}.`
        : `Set a password for ${user}: sudo (which nixos-rebuild needs) asks for it, and without one ${user} cannot run it.`,
    );
  }
  if (remote === null) return issues;
  if (!answers.services.includes('openssh')) {
    lockout(
      'services',
      `Keep "SSH server" on: ${remote}, so SSH is the only way in after the switch.`,
    );
  } else if (
    answers.sshAuthorizedKeys.length === 0 &&
    !(answers.sshPasswordLogin && answers.passwordHash !== null)
  ) {
    lockout(
      'sshAuthorizedKeys',
      `Add an SSH public key (or allow password login over SSH): ${remote}, and SSH lets nobody in without one.`,
    );
  }
  return issues;
}
