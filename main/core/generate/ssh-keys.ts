import type { AnswerIssue } from '../../../common/answers';

/**
 * Control characters, line separators and the bidirectional overrides and isolates, which make
 * a generated file read differently in an editor from what Nix sees ("Trojan Source").
 */
export const CONTROL = /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;
const SSH_KEY_TYPES = new Set([
  'ssh-ed25519',
  'ssh-rsa',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'sk-ssh-ed25519@openssh.com',
  'sk-ecdsa-sha2-nistp256@openssh.com',
]);

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

/**
 * The issues of a list of keys: one per bad key while there are few, and a single one for a
 * paste of junk, so two thousand bad lines read as one problem, not two thousand.
 */
export function sshKeyIssues(keys: readonly string[]): AnswerIssue[] {
  const bad = keys.flatMap((key, index) => {
    const problem = sshKeyProblem(key);
    return problem === null ? [] : [{ index, problem }];
  });
  const first = bad[0];
  if (first === undefined) return [];
  const issue = (index: number, message: string): AnswerIssue => {
    const field = `sshAuthorizedKeys.${index}`;
    return { field, message: `${field} ${message}`, kind: 'invalid' };
  };
  if (bad.length <= 3) return bad.map(({ index, problem }) => issue(index, problem));
  return [
    issue(
      first.index,
      `${first.problem}; ${bad.length - 1} more of the ${keys.length} lines are not SSH public keys either: paste only the contents of .pub files, one key per line`,
    ),
  ];
}
