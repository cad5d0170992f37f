import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Answers } from '../../common/answers';
import { type Facts, FactsSchema } from '../../common/facts';
import { createLiveProbe, detectFacts, openFixture } from '../../main/core/detect';
import {
  answerChoices,
  answersForMachine,
  defaultAnswers,
  machineBlockers,
  renderHost,
  validateAnswers,
} from '../../main/core/generate';
import { userGitIdentity } from '../../main/core/platform';
import { ED25519_KEY, FIXTURES_DIR, PASSWORD_HASH } from '../helpers/golden-cases';

const fixture = (name: string) => detectFacts(openFixture(path.join(FIXTURES_DIR, name)));

function fields(facts: Facts, answers: unknown): string[] {
  const result = validateAnswers(answers, facts);
  return result.ok ? [] : result.issues.map((issue) => issue.field);
}

describe('a Mac is offered, and accepts, only what nix-darwin does', () => {
  const mac = fixture('macos-m2');
  const answers = defaultAnswers(mac);

  it('offers no desktop, printing, Bluetooth, Docker, Flatpak, remote desktop or keyboard', () => {
    const choices = answerChoices(mac);
    expect(choices.desktops).toEqual(['none']);
    expect(choices.services).toEqual(['openssh', 'tailscale']);
    expect([choices.keyboard, choices.locale, choices.password]).toEqual([
      false,
      false,
      'unsupported',
    ]);
    expect(validateAnswers(answers, mac)).toMatchObject({ ok: true });
  });

  it('refuses each Linux-only answer with its field named, one issue per field', () => {
    const linuxy: Answers = {
      ...answers,
      desktop: 'plasma',
      services: ['printing', 'bluetooth', 'docker', 'flatpak', 'remote-desktop', 'tailscale'],
      keyboardLayout: 'de',
      locale: 'de_DE.UTF-8',
      passwordHash: PASSWORD_HASH,
    };
    const result = validateAnswers(linuxy, mac);
    expect(result.ok).toBe(false);
    const issues = result.ok ? [] : result.issues.filter((issue) => issue.kind === 'ignored');
    expect(issues.map((issue) => issue.field)).toEqual([
      'desktop',
      'services',
      'keyboardLayout',
      'locale',
      'passwordHash',
    ]);
    expect(issues[1]?.message).toMatch(
      /^services cannot include "printing", "bluetooth", "docker", "flatpak", "remote-desktop": they have no effect on macOS/,
    );
    expect(() => renderHost(mac, linuxy)).toThrow(
      expect.objectContaining({ error: expect.objectContaining({ code: 'ANSWERS_INVALID' }) }),
    );
  });

  it('keeps an Intel Mac on the last release that builds for it', () => {
    const intel = fixture('macos-intel');
    expect(answerChoices(intel).releases).toEqual(['stable']);
    expect(fields(intel, { ...defaultAnswers(intel), channel: 'unstable' })).toEqual(['channel']);
    expect(answerChoices(mac).releases).toEqual(['stable', 'unstable']);
  });

  it('turns on Remote Login when SSH is chosen, through nix-darwin', () => {
    const host = renderHost(mac, { ...answers, services: ['openssh'] }).find((f) =>
      f.path.startsWith('hosts/'),
    );
    expect(host?.content).toContain('services.openssh.enable = true;');
  });
});

describe('other machines refuse what they would ignore', () => {
  it('gives WSL no desktop and no Bluetooth', () => {
    const wsl = fixture('wsl2');
    expect(fields(wsl, { ...defaultAnswers(wsl), desktop: 'gnome' })).toEqual(['desktop']);
    expect(fields(wsl, { ...defaultAnswers(wsl), services: ['bluetooth'] })).toEqual(['services']);
  });

  it('offers Bluetooth only where an adapter was found', () => {
    const vm = fixture('qemu-kvm-uefi');
    const answers = { ...defaultAnswers(vm), passwordHash: PASSWORD_HASH, services: ['bluetooth'] };
    expect(answerChoices(vm).services).not.toContain('bluetooth');
    const result = validateAnswers(answers, vm);
    expect(result.ok ? '' : result.issues[0]?.message).toMatch(/no Bluetooth adapter was found/);
    expect(answerChoices(fixture('thinkpad-t480-luks')).services).toContain('bluetooth');
  });
});

describe('keyboard layouts come from the xkeyboard-config list', () => {
  const vm = fixture('qemu-kvm-uefi');
  const answers = { ...defaultAnswers(vm), passwordHash: PASSWORD_HASH };

  it('refuses zz, and a variant of another layout', () => {
    expect(fields(vm, { ...answers, keyboardLayout: 'zz' })).toEqual(['keyboardLayout']);
    expect(fields(vm, { ...answers, keyboardLayout: 'us', keyboardVariant: 'nodeadkeys' })).toEqual(
      ['keyboardVariant'],
    );
    expect(fields(vm, { ...answers, keyboardLayout: 'de', keyboardVariant: 'nodeadkeys' })).toEqual(
      [],
    );
  });
});

