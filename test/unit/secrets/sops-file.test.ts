import { readFileSync } from 'node:fs';
import path from 'node:path';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import { decryptSops } from 'sops-age';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import {
  createSops,
  openSops,
  rotateSops,
  setSopsValue,
  sopsPlainValues,
  sshPrivateKeyToAge,
  summarizeSops,
  updateSopsRecipients,
} from '../../../main/core/secrets';
import {
  decryptValue,
  encryptValue,
  pathData,
  strValue,
} from '../../../main/core/secrets/sops-value';

const SAMPLES = path.join(import.meta.dirname, '../../fixtures/secrets');
const read = (file: string) => readFileSync(path.join(SAMPLES, file), 'utf8');
const identityIn = (file: string) =>
  read(file)
    .split('\n')
    .find((l) => l.startsWith('AGE-'))!;

async function newKey() {
  const identity = await generateX25519Identity();
  return { identity, recipient: await identityToRecipient(identity) };
}

async function failure(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  return (error as { error?: { code: string; message: string; hint: string } } | null)?.error;
}

const VALUES = { 'alice-password': '$y$j9T$Fh6.dbVhc6hXXVzjmFtCE1$abc', wifi: 'hunter2 ünïcode' };

describe('files written by the real sops', () => {
  it('opens sops 3.7.1 output with its age key and checks its MAC', async () => {
    const opened = await openSops(
      read('sops-nix/secrets.yaml'),
      [identityIn('sops-nix/age-keys.txt')],
      'secrets.yaml',
    );
    expect(sopsPlainValues(opened)).toEqual({
      test_key: 'test_value',
      a_list: ['e1', 'e3'],
      nested: { test: { file: 'another value' } },
    });
  });

  it('opens the same file with the SSH key it was also encrypted for, converted as ssh-to-age does', async () => {
    const { identity } = sshPrivateKeyToAge(read('sops-nix/ssh-ed25519-key'));
    const opened = await openSops(read('sops-nix/secrets.yaml'), [identity], 'secrets.yaml');
    expect(sopsPlainValues(opened)).toMatchObject({ test_key: 'test_value' });
  });

  it('opens sops 3.8.1 output with int, float and bool values, whose MAC covers them as Go prints them', async () => {
    const opened = await openSops(
      read('sops-age/secret.enc.yaml'),
      [identityIn('sops-age/key.txt')],
      'secret.enc.yaml',
    );
    expect(sopsPlainValues(opened)).toEqual({
      secret: 'this is a secret',
      string: 'string',
      int: 7n,
      float: 3.14,
      boolean: true,
      complex: { value: 'this is a secret', array: ['one', 'two', 'three'] },
    });
  });

  it('counts values and lists recipients without any key', () => {
    expect(summarizeSops(read('sops-nix/secrets.yaml'), 'secrets.yaml')).toEqual({
      values: 4,
      names: ['test_key', 'a_list', 'nested'],
      recipients: [
        'age1yt3tfqlfrwdwx0z0ynwplcr6qxcxfaqycuprpmy89nr83ltx74tqdpszlw',
        'age1a8pk4akrdamj7nvqy3zywgtny8dxz7t5xzu7u8v9mhrayp9freqsqatyrs',
      ],
      otherKeys: ['pgp'],
    });
  });
});

describe('files Nixstrap writes', () => {
  it('round-trips values for every recipient and for nobody else', async () => {
    const [owner, host, stranger] = await Promise.all([newKey(), newKey(), newKey()]);
    const text = await createSops(VALUES, [owner.recipient, host.recipient], 'secrets.yaml');
    for (const key of [owner, host]) {
      expect(sopsPlainValues(await openSops(text, [key.identity], 'secrets.yaml'))).toEqual(VALUES);
    }
    expect(await failure(openSops(text, [stranger.identity], 'secrets.yaml'))).toMatchObject({
      code: 'SECRETS_NO_KEY',
    });
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('$y$');
  });

  it('without any key on this machine, says every place sops reads one from', async () => {
    const owner = await newKey();
    const text = await createSops(VALUES, [owner.recipient], 'secrets.yaml');
    const hint = (await failure(openSops(text, [], 'secrets.yaml')))?.hint ?? '';
    for (const place of [
      'SOPS_AGE_KEY_FILE',
      'sops/age/keys.txt',
      '$XDG_CONFIG_HOME',
      '~/.config',
      '~/Library/Application Support',
    ]) {
      expect(hint).toContain(place);
    }
  });

  it('are decrypted by an independent implementation (sops-age)', async () => {
    const [owner, host] = await Promise.all([newKey(), newKey()]);
    const text = await createSops(VALUES, [owner.recipient, host.recipient], 'secrets.yaml');
    for (const key of [owner, host]) {
      expect(await decryptSops(text, { secretKey: key.identity, fileType: 'yaml' })).toEqual(
        VALUES,
      );
    }
  });

  it('are laid out as sops lays them out: values first, the sops block last, in its order', async () => {
    const owner = await newKey();
    const text = await createSops({ token: 'x' }, [owner.recipient], 'secrets.yaml');
    const doc = parseDocument(text).toJSON() as Record<string, Record<string, unknown>>;
    expect(Object.keys(doc)).toEqual(['token', 'sops']);
    expect(Object.keys(doc.sops!)).toEqual([
      'age',
      'lastmodified',
      'mac',
      'unencrypted_suffix',
      'version',
    ]);
    expect(text).toMatch(/^token: ENC\[AES256_GCM,data:[^,]+,iv:[^,]+,tag:[^,]+,type:str\]$/m);
    expect(text).toMatch(/lastmodified: "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"/);
    expect(text).toContain('-----BEGIN AGE ENCRYPTED FILE-----');
  });

  it('set a value keeping the data key, so the others stay as they were', async () => {
    const owner = await newKey();
    const text = await createSops(VALUES, [owner.recipient], 'secrets.yaml');
    const updated = await setSopsValue(
      await openSops(text, [owner.identity], 'secrets.yaml'),
      'token',
      'abc',
    );
    const opened = await openSops(updated, [owner.identity], 'secrets.yaml');
    expect(sopsPlainValues(opened)).toEqual({ ...VALUES, token: 'abc' });
    expect(await decryptSops(updated, { secretKey: owner.identity, fileType: 'yaml' })).toEqual({
      ...VALUES,
      token: 'abc',
    });
    const before = await openSops(text, [owner.identity], 'secrets.yaml');
    expect(Buffer.from(opened.dataKey)).toEqual(Buffer.from(before.dataKey));
    expect(Object.keys(parseDocument(updated).toJSON())).toEqual([
      'alice-password',
      'wifi',
      'token',
      'sops',
    ]);
  });
});

