import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createApi } from '../../main/api';
import { hashPassword, isPasswordHash, sha512Crypt } from '../../main/core/password';
import { libxcryptVerifies } from '../helpers/libxcrypt';
import { nixstrap, tempDir } from './helpers/cli';

/** What libxcrypt makes of a password with the salt and rounds of `hash`, through mkpasswd. */
function mkpasswd(password: string, salt: string, rounds?: number): string {
  const args = ['-m', 'sha-512', '-S', salt, ...(rounds ? ['-R', String(rounds)] : []), '-s'];
  return execFileSync('mkpasswd', args, { input: password, encoding: 'utf8' }).trim();
}

const PASSWORDS = [
  'correct horse battery staple',
  'x',
  'pässwörd with ünïcode ✓',
  'a'.repeat(200),
  'quotes "\' and $ { } \\ ;',
];

describe('SHA-512 crypt as glibc and libxcrypt write it', () => {
  it('matches mkpasswd for the same salt, with the default and with more rounds', () => {
    for (const password of PASSWORDS) {
      expect(sha512Crypt(password, 'saltsaltsaltsalt'), password).toBe(
        mkpasswd(password, 'saltsaltsaltsalt'),
      );
      expect(sha512Crypt(password, 'shortslt', 12345), password).toBe(
        mkpasswd(password, 'shortslt', 12345),
      );
    }
  });

  it('passes the published test vector of the SHA-crypt specification', () => {
    expect(sha512Crypt('Hello world!', 'saltstring')).toBe(
      '$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1',
    );
  });
});

describe('a password becomes a hash the login accepts, and only the hash comes back', () => {
  it('hashes with a fresh salt each time, and libxcrypt verifies the result', () => {
    const first = hashPassword('correct horse battery staple');
    const second = hashPassword('correct horse battery staple');
    expect(first).not.toBe(second);
    expect(first).toMatch(/^\$6\$rounds=200000\$[./0-9A-Za-z]{16}\$[./0-9A-Za-z]{86}$/);
    expect(libxcryptVerifies('correct horse battery staple', first)).toBe(true);
    expect(libxcryptVerifies('correct horse battery stapler', first)).toBe(false);
  });

  it('refuses a password no login prompt takes, in one sentence', () => {
    for (const bad of ['', 'two\nlines', 'nul\0char', 'é'.repeat(600)]) {
      expect(() => hashPassword(bad), JSON.stringify(bad.slice(0, 20))).toThrow(
        expect.objectContaining({ error: expect.objectContaining({ code: 'PASSWORD_INVALID' }) }),
      );
    }
  });

  it('accepts hashes by their shape: yescrypt and SHA-512 from mkpasswd, nothing else', () => {
    const yescrypt = execFileSync('mkpasswd', ['-m', 'yescrypt', '-s'], {
      input: 'hunter2',
      encoding: 'utf8',
    }).trim();
    expect(yescrypt).toMatch(/^\$y\$/);
    expect(isPasswordHash(yescrypt)).toBe(true);
    expect(isPasswordHash(mkpasswd('hunter2', 'abcdefgh'))).toBe(true);
    expect(isPasswordHash(mkpasswd('hunter2', 'abcdefgh', 100000))).toBe(true);
    for (const bad of ['hunter2', '', '$1$abc$def', '$6$salt$short', '!', '*', `${yescrypt}x\n`]) {
      expect(isPasswordHash(bad), bad).toBe(false);
    }
  });

  it('answers password.hash with the hash alone', async () => {
    const api = createApi({ shell: 'browser', dataDir: tempDir('password') });
    const result = await api.call('password.hash', { password: 'open sesame' });
    expect(result.ok).toBe(true);
    const value = (result as { value: Record<string, string> }).value;
    expect(Object.keys(value)).toEqual(['hash']);
    expect(libxcryptVerifies('open sesame', value.hash ?? '')).toBe(true);
    expect(JSON.stringify(result)).not.toContain('open sesame');
    const empty = await api.call('password.hash', { password: '' });
    expect(empty).toMatchObject({ ok: false, error: { code: 'PASSWORD_INVALID' } });
  });
});

describe('nixstrap hash-password', () => {
  it('reads the first line of standard input and prints its hash, nothing else', () => {
    const run = nixstrap(['hash-password'], { input: 'open sesame\nsecond line ignored\n' });
    expect(run.code).toBe(0);
    const hash = run.stdout.trim();
    expect(run.stdout.split('\n').filter(Boolean)).toHaveLength(1);
    expect(libxcryptVerifies('open sesame', hash)).toBe(true);
    expect(`${run.stdout}${run.stderr}`).not.toContain('open sesame');
  });

  it('refuses input that cannot be a password as a usage error (exit 2), one sentence and a hint', () => {
    const cases = [
      ['\n', /^nixstrap: The password is empty\.\n {2}hint: /],
      ['a\u0000b\n', /^nixstrap: The password contains a line break or another control character/],
    ] as const;
    for (const [input, message] of cases) {
      const run = nixstrap(['hash-password'], { input });
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(message);
    }
  });
});
