import type { AnswerIssue, Answers } from '../common';

/** Next to its field, "hostName must be …" reads better as "Must be …". */
function withoutFieldName(message: string, field: string): string {
  if (!message.startsWith(`${field} `)) return message;
  const rest = message.slice(field.length + 1);
  return rest.charAt(0).toUpperCase() + rest.slice(1);
}

/** Issues grouped by the form field that shows them; every SSH key line's issue goes to the textarea. */
export function issuesByField(issues: AnswerIssue[], keyLines: number[]): Map<string, string[]> {
  const grouped = new Map<string, string[]>();
  for (const issue of issues) {
    let field = issue.field;
    let message = withoutFieldName(issue.message, issue.field);
    const key = field.match(/^sshAuthorizedKeys\.(\d+)/);
    if (key) {
      field = 'sshAuthorizedKeys';
      const line = keyLines[Number(key[1])];
      if (line !== undefined) message = `Line ${line}: ${message}`;
    }
    grouped.set(field, [...(grouped.get(field) ?? []), message]);
  }
  return grouped;
}

/**
 * One key per line, as in an authorized_keys file: blank lines and `#` comments are skipped,
 * and a pasted private key counts as one entry (its BEGIN line), so it gets one message, not
 * one per line. Also returns each key's 1-based line number for messages.
 */
export function parseKeyLines(text: string): { keys: string[]; lines: number[] } {
  const keys: string[] = [];
  const lines: number[] = [];
  let inPrivateKey = false;
  text.split('\n').forEach((raw, index) => {
    const key = raw.trim();
    if (/^-----END .*PRIVATE KEY-----$/.test(key)) {
      inPrivateKey = false;
      return;
    }
    if (inPrivateKey || !key || key.startsWith('#')) return;
    if (/^-----BEGIN .*PRIVATE KEY-----$/.test(key)) inPrivateKey = true;
    keys.push(key);
    lines.push(index + 1);
  });
  return { keys, lines };
}

export function toggle<T>(list: readonly T[], item: T, on: boolean): T[] {
  return on ? [...new Set([...list, item])] : list.filter((entry) => entry !== item);
}

/** The answers as the tab may keep them: a password hash is a secret and stays in memory only. */
export function answersToKeep(answers: Answers | null): Answers | null {
  return answers && { ...answers, passwordHash: null };
}
