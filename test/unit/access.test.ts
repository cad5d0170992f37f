import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Answers, PROFILES } from '../../common/answers';
import type { Facts } from '../../common/facts';
import { detectFacts, openFixture } from '../../main/core/detect';
import {
  answerChoices,
  answersForMachine,
  defaultAnswers,
  renderHost,
  validateAnswers,
} from '../../main/core/generate';
import { ED25519_KEY, FIXTURES_DIR, PASSWORD_HASH } from '../helpers/golden-cases';

const machines = readdirSync(FIXTURES_DIR)
  .filter((name) => existsSync(path.join(FIXTURES_DIR, name, 'expected.json')))
  .filter((name) => name !== 'wsl1')
  .map((name) => ({ name, facts: detectFacts(openFixture(path.join(FIXTURES_DIR, name))) }));

/** How the owner reaches each captured machine once it runs the configuration. */
const WAY_IN: Readonly<Record<string, 'console' | 'ssh' | 'own'>> = {
  'amd-desktop-nvidia': 'console',
  'asahi-m1-air': 'console',
  'ec2-nitro': 'ssh',
  'firecracker-microvm': 'ssh',
  garbled: 'console',
  'hetzner-cx22': 'ssh',
  'live-debian-builder': 'own',
  'macos-intel': 'own',
  'macos-m1-rosetta': 'own',
  'macos-m2': 'own',
  'qemu-kvm-uefi': 'console',
  'raspberry-pi-4': 'ssh',
  'thinkpad-t480-luks': 'console',
  virtualbox: 'console',
  wsl2: 'own',
  'zfs-raid-server': 'console',
};

function lockouts(facts: Facts, answers: Answers): string[] {
  const result = validateAnswers(answers, facts);
  return result.ok ? [] : result.issues.filter((i) => i.kind === 'lockout').map((i) => i.field);
}

describe('the owner can still log in after the switch, on every captured machine', () => {
  it('knows how each captured machine is reached', () => {
    expect(machines.map((m) => m.name).sort()).toEqual(Object.keys(WAY_IN).sort());
  });

  for (const { name, facts } of machines) {
    for (const profile of PROFILES) {
      describe(`${name}, ${profile}`, () => {
        const base: Answers = { ...defaultAnswers(facts), profile };
        const way = WAY_IN[name];

        it('refuses a configuration nobody could log in to, naming the field that fixes it', () => {
          const nothing = { ...base, services: [], sshAuthorizedKeys: [], passwordHash: null };
          if (way === 'own') {
            expect(lockouts(facts, nothing)).toEqual([]);
            return;
          }
          expect(lockouts(facts, nothing)).toContain('passwordHash');
          expect(lockouts(facts, nothing).includes('services')).toBe(way === 'ssh');
          expect(() => answersForMachine(nothing, facts)).toThrow(
            expect.objectContaining({
              error: expect.objectContaining({ code: 'ACCESS_LOCKED_OUT' }),
            }),
          );
        });

        it('asks a machine without a console for SSH with a key, and takes the key', () => {
          const sshNoKey = {
            ...base,
            services: ['openssh' as const],
            sshAuthorizedKeys: [],
            passwordHash:
              way === 'own' || answerChoices(facts).password === 'unsupported'
                ? null
                : PASSWORD_HASH,
          };
          expect(lockouts(facts, sshNoKey)).toEqual(way === 'ssh' ? ['sshAuthorizedKeys'] : []);
          expect(lockouts(facts, { ...sshNoKey, sshAuthorizedKeys: [ED25519_KEY] })).toEqual([]);
        });

        it('lets a machine with a console in with the password alone', () => {
          if (way !== 'console') return;
          const passwordOnly = {
            ...base,
            services: [],
            passwordHash: PASSWORD_HASH,
            secrets: false,
          };
          expect(validateAnswers(passwordOnly, facts)).toMatchObject({ ok: true });
          const host = renderHost(facts, passwordOnly).find((f) => f.path.startsWith('hosts/'));
          expect(host?.content).toContain(`initialHashedPassword = "${PASSWORD_HASH}";`);
        });
      });
    }
  }
});

describe('machines reached over SSH right now, or by password over SSH', () => {
  const thinkpad = machines.find((m) => m.name === 'thinkpad-t480-luks')!.facts;
  const answers: Answers = { ...defaultAnswers(thinkpad), passwordHash: PASSWORD_HASH };

  it('keeps SSH on when Nixstrap runs in an SSH session, even on a machine with a console', () => {
    const remote = { ...thinkpad, remoteSession: true };
    expect(lockouts(thinkpad, answers)).toEqual([]);
    expect(lockouts(remote, answers)).toEqual(['services']);
    const message = validateAnswers(answers, remote);
    expect(message.ok ? '' : message.issues[0]?.message).toMatch(
      /Keep "SSH server" on: Nixstrap is running in an SSH session on this machine/,
    );
  });

  it('counts password login over SSH as a way in, and writes it', () => {
    const pi = machines.find((m) => m.name === 'raspberry-pi-4')!.facts;
    const byPassword: Answers = {
      ...defaultAnswers(pi),
      services: ['openssh'],
      passwordHash: PASSWORD_HASH,
      sshPasswordLogin: true,
    };
    expect(lockouts(pi, byPassword)).toEqual([]);
    const host = renderHost(pi, byPassword).find((f) => f.path.startsWith('hosts/'))!;
    expect(host.content).toContain('services.openssh.settings.PasswordAuthentication = true;');
    expect(validateAnswers({ ...byPassword, passwordHash: null }, pi)).toMatchObject({
      ok: false,
      issues: expect.arrayContaining([expect.objectContaining({ field: 'sshPasswordLogin' })]),
    });
  });
});