describe('SSH keys', () => {
  const vm = fixture('hetzner-cx22');
  const answers = { ...defaultAnswers(vm), passwordHash: PASSWORD_HASH };

  it('collapse when the same key is pasted twice, even with another comment', () => {
    const keys = [ED25519_KEY, ED25519_KEY, ED25519_KEY.replace('alice@laptop', 'alice@desk')];
    const result = validateAnswers({ ...answers, sshAuthorizedKeys: keys }, vm);
    expect(result).toMatchObject({ ok: true, value: { sshAuthorizedKeys: [ED25519_KEY] } });
    const value = (result as { value: Answers }).value;
    const host = renderHost(vm, value).find((f) => f.path.startsWith('hosts/'))!.content;
    expect(host.split('AAAAC3NzaC1lZDI1NTE5AAAAIFKBdkfpjpZIyHH').length).toBe(2);
  });

  it('get one message for a paste of two thousand junk lines', () => {
    const junk = Array.from({ length: 2000 }, (_, i) => `not a key ${i}`);
    const result = validateAnswers({ ...answers, sshAuthorizedKeys: junk }, vm);
    const issues = result.ok ? [] : result.issues;
    expect(issues).toHaveLength(1);
    expect(issues[0]?.field).toBe('sshAuthorizedKeys.0');
    expect(issues[0]?.message).toMatch(/1999 more of the 2000 lines are not SSH public keys/);
  });
});

describe('a correction cannot unblock what the engine refuses', () => {
  const wsl1 = fixture('wsl1');

  it('keeps WSL1 blocked when its kind is corrected to a physical machine', () => {
    expect(machineBlockers(wsl1).map((b) => b.code)).toEqual(['UNSUPPORTED_PLATFORM']);
    const corrected: Facts = { ...wsl1, kind: 'bare-metal' };
    expect(machineBlockers(corrected)[0]?.message).toMatch(
      /This is WSL1, whatever its kind is set to/,
    );
    const answers = { ...defaultAnswers(corrected), passwordHash: PASSWORD_HASH };
    expect(() => answersForMachine(answers, corrected)).toThrow(
      expect.objectContaining({
        error: expect.objectContaining({ code: 'UNSUPPORTED_PLATFORM' }),
      }),
    );
    expect(() => renderHost(corrected, answers)).toThrow(/WSL1/);
  });
});

describe('facts hold no text a machine cannot report', () => {
  it('refuses NUL and line breaks in any fact with a sentence', () => {
    const facts = fixture('qemu-kvm-uefi');
    for (const bad of ['a\0b', 'a\u2028b', 'a\nb']) {
      const result = FactsSchema.safeParse({ ...facts, model: bad });
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.message).toBe(
        'must not contain NUL characters or line breaks',
      );
    }
    const mounts = {
      ...facts.fileSystems,
      'bad\0mount': { device: 'x', fsType: 'ext4', options: [] },
    };
    expect(FactsSchema.safeParse({ ...facts, fileSystems: mounts }).success).toBe(false);
  });
});

describe('a session over SSH is detected, without recording where it comes from', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('sees SSH_TTY in a captured machine', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nixstrap-ssh-'));
    cpSync(path.join(FIXTURES_DIR, 'hetzner-cx22'), dir, { recursive: true });
    const machineFile = path.join(dir, 'machine.json');
    const machine = JSON.parse(readFileSync(machineFile, 'utf8'));
    expect(detectFacts(openFixture(dir)).remoteSession).toBe(false);
    writeFileSync(machineFile, JSON.stringify({ ...machine, env: { SSH_TTY: '1' } }));
    expect(detectFacts(openFixture(dir)).remoteSession).toBe(true);
  });

  it('reads only whether the live variables are set', () => {
    process.env.SSH_CONNECTION = '203.0.113.9 51234 198.51.100.7 22';
    delete process.env.SSH_TTY;
    const probe = createLiveProbe();
    expect(probe.env('SSH_CONNECTION')).toBe('1');
    expect(probe.env('SSH_TTY')).toBeUndefined();
  });
});

describe("the git identity starts as the user's own", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('reads git config user.name and user.email, and leaves them empty when unset', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nixstrap-git-'));
    const config = path.join(dir, 'gitconfig');
    process.env.GIT_CONFIG_GLOBAL = config;
    process.env.GIT_CONFIG_NOSYSTEM = '1';
    writeFileSync(config, '');
    expect(userGitIdentity()).toEqual({ name: '', email: '' });
    writeFileSync(config, '[user]\n\tname = Ada Lovelace\n\temail = ada@example.org\n');
    expect(userGitIdentity()).toEqual({ name: 'Ada Lovelace', email: 'ada@example.org' });
    const facts = fixture('qemu-kvm-uefi');
    expect(defaultAnswers(facts, userGitIdentity()).git).toEqual({
      name: 'Ada Lovelace',
      email: 'ada@example.org',
    });
  });
});
