// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Nix source and hostile input contain ${ on purpose.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Answers } from '../../common/answers';
import { FactsSchema } from '../../common/facts';
import { defaultAnswers, renderHost, validateAnswers } from '../../main/core/generate';
import { PASSWORD_HASH } from '../helpers/golden-cases';

const facts = FactsSchema.parse(
  JSON.parse(readFileSync(join(import.meta.dirname, '../golden/facts/qemu-vm.json'), 'utf8')),
);
const ED25519 =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFKBdkfpjpZIyHH+XIPNWJ9GKLTMK9pWHsHvWSDpKZNn alice@laptop';
const good: Answers = {
  ...defaultAnswers(facts),
  sshAuthorizedKeys: [ED25519],
  passwordHash: PASSWORD_HASH,
};

function sshBlob(type: string, key: Buffer): string {
  const typeBytes = Buffer.from(type);
  const header = Buffer.alloc(4);
  header.writeUInt32BE(typeBytes.length);
  const keyLength = Buffer.alloc(4);
  keyLength.writeUInt32BE(key.length);
  return Buffer.concat([header, typeBytes, keyLength, key]).toString('base64');
}

function issuesFor(change: Record<string, unknown>) {
  const result = validateAnswers({ ...good, ...change });
  return result.ok ? [] : result.issues;
}

function expectRejected(change: Record<string, unknown>, field: string) {
  const issues = issuesFor(change);
  expect(
    issues.map((issue) => issue.field),
    JSON.stringify(change),
  ).toContain(field);
  for (const issue of issues) expect(issue.message).toContain(issue.field);
}

describe('prefilled answers are valid as they stand', () => {
  it('accepts the defaults for every golden machine', () => {
    for (const name of ['qemu-vm', 'hetzner-bios', 'wsl2', 'macos-m2', 'raspberry-pi-4']) {
      const f = FactsSchema.parse(
        JSON.parse(readFileSync(join(import.meta.dirname, `../golden/facts/${name}.json`), 'utf8')),
      );
      expect(validateAnswers(defaultAnswers(f)), name).toMatchObject({ ok: true });
    }
  });

  it('turns a detected host name into a valid one', () => {
    const mac = { ...facts, hostName: 'Alices-MacBook-Air.local' };
    expect(defaultAnswers(mac).hostName).toBe('alices-macbook-air');
    expect(defaultAnswers({ ...facts, hostName: '___' }).hostName).toBe('nixos');
    expect(defaultAnswers({ ...facts, userName: 'root' }).userName).toBe('nixos');
  });

  it("proposes the machine's time zone, locale and keyboard", () => {
    const german = {
      ...facts,
      timeZone: 'Europe/Berlin',
      locale: 'de_DE.UTF-8',
      keyboard: { layout: 'de', variant: 'nodeadkeys' },
    };
    expect(defaultAnswers(german)).toMatchObject({
      timeZone: 'Europe/Berlin',
      locale: 'de_DE.UTF-8',
      keyboardLayout: 'de',
      keyboardVariant: 'nodeadkeys',
    });
    expect(validateAnswers(defaultAnswers(german))).toMatchObject({ ok: true });
  });

  it('proposes each value the rules accept, and the plain default for one they refuse', () => {
    const plain = { timeZone: 'UTC', locale: 'en_US.UTF-8', keyboardLayout: 'us' };
    expect(defaultAnswers(facts)).toMatchObject(plain);
    const refusedLocale = {
      ...facts,
      timeZone: 'Europe/Berlin',
      locale: 'de_DE',
      keyboard: { layout: 'de', variant: 'klingon' },
    };
    expect(defaultAnswers(refusedLocale)).toMatchObject({
      ...plain,
      timeZone: 'Europe/Berlin',
      keyboardVariant: '',
    });
    const refusedZone = { ...facts, timeZone: 'Mars/Olympus_Mons', locale: 'de_DE.UTF-8' };
    expect(defaultAnswers(refusedZone)).toMatchObject({ ...plain, locale: 'de_DE.UTF-8' });
    for (const f of [refusedLocale, refusedZone]) {
      expect(validateAnswers(defaultAnswers(f))).toMatchObject({ ok: true });
    }
  });

  it("proposes no locale or keyboard on a Mac, only the machine's time zone", () => {
    const mac = FactsSchema.parse(
      JSON.parse(readFileSync(join(import.meta.dirname, '../golden/facts/macos-m2.json'), 'utf8')),
    );
    const answers = defaultAnswers({
      ...mac,
      timeZone: 'Europe/Berlin',
      locale: 'de_DE.UTF-8',
      keyboard: { layout: 'de', variant: '' },
    });
    expect(answers).toMatchObject({
      timeZone: 'Europe/Berlin',
      locale: '',
      keyboardLayout: '',
      keyboardVariant: '',
    });
  });
});

