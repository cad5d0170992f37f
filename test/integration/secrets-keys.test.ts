import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { armor, Decrypter, Encrypter, identityToRecipient } from 'age-encryption';
import { describe, expect, it } from 'vitest';
import {
  ensureOwnerKey,
  type KeyPlaces,
  ownerKeyPath,
  sshPrivateKeyToAge,
  sshPublicKeyToAge,
} from '../../main/core/secrets';

const has = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;

function temp(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `nixstrap-${prefix}-`));
}

/** A fresh ed25519 key pair from ssh-keygen, as a host's would be. */
function sshKeyPair(): { privateKey: string; publicKey: string } {
  const dir = temp('sshkey');
  const file = path.join(dir, 'ssh_host_ed25519_key');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'root@host', '-f', file]);
  return { privateKey: readFileSync(file, 'utf8'), publicKey: readFileSync(`${file}.pub`, 'utf8') };
}

describe.skipIf(!has('ssh-keygen'))('SSH host keys from ssh-keygen become age keys', () => {
  it('the identity from the private key has the recipient converted from the public key', async () => {
    for (let i = 0; i < 5; i += 1) {
      const { privateKey, publicKey } = sshKeyPair();
      const { identity, recipient } = sshPrivateKeyToAge(privateKey);
      expect(sshPublicKeyToAge(publicKey)).toBe(recipient);
      expect(await identityToRecipient(identity)).toBe(recipient);
    }
  });

  it('age-encryption encrypts to the converted recipient and decrypts with the converted identity', async () => {
    const { privateKey, publicKey } = sshKeyPair();
    const encrypter = new Encrypter();
    encrypter.addRecipient(sshPublicKeyToAge(publicKey));
    const sealed = await encrypter.encrypt('host secret');
    const decrypter = new Decrypter();
    decrypter.addIdentity(sshPrivateKeyToAge(privateKey).identity);
    expect(await decrypter.decrypt(sealed, 'text')).toBe('host secret');
  });

  it.skipIf(!has('age'))('the real age CLI agrees both ways', async () => {
    const { privateKey, publicKey } = sshKeyPair();
    const { identity } = sshPrivateKeyToAge(privateKey);
    const recipient = sshPublicKeyToAge(publicKey);
    const dir = temp('age-cli');
    const identityFile = path.join(dir, 'identity.txt');
    writeFileSync(identityFile, `${identity}\n`, { mode: 0o600 });

    expect(execFileSync('age-keygen', ['-y', identityFile], { encoding: 'utf8' }).trim()).toBe(
      recipient,
    );
    const byCli = execFileSync('age', ['-a', '-r', recipient], { input: 'from the age CLI' });
    const decrypter = new Decrypter();
    decrypter.addIdentity(identity);
    expect(await decrypter.decrypt(armor.decode(byCli.toString()), 'text')).toBe(
      'from the age CLI',
    );

    const encrypter = new Encrypter();
    encrypter.addRecipient(recipient);
    const byUs = armor.encode(await encrypter.encrypt('from Nixstrap'));
    const opened = execFileSync('age', ['-d', '-i', identityFile], {
      input: byUs,
      encoding: 'utf8',
    });
    expect(opened).toBe('from Nixstrap');
  });
});

