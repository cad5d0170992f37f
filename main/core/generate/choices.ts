import {
  type AnswerChoices,
  type AnswerIssue,
  type Answers,
  DESKTOPS,
  RELEASE_NAMES,
  SERVICES,
} from '../../../common/answers';
import type { Facts } from '../../../common/facts';
import { passwordNeed, remoteOnlyReason } from '../access';
import { hostKind } from './inputs';
import { KEYBOARD_LAYOUTS } from './keyboard';
import { RELEASES } from './releases';

type Service = (typeof SERVICES)[number];

/** What nix-darwin can switch on; the rest of a Linux desktop has no macOS counterpart here. */
const DARWIN_SERVICES: readonly Service[] = ['openssh', 'tailscale'];
/** WSL and containers borrow their hardware and screen from the machine they run on. */
const GUEST_SERVICES: readonly Service[] = ['openssh', 'tailscale', 'docker', 'podman', 'printing'];

function isMac(facts: Facts): boolean {
  return hostKind(facts) === 'darwin';
}

function isGuest(facts: Facts): boolean {
  return facts.kind === 'wsl' || facts.kind === 'container';
}

function offeredServices(facts: Facts): Service[] {
  if (isMac(facts)) return [...DARWIN_SERVICES];
  if (isGuest(facts)) return [...GUEST_SERVICES];
  return SERVICES.filter((service) => service !== 'bluetooth' || facts.bluetooth);
}

/** The wizard's choices that take effect on this machine. */
export function answerChoices(facts: Facts): AnswerChoices {
  const mac = isMac(facts);
  return {
    desktops: mac || isGuest(facts) ? ['none'] : [...DESKTOPS],
    services: offeredServices(facts),
    releases: RELEASE_NAMES.filter(
      (name) => facts.kind !== 'intel-mac' || RELEASES[name].intelMacs,
    ),
    keyboard: !mac,
    locale: !mac,
    password: passwordNeed(facts),
    sshPasswordLogin: !mac,
    remoteOnly: remoteOnlyReason(facts, 'none'),
    keyboardLayouts: KEYBOARD_LAYOUTS.names,
  };
}

/** How the issues below name the machine. */
function machineName(facts: Facts): string {
  if (isMac(facts)) return 'macOS';
  if (facts.kind === 'wsl') return 'WSL';
  if (facts.kind === 'container') return 'a container';
  return 'this machine';
}

/**
 * Answers this machine would ignore, one issue per field: a configuration that quietly
 * leaves out what the user asked for is worse than a refusal that says so.
 */
export function ignoredAnswerIssues(facts: Facts, answers: Answers): AnswerIssue[] {
  const choices = answerChoices(facts);
  const on = machineName(facts);
  const issues: AnswerIssue[] = [];
  const ignored = (field: string, message: string) =>
    issues.push({ field, message: `${field} ${message}`, kind: 'ignored' });
  const invalid = (field: string, message: string) =>
    issues.push({ field, message: `${field} ${message}`, kind: 'invalid' });
  if (!choices.desktops.includes(answers.desktop)) {
    ignored(
      'desktop',
      isMac(facts)
        ? 'must be none: macOS brings its own desktop'
        : facts.kind === 'wsl'
          ? 'must be none: WSL has no display of its own (WSLg shows Linux apps on the Windows desktop)'
          : `must be none: ${on} has no display of its own`,
    );
  }
  const dropped = answers.services.filter((service) => !choices.services.includes(service));
  if (dropped.length > 0) {
    const reason =
      dropped.includes('bluetooth') && !isGuest(facts) && !isMac(facts)
        ? 'no Bluetooth adapter was found'
        : `they have no effect on ${on}`;
    ignored('services', `cannot include ${dropped.map((s) => `"${s}"`).join(', ')}: ${reason}`);
  }
  if (!choices.keyboard && (answers.keyboardLayout !== '' || answers.keyboardVariant !== '')) {
    ignored('keyboardLayout', 'must be empty: macOS sets the keyboard layout in System Settings');
  }
  if (choices.keyboard && answers.keyboardLayout === '') {
    invalid('keyboardLayout', 'must be an XKB layout name such as us, de or gb');
  }
  if (!choices.locale && answers.locale !== '') {
    ignored('locale', 'must be empty: nix-darwin has no locale; macOS sets it in System Settings');
  }
  if (choices.locale && answers.locale === '') {
    invalid('locale', 'must look like en_US.UTF-8 (language, country, charset)');
  }
  if (choices.password === 'unsupported' && answers.passwordHash !== null) {
    ignored(
      'passwordHash',
      'must be empty: macOS keeps its own login password, which nix-darwin cannot set',
    );
  }
  if (!choices.sshPasswordLogin && answers.sshPasswordLogin) {
    ignored('sshPasswordLogin', 'must be off: macOS decides how Remote Login checks passwords');
  }
  if (!choices.releases.includes(answers.channel)) {
    ignored(
      'channel',
      `must be stable: nixpkgs ${RELEASES.unstable.version} (unstable) no longer builds for Intel Macs, and ${RELEASES.stable.version} is the last release that does`,
    );
  }
  return issues;
}