describe('the answers file has exactly the known fields', () => {
  it('names an unknown field', () => {
    expectRejected({ surprise: 1 }, 'surprise');
    const result = validateAnswers({ ...good, git: { name: '', email: '', signingKey: 'x' } });
    expect(result.ok ? [] : result.issues.map((i) => i.field)).toContain('git.signingKey');
  });

  it('says a field is missing in those words', () => {
    const { userName: _, ...rest } = good;
    const result = validateAnswers({ ...rest, git: { email: '' } });
    expect(result.ok ? [] : result.issues.map((i) => i.message)).toEqual([
      'userName is missing',
      'git.name is missing',
    ]);
  });

  it('names a field of the wrong type', () => {
    expectRejected({ hostName: 7 }, 'hostName');
    expectRejected({ profile: 'huge' }, 'profile');
    expect(validateAnswers('not answers').ok).toBe(false);
  });
});

describe('each field follows its rule', () => {
  it("hostName is a name NixOS's networking.hostName takes", () => {
    for (const ok of ['a', 'web-1', 'x'.repeat(63), '9lives', 'Web', 'a_b'])
      expect(issuesFor({ hostName: ok })).toEqual([]);
    for (const bad of ['', '-a', 'a-', 'a.b', '_a', 'x'.repeat(64), 'a b', '${x}', 'demo#x']) {
      expectRejected({ hostName: bad }, 'hostName');
    }
  });

  it('userName is a login name that is not a system account', () => {
    for (const ok of ['alice', 'alice_2', 'a-b_c9'])
      expect(issuesFor({ userName: ok })).toEqual([]);
    for (const bad of ['', 'Alice', '9a', 'a'.repeat(33), 'else"', 'a b'])
      expectRejected({ userName: bad }, 'userName');
    for (const system of [
      '_svc',
      'root',
      'nobody',
      'daemon',
      'nixbld1',
      'messagebus',
      'systemd-network',
      'sshd',
    ]) {
      expectRejected({ userName: system }, 'userName');
    }
  });

  it('fullName and git.name allow any text on one line', () => {
    expect(
      issuesFor({ fullName: 'Zoë "Z" O\'Brien ${x}', git: { name: 'Zoë', email: '' } }),
    ).toEqual([]);
    expectRejected({ fullName: 'a\nb' }, 'fullName');
    expectRejected({ fullName: 'a\u0000b' }, 'fullName');
    expectRejected({ git: { name: 'a\rb', email: '' } }, 'git.name');
  });

  it('free text may not carry bidirectional overrides, which make a file read unlike what Nix sees', () => {
    expect(issuesFor({ fullName: 'עמית כהן' })).toEqual([]);
    expectRejected({ fullName: 'Alice \u202eecilA' }, 'fullName');
    expectRejected({ git: { name: 'a\u2066b\u2069', email: '' } }, 'git.name');
    expectRejected(
      {
        sshAuthorizedKeys: [
          'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl alice\u202e@laptop',
        ],
      },
      'sshAuthorizedKeys.0',
    );
  });

  it('timeZone is in the tz database', () => {
    for (const ok of [
      'UTC',
      'Europe/Berlin',
      'America/Argentina/Buenos_Aires',
      'Etc/GMT+5',
      'Europe/Kiev',
    ]) {
      expect(issuesFor({ timeZone: ok }), ok).toEqual([]);
    }
    for (const bad of ['', 'Mars/Olympus', 'europe/berlin', '+01:00', 'Europe/Berlin\n']) {
      expectRejected({ timeZone: bad }, 'timeZone');
    }
  });

  it('locale names a language, country and known charset', () => {
    for (const ok of ['en_US.UTF-8', 'de_DE.UTF-8', 'C.UTF-8', 'sr_RS.UTF-8@latin']) {
      expect(issuesFor({ locale: ok }), ok).toEqual([]);
    }
    for (const bad of ['en_US', 'english', 'en_US.FOO-1', 'en_US.UTF-8"'])
      expectRejected({ locale: bad }, 'locale');
  });

  it('keyboard layout and variant are XKB names', () => {
    expect(issuesFor({ keyboardLayout: 'de', keyboardVariant: 'nodeadkeys' })).toEqual([]);
    expect(issuesFor({ keyboardLayout: 'us,de', keyboardVariant: ',nodeadkeys' })).toEqual([]);
    for (const bad of ['zz', 'US', 'de;rm -rf', 'a"b', 'us,zz'])
      expectRejected({ keyboardLayout: bad }, 'keyboardLayout');
    expectRejected({ keyboardVariant: 'no dead keys' }, 'keyboardVariant');
    expectRejected({ keyboardLayout: 'de', keyboardVariant: 'dvorakk' }, 'keyboardVariant');
    expectRejected({ keyboardLayout: 'us', keyboardVariant: 'dvorak,intl' }, 'keyboardVariant');
    // The name typed is quoted on one line, whatever it holds; an empty one is not quoted at all.
    const messages = (change: Record<string, unknown>) =>
      issuesFor(change).map((issue) => issue.message);
    expect(messages({ keyboardLayout: 'us\n' })).toEqual([
      'keyboardLayout must be an XKB layout name such as us, de or gb ("us\\n" is not one in xkeyboard-config 2.35.1)',
    ]);
    const linux = validateAnswers({ ...good, keyboardLayout: '' }, facts);
    expect(linux.ok ? [] : linux.issues.map((issue) => issue.message)).toEqual([
      'keyboardLayout must be an XKB layout name such as us, de or gb',
    ]);
    expect(linux.ok ? [] : linux.issues.map((issue) => issue.field)).toContain('keyboardLayout');
  });

  it('SSH keys are parsed, and the declared type must match the key inside', () => {
    const ecdsa = `ecdsa-sha2-nistp256 ${sshBlob('ecdsa-sha2-nistp256', Buffer.alloc(65, 4))}`;
    expect(
      issuesFor({
        sshAuthorizedKeys: [ED25519, ecdsa, `${ED25519.split(' ').slice(0, 2).join(' ')}`],
      }),
    ).toEqual([]);
    const rsaInside = `ssh-ed25519 ${sshBlob('ssh-rsa', Buffer.alloc(32))}`;
    const shortKey = `ssh-ed25519 ${sshBlob('ssh-ed25519', Buffer.alloc(16))}`;
    for (const bad of [
      '',
      'ssh-dss AAAAB3NzaC1kc3MAAACBAP',
      `command="rm -rf /" ${ED25519}`,
      `${ED25519}\nssh-ed25519 AAAA`,
      'ssh-ed25519 not*base64',
      'ssh-ed25519 AAAA',
      rsaInside,
      shortKey,
    ]) {
      const issues = issuesFor({ sshAuthorizedKeys: [ED25519, bad] });
      expect(
        issues.map((issue) => issue.field),
        bad,
      ).toEqual(['sshAuthorizedKeys.1']);
    }
    expect(issuesFor({ sshAuthorizedKeys: [rsaInside] })[0]?.message).toMatch(/ssh-rsa/);
    expect(issuesFor({ sshAuthorizedKeys: [`from="10.0.0.1" ${ED25519}`] })[0]?.message).toMatch(
      /options/,
    );
  });

  it('git.email is an address or empty', () => {
    expect(issuesFor({ git: { name: '', email: '' } })).toEqual([]);
    expect(issuesFor({ git: { name: 'A', email: '123+a@users.noreply.github.com' } })).toEqual([]);
    for (const bad of ['alice', 'a@b', 'a b@c.d', 'a@c.d\n', '"x"@y.z']) {
      expectRejected({ git: { name: '', email: bad } }, 'git.email');
    }
  });

  it('services that need a desktop are refused without one', () => {
    expectRejected({ services: ['flatpak'] }, 'services');
    expectRejected({ services: ['remote-desktop'] }, 'services');
    expect(issuesFor({ desktop: 'gnome', services: ['flatpak', 'remote-desktop'] })).toEqual([]);
  });
});

describe('rendering refuses answers that did not pass validation', () => {
  it('throws ANSWERS_INVALID naming the field', () => {
    expect(() => renderHost(facts, { ...good, hostName: '../../etc' })).toThrow(/hostName/);
    try {
      renderHost(facts, { ...good, userName: 'root' });
    } catch (error) {
      expect((error as { error: { code: string } }).error.code).toBe('ANSWERS_INVALID');
    }
  });
});
