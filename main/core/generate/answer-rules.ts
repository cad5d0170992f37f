import type { AnswerIssue, Answers } from '../../../common/answers';
import { hostNameProblem } from '../../../common/host-name';
import { isPasswordHash } from '../password';
import { keyboardProblems } from './keyboard';
import { CONTROL, sshKeyIssues } from './ssh-keys';

export const USER_NAME = /^[a-z_][a-z0-9_-]*$/;
/** Accounts NixOS, systemd or common services already own; a person cannot take their name. */
export const SYSTEM_USERS = new Set([
  'root',
  'nobody',
  'nogroup',
  'daemon',
  'bin',
  'sys',
  'sync',
  'games',
  'man',
  'lp',
  'mail',
  'news',
  'uucp',
  'proxy',
  'www-data',
  'backup',
  'list',
  'irc',
  'gnats',
  'operator',
  'adm',
  'wheel',
  'users',
  'nixbld',
  'messagebus',
  'sshd',
  'polkituser',
  'avahi',
  'avahi-autoipd',
  'rtkit',
  'pulse',
  'pipewire',
  'geoclue',
  'colord',
  'sddm',
  'gdm',
  'nm-openvpn',
  'nm-iodine',
  'cups',
  'nscd',
  'ntp',
  'dhcpcd',
  'tss',
  'docker',
  'podman',
  'kvm',
  'qemu-libvirtd',
  'flatpak',
  'fwupd-refresh',
  'tailscale',
]);
export const SYSTEM_USER_PREFIXES = ['systemd-', 'nixbld', '_'];
const LOCALE = /^(C|POSIX|[a-z]{2,3}(_[A-Z]{2})?)(\.([A-Za-z0-9-]+))(@[a-z]+)?$/;
const CHARSETS = new Set([
  'UTF-8',
  'utf8',
  'ISO-8859-1',
  'ISO-8859-2',
  'ISO-8859-5',
  'ISO-8859-7',
  'ISO-8859-9',
  'ISO-8859-15',
  'EUC-JP',
  'EUC-KR',
  'GB18030',
  'GBK',
  'BIG5',
  'KOI8-R',
  'CP1251',
]);
const EMAIL =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;
const TIME_ZONE_NAME = /^[A-Z][A-Za-z0-9_+-]*(\/[A-Z0-9][A-Za-z0-9_+-]*)*$/;
let knownTimeZones: Set<string> | undefined;

function isTimeZone(name: string): boolean {
  knownTimeZones ??= new Set(Intl.supportedValuesOf('timeZone'));
  if (name === 'UTC' || knownTimeZones.has(name)) return true;
  if (!TIME_ZONE_NAME.test(name)) return false;
  try {
    // Accepts the tz database's aliases (Europe/Kiev, Etc/GMT+5) that the list leaves out.
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** The rules beyond shape: every field names itself in the message. */
export function answerRuleIssues(answers: Answers): AnswerIssue[] {
  const issues: AnswerIssue[] = [];
  const add = (field: string, message: string) =>
    issues.push({ field, message: `${field} ${message}`, kind: 'invalid' });

  const hostName = hostNameProblem(answers.hostName);
  if (hostName !== null) add('hostName', hostName);
  if (!USER_NAME.test(answers.userName) || answers.userName.length > 32) {
    add(
      'userName',
      'must be 1–32 characters: lowercase letters, digits, "_" and "-", starting with a letter or "_"',
    );
  } else if (
    SYSTEM_USERS.has(answers.userName) ||
    SYSTEM_USER_PREFIXES.some((prefix) => answers.userName.startsWith(prefix))
  ) {
    add('userName', `must not be a system account name ("${answers.userName}" is reserved)`);
  }
  if (CONTROL.test(answers.fullName))
    add('fullName', 'must not contain line breaks or control characters');
  if (answers.fullName.length > 256) add('fullName', 'must be at most 256 characters');
  if (!isTimeZone(answers.timeZone)) {
    add('timeZone', 'must be a time zone from the tz database, such as Europe/Berlin or UTC');
  }
  // Left empty only on a Mac, where nix-darwin has no locale (the machine's rules say so).
  const locale = LOCALE.exec(answers.locale);
  if (answers.locale !== '' && !locale) {
    add('locale', 'must look like en_US.UTF-8 (language, country, charset)');
  } else if (locale && !CHARSETS.has(locale[4] ?? '')) {
    add('locale', `has an unknown charset "${locale[4]}"; use UTF-8`);
  }
  // A Mac leaves both empty: macOS sets its keyboard itself (the platform rules say so).
  if (answers.keyboardLayout !== '' || answers.keyboardVariant !== '') {
    const keyboard = keyboardProblems(answers.keyboardLayout, answers.keyboardVariant);
    if (keyboard.layout) add('keyboardLayout', keyboard.layout);
    if (keyboard.variant) add('keyboardVariant', keyboard.variant);
  }
  issues.push(...sshKeyIssues(answers.sshAuthorizedKeys));
  if (answers.passwordHash !== null && !isPasswordHash(answers.passwordHash)) {
    add(
      'passwordHash',
      'must be a crypt(3) hash as mkpasswd writes it ($6$… or $y$…), never the password itself; `nixstrap hash-password` makes one',
    );
  }
  if (answers.sshPasswordLogin && !answers.services.includes('openssh')) {
    add('sshPasswordLogin', 'needs the SSH server: tick "SSH server" or turn password login off');
  }
  if (answers.sshPasswordLogin && answers.passwordHash === null) {
    add('sshPasswordLogin', 'needs a password to log in with: set one, or turn password login off');
  }
  if (CONTROL.test(answers.git.name))
    add('git.name', 'must not contain line breaks or control characters');
  if (
    answers.git.email !== '' &&
    (!EMAIL.test(answers.git.email) || answers.git.email.length > 254)
  ) {
    add('git.email', 'must be an email address such as alice@example.com, or empty');
  }
  if (answers.desktop === 'none') {
    for (const service of ['remote-desktop', 'flatpak'] as const) {
      if (answers.services.includes(service)) add('services', `"${service}" needs a desktop`);
    }
  }
  if (new Set(answers.services).size !== answers.services.length)
    add('services', 'lists a service twice');
  return issues;
}