describe("the owner's age key", () => {
  function places(home: string, env: Record<string, string> = {}): KeyPlaces {
    return { env, home, platform: 'linux' };
  }

  it('is generated where sops looks for it, readable by the owner only, in folders only they can enter', async () => {
    const home = temp('home');
    const key = await ensureOwnerKey(places(home), true);
    const file = path.join(home, '.config/sops/age/keys.txt');
    expect(key).toMatchObject({
      path: file,
      created: true,
      recipient: expect.stringMatching(/^age1/),
    });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(home, '.config/sops/age')).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(home, '.config/sops')).mode & 0o777).toBe(0o700);
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^# created: .+\n# public key: age1\S+\nAGE-SECRET-KEY-1[0-9A-Z]+\n$/);
    if (has('age-keygen')) {
      expect(execFileSync('age-keygen', ['-y', file], { encoding: 'utf8' }).trim()).toBe(
        key?.recipient,
      );
    }
  });

  it('is reused, not replaced, when it is already there', async () => {
    const home = temp('home');
    const first = await ensureOwnerKey(places(home), true);
    const again = await ensureOwnerKey(places(home), true);
    expect(again).toEqual({ ...first, created: false });
  });

  it('follows SOPS_AGE_KEY_FILE, and XDG_CONFIG_HOME', async () => {
    const home = temp('home');
    const explicit = path.join(home, 'elsewhere/my-keys.txt');
    expect(ownerKeyPath(places(home, { SOPS_AGE_KEY_FILE: explicit }))).toBe(explicit);
    expect(ownerKeyPath(places(home, { XDG_CONFIG_HOME: '/cfg' }))).toBe('/cfg/sops/age/keys.txt');
    expect(ownerKeyPath({ env: {}, home, platform: 'darwin' })).toBe(
      path.join(home, 'Library/Application Support/sops/age/keys.txt'),
    );
    const key = await ensureOwnerKey(places(home, { SOPS_AGE_KEY_FILE: explicit }), true);
    expect(key?.path).toBe(explicit);
  });

  it('is only looked for, not made, when not asked to', async () => {
    expect(await ensureOwnerKey(places(temp('home')), false)).toBeNull();
  });

  it('a keys file without a key is refused and left as it is', async () => {
    const home = temp('home');
    const file = path.join(home, '.config/sops/age/keys.txt');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, '# my notes, no key here\n');
    const error = await ensureOwnerKey(places(home), true).catch((e: unknown) => e);
    expect((error as { error: { code: string } }).error.code).toBe('SECRETS_KEY_INVALID');
    expect(readFileSync(file, 'utf8')).toBe('# my notes, no key here\n');
  });

  it('a key line cut short is said to be damaged, not missing, and left as it is', async () => {
    const home = temp('home');
    const file = path.join(home, '.config/sops/age/keys.txt');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, 'AGE-SECRET-KEY-1QQQQ\n');
    const error = await ensureOwnerKey(places(home), true).catch((e: unknown) => e);
    expect((error as { error: { message: string } }).error.message).toBe(
      `${file} holds no usable age key: its AGE-SECRET-KEY-1 line is damaged (cut short or mistyped), so Nixstrap cannot use it and left it as it is.`,
    );
    expect(readFileSync(file, 'utf8')).toBe('AGE-SECRET-KEY-1QQQQ\n');
  });

  it('in a folder the user may not write to: says so in a sentence, with no errno', async (ctx) => {
    // An immutable folder refuses writes even to root, as a ~/.config made by root refuses them
    // to its user.
    const home = temp('home');
    const locked = path.join(home, '.config');
    mkdirSync(locked);
    try {
      execFileSync('chattr', ['+i', locked], { stdio: 'ignore' });
    } catch {
      ctx.skip('chattr +i is not available on this file system');
    }
    try {
      const file = ownerKeyPath(places(home));
      const error = await ensureOwnerKey(places(home), true).catch((e: unknown) => e);
      expect((error as { error: unknown }).error).toEqual({
        code: 'SECRETS_KEY_INVALID',
        message: `Nixstrap cannot make the age key ${file}: you may not write to its folder.`,
        hint: expect.stringMatching(/^Make that folder yours and writable/),
      });
    } finally {
      execFileSync('chattr', ['-i', locked]);
    }
  });

  it('a folder where the key file should be: says so, not to check permissions', async () => {
    const home = temp('home');
    const folder = path.join(home, 'age');
    mkdirSync(folder);
    const error = await ensureOwnerKey(places(home, { SOPS_AGE_KEY_FILE: folder }), true).catch(
      (e: unknown) => e,
    );
    expect((error as { error: unknown }).error).toEqual({
      code: 'SECRETS_KEY_INVALID',
      message: `The age key file ${folder} is a folder, not a file, so Nixstrap cannot read a key from it.`,
      hint: expect.stringMatching(/^Move that folder away/),
    });
  });

  it('behind a file where its folder should be: says so, not to check permissions', async () => {
    const home = temp('home');
    const blocker = path.join(home, 'not-a-folder');
    writeFileSync(blocker, 'a file');
    const file = path.join(blocker, 'keys.txt');
    const error = await ensureOwnerKey(places(home, { SOPS_AGE_KEY_FILE: file }), true).catch(
      (e: unknown) => e,
    );
    expect((error as { error: unknown }).error).toEqual({
      code: 'SECRETS_KEY_INVALID',
      message: `The age key file ${file} cannot be read or made: a file stands where one of its folders should be.`,
      hint: expect.stringMatching(/^Move that file away/),
    });
    expect(readFileSync(blocker, 'utf8')).toBe('a file');
  });
});
