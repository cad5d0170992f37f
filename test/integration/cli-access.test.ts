import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ED25519_KEY, PASSWORD_HASH } from '../helpers/golden-cases';
import { fixturesDir, nixstrap, repoRoot, tempDir } from './helpers/cli';

const hetzner = path.join(fixturesDir, 'hetzner-cx22');
const macos = path.join(fixturesDir, 'macos-m2');

/** An answers file for the Hetzner server, as its owner might write it. */
function answersFile(dir: string, answers: Record<string, unknown>): string {
  const base = JSON.parse(
    fs.readFileSync(path.join(repoRoot, 'test/fixtures/answers/workstation.json'), 'utf8'),
  );
  const file = path.join(dir, 'answers.json');
  fs.writeFileSync(
    file,
    JSON.stringify({ ...base, desktop: 'none', services: [], secrets: false, ...answers }),
  );
  return file;
}

/** `nixstrap VERB` for a new repo under `dir` with these answers on a captured machine. */
function newRepo(
  verb: 'init' | 'plan',
  dir: string,
  answers: Record<string, unknown>,
  machine: string,
) {
  const repo = path.join(dir, 'config');
  const run = nixstrap([
    verb,
    '--repo',
    repo,
    '--answers',
    answersFile(dir, answers),
    '--fixture',
    machine,
  ]);
  return { repo, run };
}

describe('the CLI refuses a configuration its owner could not log in to', () => {
  it('says why in one sentence, names what to add, and writes nothing', () => {
    const dir = tempDir('lockout');
    const { repo, run } = newRepo(
      'init',
      dir,
      { sshAuthorizedKeys: [], passwordHash: null },
      hetzner,
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('After a switch to this configuration nobody could log in.\n');
    expect(run.stderr).toContain(
      'Keep "SSH server" on: this is a Hetzner Cloud server, with no screen or keyboard, so SSH is the only way in after the switch',
    );
    expect(run.stderr).toContain('Set a password for alice');
    expect(fs.existsSync(repo)).toBe(false);
  });

  it('writes the server once SSH is on with a key and the owner has a password', () => {
    const dir = tempDir('lockout-ok');
    const { repo, run } = newRepo(
      'init',
      dir,
      {
        services: ['openssh'],
        sshAuthorizedKeys: [ED25519_KEY, ED25519_KEY],
        passwordHash: PASSWORD_HASH,
      },
      hetzner,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const host = fs.readFileSync(path.join(repo, 'hosts/nixos/atlas/default.nix'), 'utf8');
    expect(host).toContain(`initialHashedPassword = "${PASSWORD_HASH}";`);
    expect(host.split(ED25519_KEY).length).toBe(2);
  });

  it('refuses Linux-only answers for a Mac, field by field', () => {
    const dir = tempDir('mac');
    const { run } = newRepo(
      'plan',
      dir,
      { desktop: 'plasma', services: ['printing'], passwordHash: PASSWORD_HASH },
      macos,
    );
    expect(run.code).toBe(1);
    for (const field of ['desktop', 'services', 'keyboardLayout', 'locale', 'passwordHash']) {
      expect(run.stderr).toContain(`${field} must`.replace('services must', 'services cannot'));
    }
  });
});
