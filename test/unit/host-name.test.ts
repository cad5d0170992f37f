import { describe, expect, it } from 'vitest';
import { assertHostName, HOST_NAME, hostNameProblem } from '../../common/host-name';
import { NixstrapFailure } from '../../common/result';

describe('a host name follows NixOS’s networking.hostName rule', () => {
  it('takes every name NixOS takes, either case and "_" inside included', () => {
    for (const name of ['a', 'web-1', '9lives', 'Web', 'My_Laptop-2', 'x'.repeat(63)]) {
      expect(hostNameProblem(name), name).toBeNull();
    }
  });

  it('says which character a flake address cannot carry', () => {
    expect(hostNameProblem('demo#x')).toBe(
      `may hold only letters, digits, '-' and '_' (NixOS's networking.hostName rule); "demo#x" has '#'`,
    );
    expect(hostNameProblem('demo"x')).toContain(`"demo\\"x" has '"'`);
    expect(hostNameProblem("it's")).toContain(`"it's" has "'"`);
    expect(hostNameProblem('my host')).toContain('"my host" has a space');
    expect(hostNameProblem('demo\u001b]0;x\u0007')).toContain(
      '"demo\\u001b]0;x\\u0007" has a control character (U+001B)',
    );
    expect(hostNameProblem('a?b')).toContain(`has '?'`);
    expect(hostNameProblem('../etc')).toContain(`has '.'`);
    expect(hostNameProblem('.hidden')).toContain(`has '.'`);
    expect(hostNameProblem('web.example.com')).toContain(`has '.'`);
    expect(hostNameProblem('café')).toContain(`has 'é'`);
  });

  it('says what is wrong with its length or its ends', () => {
    expect(hostNameProblem('')).toBe('cannot be empty');
    expect(hostNameProblem('x'.repeat(64))).toContain('at most 63 characters long');
    expect(hostNameProblem('-a')).toBe(
      `must start and end with a letter or digit (NixOS's networking.hostName rule); "-a" starts with '-'`,
    );
    expect(hostNameProblem('a_')).toContain(`"a_" ends with '_'`);
    for (const name of ['', 'x'.repeat(64), '-a', 'a_', 'demo#x']) {
      expect(HOST_NAME.test(name), name).toBe(false);
    }
  });

  it('is refused as a failure with a code, one sentence and the hint given', () => {
    expect(() => assertHostName('demo', 'unused')).not.toThrow();
    try {
      assertHostName('demo#x', 'Choose one of the hosts.');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(NixstrapFailure);
      expect((error as NixstrapFailure).error).toEqual({
        code: 'HOST_NAME_INVALID',
        message: `A host name may hold only letters, digits, '-' and '_' (NixOS's networking.hostName rule); "demo#x" has '#'.`,
        hint: 'Choose one of the hosts.',
      });
    }
  });
});
