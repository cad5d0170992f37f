import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectFacts, openFixture } from '../../main/core/detect';
import { defaultAnswers, sshKeyProblem } from '../../main/core/generate';

const QEMU = path.join(import.meta.dirname, '../fixtures/machines/qemu-kvm-uefi');

import { answersToKeep, parseKeyLines } from '../../renderer/answers-form';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl a@b';

describe('the SSH key box reads like an authorized_keys file', () => {
  it('skips blank lines and # comments, and numbers keys by their line', () => {
    expect(parseKeyLines(`# laptop\n${KEY}\n\n  ${KEY}  \r`)).toEqual({
      keys: [KEY, KEY],
      lines: [2, 4],
    });
  });

  it('turns a pasted private key into one entry that says what it is', () => {
    const pasted = [
      '-----BEGIN OPENSSH PRIVATE KEY-----',
      'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW',
      'QyNTUxOQAAACDjKqp5Fc65tEnRulDqKii7Gm4B+QvaJFotHYdpfRiiZQAAAJgAAAAA',
      '-----END OPENSSH PRIVATE KEY-----',
      KEY,
    ].join('\n');
    const { keys, lines } = parseKeyLines(pasted);
    expect(lines).toEqual([1, 5]);
    expect(sshKeyProblem(keys[0]!)).toMatch(/^is a private key: paste the public key/);
    expect(sshKeyProblem(keys[1]!)).toBeNull();
  });
});

describe('what the tab keeps across a reload', () => {
  it('keeps every answer but the password hash', () => {
    const answers = {
      ...defaultAnswers(detectFacts(openFixture(QEMU))),
      passwordHash: '$y$j9T$abcdefghijkl$mnopqrstuvwxyz0123456789ABCDEFGHIJKLMN',
    };
    const kept = answersToKeep(answers);
    expect(kept).toEqual({ ...answers, passwordHash: null });
    expect(JSON.stringify(kept)).not.toContain('$y$');
    expect(answersToKeep(null)).toBeNull();
  });
});
