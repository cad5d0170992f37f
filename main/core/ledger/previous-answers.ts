import { type Answers, AnswersSchema, type PreviousAnswers } from '../../../common/answers';
import { DESKTOP_NAMES, SERVICE_NAMES } from '../../../common/labels';
import { andList } from '../../../common/words';
import type { RecordedAnswers } from './host-answers';

function counted(n: number, one: string, many: string): string {
  return `${n === 0 ? 'no' : n} ${n === 1 ? one : many}`;
}

const sameList = (a: readonly string[], b: readonly string[]) =>
  JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());

/**
 * What `previous` holds that `current` does not, one phrase per answer that differs, in the
 * words of the form ("2 SSH keys", "the GNOME desktop"). The host name is the one looked up by
 * and the password hash is never recorded, so neither counts; empty means the same answers.
 */
export function answersChanges(previous: Answers, current: Answers): string[] {
  const changes: string[] = [];
  const differs = <K extends keyof Answers>(key: K) =>
    JSON.stringify(previous[key]) !== JSON.stringify(current[key]);
  if (previous.userName !== current.userName || previous.fullName !== current.fullName) {
    changes.push(
      `the user ${previous.userName}${previous.fullName ? ` (${previous.fullName})` : ''}`,
    );
  }
  if (!sameList(previous.sshAuthorizedKeys, current.sshAuthorizedKeys)) {
    changes.push(counted(previous.sshAuthorizedKeys.length, 'SSH key', 'SSH keys'));
  }
  if (differs('desktop')) {
    changes.push(
      previous.desktop === 'none' ? 'no desktop' : `the ${DESKTOP_NAMES[previous.desktop]} desktop`,
    );
  }
  if (differs('profile')) changes.push(`the ${previous.profile} package profile`);
  if (!sameList(previous.services, current.services)) {
    const names = previous.services.map((service) => SERVICE_NAMES[service]);
    changes.push(names.length === 0 ? 'no services' : `the services ${andList(names)}`);
  }
  if (!sameList(previous.toolchains, current.toolchains)) {
    changes.push(
      previous.toolchains.length === 0
        ? 'no toolchains'
        : `the ${andList(previous.toolchains)} toolchains`,
    );
  }
  if (differs('editor')) changes.push(`the editor ${previous.editor}`);
  if (differs('shell')) changes.push(`the ${previous.shell} shell`);
  if (differs('channel')) changes.push(`the ${previous.channel} release`);
  if (differs('timeZone')) changes.push(`the time zone ${previous.timeZone}`);
  if (differs('locale')) changes.push(`the locale ${previous.locale}`);
  if (differs('keyboardLayout') || differs('keyboardVariant')) {
    const variant = previous.keyboardVariant ? ` (${previous.keyboardVariant})` : '';
    changes.push(`the keyboard layout ${previous.keyboardLayout}${variant}`);
  }
  if (differs('git')) {
    const { name, email } = previous.git;
    changes.push(
      name || email
        ? `the git identity ${[name, email && `<${email}>`].join(' ').trim()}`
        : 'no git identity',
    );
  }
  if (differs('sshPasswordLogin')) {
    changes.push(previous.sshPasswordLogin ? 'password login over SSH' : 'SSH by key only');
  }
  if (differs('allowUnfree')) {
    changes.push(previous.allowUnfree ? 'unfree packages allowed' : 'free packages only');
  }
  if (differs('secrets'))
    changes.push(previous.secrets ? 'sops-nix secrets' : 'no sops-nix secrets');
  return changes;
}

/** Recorded answers as they parse today, or null: an older version's or a damaged row is skipped. */
function parseRecorded(json: string): Answers | null {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return null;
  }
  const parsed = AnswersSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** The newest recorded answers of `hostName` that still parse, without a password hash. */
export function newestAnswers(
  recorded: readonly RecordedAnswers[],
  hostName: string,
): Omit<PreviousAnswers, 'changes'> | null {
  for (const row of recorded) {
    const answers = parseRecorded(row.json);
    if (answers === null || answers.hostName !== hostName) continue;
    return {
      answers: { ...answers, passwordHash: null },
      recordedAt: row.at,
      source: row.source,
      commit: row.commit,
    };
  }
  return null;
}

/**
 * What to offer a machine coming back to its host: the newest recorded answers, when they
 * differ from the current ones. Their password hash stays null; the form keeps the one the
 * user gave.
 */
export function previousAnswers(
  recorded: readonly RecordedAnswers[],
  current: Answers,
): PreviousAnswers | null {
  const newest = newestAnswers(recorded, current.hostName);
  if (newest === null) return null;
  const changes = answersChanges(newest.answers, current);
  return changes.length === 0 ? null : { ...newest, changes };
}