describe('a file changed outside sops is refused, not trusted', () => {
  async function sealed() {
    const owner = await newKey();
    const text = await createSops(
      { ...VALUES, note_unencrypted: 'plain' },
      [owner.recipient],
      'secrets.yaml',
    );
    return { owner, text };
  }

  it('a tampered value fails', async () => {
    const { owner, text } = await sealed();
    const value = /^wifi: ENC\[AES256_GCM,data:([^,]+),/m.exec(text)![1]!;
    const flipped = Buffer.from(value, 'base64');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    const tampered = text.replace(value, flipped.toString('base64'));
    expect(await failure(openSops(tampered, [owner.identity], 'secrets.yaml'))).toMatchObject({
      code: 'SECRETS_MAC_MISMATCH',
      message: expect.stringContaining('wifi'),
    });
  });

  it('two encrypted values swapped fail: each is bound to its key path', async () => {
    const { owner, text } = await sealed();
    const a = /^alice-password: (.*)$/m.exec(text)![1]!;
    const b = /^wifi: (.*)$/m.exec(text)![1]!;
    const swapped = text
      .replace(`alice-password: ${a}`, `alice-password: ${b}`)
      .replace(`wifi: ${b}`, `wifi: ${a}`);
    expect(await failure(openSops(swapped, [owner.identity], 'secrets.yaml'))).toMatchObject({
      code: 'SECRETS_MAC_MISMATCH',
    });
  });

  it('a changed plaintext value, a removed value and a changed timestamp fail the MAC', async () => {
    const { owner, text } = await sealed();
    const edits = [
      text.replace('note_unencrypted: plain', 'note_unencrypted: changed'),
      text.replace(/^wifi: .*\n/m, ''),
      text.replace(/lastmodified: "[^"]+"/, 'lastmodified: "2001-01-01T00:00:00Z"'),
    ];
    for (const edited of edits) {
      expect(edited).not.toBe(text);
      expect(await failure(openSops(edited, [owner.identity], 'secrets.yaml'))).toMatchObject({
        code: 'SECRETS_MAC_MISMATCH',
        message: expect.stringContaining('MAC'),
      });
    }
  });

  it('a value replaced by plaintext fails', async () => {
    const { owner, text } = await sealed();
    const edited = text.replace(/^wifi: .*$/m, 'wifi: my-new-password');
    expect(await failure(openSops(edited, [owner.identity], 'secrets.yaml'))).toMatchObject({
      code: 'SECRETS_MAC_MISMATCH',
      message: expect.stringContaining('wifi is not encrypted'),
    });
  });
});

describe('bad input gets one sentence', () => {
  it('names what is wrong with a file that is not a SOPS file', async () => {
    const owner = await newKey();
    const cases: [string, string][] = [
      ['a: [unclosed\n', 'not valid YAML'],
      ['password: hunter2\n', 'no `sops:` section'],
      ['- a\n- b\n', 'not a YAML mapping'],
      ['a: 1\n---\nb: 2\n', 'several YAML documents'],
      ['a: 1\nb: 2\na: 3\n', '(line 3: DUPLICATE_KEY)'],
      ['a:\n  b: 1\n  "b": 2\n', '(line 3: DUPLICATE_KEY)'],
    ];
    for (const [text, words] of cases) {
      expect(await failure(openSops(text, [owner.identity], 'x.yaml'))).toMatchObject({
        code: 'SECRETS_FILE_CORRUPT',
        message: expect.stringContaining(words),
      });
    }
  });

  it('opens a file of many values in seconds (each key is checked once, not against every other)', async () => {
    const owner = await newKey();
    const values = Object.fromEntries(
      Array.from({ length: 30_000 }, (_, i) => [`value-${i}`, 'x']),
    );
    const text = await createSops(values, [owner.recipient], 'big.yaml');
    const started = performance.now();
    const opened = await openSops(text, [owner.identity], 'big.yaml');
    expect(performance.now() - started).toBeLessThan(15_000);
    expect(Object.keys(sopsPlainValues(opened))).toHaveLength(30_000);
  }, 120_000);

  it('refuses a file encrypted only for PGP keys', async () => {
    const text = read('sops-nix/secrets.yaml').replace(/ {4}age:\n(?: {8}.*\n)+/, '');
    expect(text).not.toContain('age1');
    const owner = await newKey();
    expect(await failure(openSops(text, [owner.identity], 'secrets.yaml'))).toMatchObject({
      code: 'SECRETS_FOREIGN_ENCRYPTION',
      message:
        'secrets.yaml is encrypted only for pgp keys, not age keys, which Nixstrap does not handle.',
    });
  });

  it('refuses a file whose data key is split into key groups', async () => {
    const owner = await newKey();
    const text = `${await createSops({ a: 'b' }, [owner.recipient], 's.yaml')}`.replace(
      '    age:',
      '    key_groups:\n        - age: []\n        - age: []\n    age:',
    );
    expect(await failure(openSops(text, [owner.identity], 's.yaml'))).toMatchObject({
      code: 'SECRETS_FOREIGN_ENCRYPTION',
    });
  });
});

describe('keys change without the values changing', () => {
  it('updatekeys lets a new host in, keeps values, MAC and timestamp, and drops a removed one', async () => {
    const [owner, oldHost, newHost] = await Promise.all([newKey(), newKey(), newKey()]);
    const text = await createSops(VALUES, [owner.recipient, oldHost.recipient], 'common.yaml');
    const updated = await updateSopsRecipients(
      await openSops(text, [owner.identity], 'common.yaml'),
      [owner.recipient, newHost.recipient],
    );
    expect(sopsPlainValues(await openSops(updated, [newHost.identity], 'common.yaml'))).toEqual(
      VALUES,
    );
    expect(await failure(openSops(updated, [oldHost.identity], 'common.yaml'))).toMatchObject({
      code: 'SECRETS_NO_KEY',
    });
    const field = (t: string, name: string) => new RegExp(`^\\s+${name}: (.*)$`, 'm').exec(t)![1];
    expect(field(updated, 'mac')).toBe(field(text, 'mac'));
    expect(field(updated, 'lastmodified')).toBe(field(text, 'lastmodified'));
    expect(/^wifi: (.*)$/m.exec(updated)![1]).toBe(/^wifi: (.*)$/m.exec(text)![1]);
  });

  it('rotate replaces the data key and re-encrypts every value, which stay the same', async () => {
    const [owner, host] = await Promise.all([newKey(), newKey()]);
    const text = await createSops(VALUES, [owner.recipient, host.recipient], 'secrets.yaml');
    const before = await openSops(text, [owner.identity], 'secrets.yaml');
    const rotated = await rotateSops(before);
    const after = await openSops(rotated, [host.identity], 'secrets.yaml');
    expect(Buffer.from(after.dataKey).equals(Buffer.from(before.dataKey))).toBe(false);
    expect(sopsPlainValues(after)).toEqual(VALUES);
    expect(summarizeSops(rotated, 'secrets.yaml').recipients).toEqual([
      owner.recipient,
      host.recipient,
    ]);
    for (const name of Object.keys(VALUES)) {
      const line = (t: string) => new RegExp(`^${name}: (.*)$`, 'm').exec(t)![1];
      expect(line(rotated)).not.toBe(line(text));
    }
  });

  it('rotate re-encrypts an encrypted comment with the new data key', async () => {
    const owner = await newKey();
    const text = await createSops({ token: 'x' }, [owner.recipient], 'secrets.yaml');
    const opened = await openSops(text, [owner.identity], 'secrets.yaml');
    const comment = encryptValue(
      { ...strValue('kept for later'), type: 'comment' },
      opened.dataKey,
      pathData([]),
    );
    const withComment = `#${comment}\n${text}`;
    const rotated = await rotateSops(await openSops(withComment, [owner.identity], 'secrets.yaml'));
    const reopened = await openSops(rotated, [owner.identity], 'secrets.yaml');
    const line = /^#(ENC\[.*\])$/m.exec(rotated)![1]!;
    expect(line).not.toBe(comment);
    const plain = decryptValue(line, reopened.dataKey, pathData([]));
    expect(typeof plain === 'string' ? plain : plain.plain.toString()).toBe('kept for later');
  });

  it('refuses to rotate a file also encrypted for PGP keys it cannot re-encrypt for', async () => {
    const opened = await openSops(
      read('sops-nix/secrets.yaml'),
      [identityIn('sops-nix/age-keys.txt')],
      'secrets.yaml',
    );
    expect(await failure(rotateSops(opened))).toMatchObject({ code: 'SECRETS_FOREIGN_ENCRYPTION' });
  });
});
