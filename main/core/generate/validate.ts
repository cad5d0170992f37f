import { type AnswerIssue, type Answers, AnswersSchema } from '../../../common/answers';
import type { Facts } from '../../../common/facts';

export type AnswersValidation = { ok: true; value: Answers } | { ok: false; issues: AnswerIssue[] };

const HOST_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const USER_NAME = /^[a-z_][a-z0-9_-]*$/;
/** Accounts NixOS, systemd or common services already own; a person cannot take their name. */
const SYSTEM_USERS = new Set([
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
const SYSTEM_USER_PREFIXES = ['systemd-', 'nixbld', '_'];
/** yescrypt (`$y$`) and SHA-512 crypt (`$6$`), the hashes NixOS's `mkpasswd` makes. */
const CRYPT_HASH = /^\$(y|6)\$[./A-Za-z0-9$=]{8,}$/;
const CONTROL = /[\p{Cc}\u2028\u2029]/u;
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
const XKB_NAME = /^[a-z][a-z0-9_]{1,15}(,[a-z][a-z0-9_]{1,15})*$/;
const XKB_VARIANT = /^$|^[a-z0-9_-]{0,32}(,[a-z0-9_-]{0,32})*$/;
const EMAIL =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;
const TIME_ZONE_NAME = /^[A-Z][A-Za-z0-9_+-]*(\/[A-Z0-9][A-Za-z0-9_+-]*)*$/;
const SSH_KEY_TYPES = new Set([
  'ssh-ed25519',
  'ssh-rsa',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'sk-ssh-ed25519@openssh.com',
  'sk-ecdsa-sha2-nistp256@openssh.com',
]);

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

/** Why an OpenSSH public key line is unusable, or null when it is a well-formed key. */
export function sshKeyProblem(line: string): string | null {
  if (/[\r\n]/.test(line)) return 'must be a single line';
  if (CONTROL.test(line)) return 'must not contain control characters';
  if (/^-----BEGIN .*PRIVATE KEY-----$/.test(line.trim())) {
    return 'is a private key: paste the public key (the .pub file, e.g. ~/.ssh/id_ed25519.pub) and keep the private one secret';
  }
  const [type = '', data = ''] = line.trim().split(/ +/);
  if (!SSH_KEY_TYPES.has(type)) {
    const later = line.split(/[ ,]+/).some((word) => SSH_KEY_TYPES.has(word));
    return later
      ? 'must start with the key type; options such as command="…" or from="…" are not accepted'
      : `must start with a supported key type (${[...SSH_KEY_TYPES].join(', ')})`;
  }
  if (data === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(data) || data.length % 4 !== 0) {
    return 'must have the key in base64 after the type';
  }
  const blob = Buffer.from(data, 'base64');
  if (blob.length < 4) return 'has a key that is too short';
  const typeLength = blob.readUInt32BE(0);
  if (typeLength > blob.length - 4) return 'has a truncated key';
  const innerType = blob.subarray(4, 4 + typeLength).toString('latin1');
  if (innerType !== type) return `says ${type} but the key inside is ${innerType || 'not a key'}`;
  if (type === 'ssh-ed25519' || type === 'sk-ssh-ed25519@openssh.com') {
    const offset = 4 + typeLength;
    if (blob.length < offset + 4 || blob.readUInt32BE(offset) !== 32 || blob.length < offset + 36) {
      return 'has an Ed25519 key of the wrong length';
    }
  }
  return null;
}

/** The rules beyond shape: every field names itself in the message. */
export function answerRuleIssues(answers: Answers): AnswerIssue[] {
  const issues: AnswerIssue[] = [];
  const add = (field: string, message: string) =>
    issues.push({ field, message: `${field} ${message}` });

  if (!HOST_NAME.test(answers.hostName)) {
    add(
      'hostName',
      'must be 1–63 characters of lowercase letters, digits and hyphens, not starting or ending with a hyphen (no dots or underscores)',
    );
  }
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
  const locale = LOCALE.exec(answers.locale);
  if (!locale) {
    add('locale', 'must look like en_US.UTF-8 (language, country, charset)');
  } else if (!CHARSETS.has(locale[4] ?? '')) {
    add('locale', `has an unknown charset "${locale[4]}"; use UTF-8`);
  }
  if (!XKB_NAME.test(answers.keyboardLayout)) {
    add('keyboardLayout', 'must be an XKB layout name such as us, de or gb');
  }
  if (!XKB_VARIANT.test(answers.keyboardVariant)) {
    add('keyboardVariant', 'must be empty or an XKB variant name such as nodeadkeys or dvorak');
  }
  answers.sshAuthorizedKeys.forEach((key, index) => {
    const problem = sshKeyProblem(key);
    if (problem) add(`sshAuthorizedKeys.${index}`, problem);
  });
  if (answers.passwordHash !== null && !CRYPT_HASH.test(answers.passwordHash)) {
    add(
      'passwordHash',
      'must be a crypt(3) hash such as `mkpasswd` prints ($y$… or $6$…), never the password itself',
    );
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

/**
 * Checks the wizard's answers: the shape first (unknown fields are errors), then the rules.
 * `fullName`, `git.name` and `git.email` may be empty: the git identity is then left unset.
 */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

export function validateAnswers(input: unknown): AnswersValidation {
  const parsed = AnswersSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.flatMap((issue): AnswerIssue[] => {
      const base = issue.path.map(String).join('.');
      if (issue.code === 'unrecognized_keys') {
        return issue.keys.map((key) => {
          const field = base === '' ? key : `${base}.${key}`;
          return { field, message: `${field} is not a known field` };
        });
      }
      const field = base === '' ? '(answers)' : base;
      // A hand-written answers file most often just lacks a field; zod's words for that are its own.
      if (base !== '' && valueAt(input, issue.path) === undefined) {
        return [{ field, message: `${field} is missing` }];
      }
      return [{ field, message: `${field}: ${issue.message}` }];
    });
    return { ok: false, issues };
  }
  const issues = answerRuleIssues(parsed.data);
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: parsed.data };
}

function sanitizeHostName(name: string): string {
  const cleaned = name
    .toLowerCase()
    .split('.')[0]!
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .slice(0, 63)
    .replace(/^-+|-+$/g, '');
  return HOST_NAME.test(cleaned) ? cleaned : 'nixos';
}

function sanitizeUserName(name: string): string {
  const cleaned = name.toLowerCase();
  const valid =
    USER_NAME.test(cleaned) &&
    cleaned.length <= 32 &&
    !SYSTEM_USERS.has(cleaned) &&
    !SYSTEM_USER_PREFIXES.some((prefix) => cleaned.startsWith(prefix));
  return valid ? cleaned : 'nixos';
}

/** Answers prefilled from what detection found; valid as they are. */
export function defaultAnswers(facts: Facts): Answers {
  const headless =
    facts.kind === 'vm' || facts.kind === 'container' || facts.kind === 'raspberry-pi';
  return {
    hostName: sanitizeHostName(facts.hostName),
    userName: sanitizeUserName(facts.userName),
    fullName: '',
    timeZone: 'UTC',
    locale: 'en_US.UTF-8',
    keyboardLayout: 'us',
    keyboardVariant: '',
    profile: 'essential',
    desktop: 'none',
    services: headless ? ['openssh'] : [],
    toolchains: [],
    editor: 'neovim',
    shell: 'bash',
    sshAuthorizedKeys: [],
    git: { name: '', email: '' },
    channel: 'stable',
    allowUnfree: false,
    secrets: true,
    passwordHash: null,
  };
}
