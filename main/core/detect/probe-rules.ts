import { normaliseMachinePath } from './machine-path';

/** The only environment variables detection reads; probes answer nothing else. */
export const DETECTION_ENV_VARS: readonly string[] = [
  'WSL_DISTRO_NAME',
  'WSL_INTEROP',
  'container',
  'SSH_CONNECTION',
  'SSH_TTY',
  // The default locale, where no file of the machine names one (a Mac, a container).
  'LANG',
];

/**
 * Variables detection only tests for: probes answer `1` when they are set, so a capture never
 * records the addresses and terminals of an SSH session.
 */
export const PRESENCE_ONLY_ENV_VARS: readonly string[] = ['SSH_CONNECTION', 'SSH_TTY'];

const FIXED_COMMANDS = new Set([
  'systemd-detect-virt',
  'uname -m',
  'nix --version',
  'sw_vers -productVersion',
]);

/** The commands FIXTURES.md allows, spelled exactly so a fixture replays on any build. */
export function isAllowedCommand(argv: readonly string[]): boolean {
  if (FIXED_COMMANDS.has(argv.join(' '))) return true;
  const [tool, flag, third, fourth] = argv;
  if (tool === 'sysctl' && flag === '-n' && argv.length === 3) {
    return /^[A-Za-z0-9_.]+$/.test(third ?? '');
  }
  if (tool === 'btrfs' && flag === 'subvol' && third === 'show' && argv.length === 4) {
    return (fourth ?? '').startsWith('/');
  }
  return false;
}

const SECRET_PATTERNS: readonly RegExp[] = [
  /^\/(root|home|Users)(\/|$)/,
  /^\/etc\/g?shadow-?$/,
  /^\/etc\/sudoers(\.d)?(\/|$)/,
  /^\/etc\/ssh\/[^/]*_key$/,
  /(^|\/)\.ssh(\/|$)/,
  /(^|\/)\.gnupg(\/|$)/,
  /(^|\/)id_(rsa|dsa|ecdsa|ed25519)(_sk)?$/,
  /^\/etc\/NetworkManager\/system-connections(\/|$)/,
  /^\/var\/lib\/(iwd|sops-nix|bluetooth)(\/|$)/,
  /^\/etc\/(wpa_supplicant|secrets)(\/|\.conf$|$)/,
];

/** Whether a machine path may hold a secret, so a capture must never copy it. */
export function isSecretPath(path: string): boolean {
  const normal = normaliseMachinePath(path);
  return SECRET_PATTERNS.some((pattern) => pattern.test(normal));
}
