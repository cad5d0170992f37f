import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decryptSops } from 'sops-age';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import type { Facts } from '../../common/facts';
import type { Plan } from '../../common/plan';
import { updatesExistingHost } from '../../common/plan-host';
import { applyPlan, computePlan } from '../../main/core/repo';
import {
  createSops,
  openSops,
  type SecretsSetup,
  setSecret,
  sopsPlainValues,
  sshPrivateKeyToAge,
  sshPublicKeyToAge,
} from '../../main/core/secrets';
import { creationRules, parseSopsConfig, ruleFor } from '../../main/core/secrets/sops-rules';
import { hetznerCx22 } from '../unit/detect/machines/vms';
import { nixstrap, repoRoot } from './helpers/cli';
import { answersFor, pcFacts } from './helpers/repo-machines';
import { gitCli, tempDir } from './helpers/repo-trees';

/**
 * A machine reinstalled without its SSH host key comes back to its host with a new key: the old
 * one must stop reading the host's secrets, with a new data key, as `sops updatekeys` and
 * `sops rotate` would leave them. Keys come from age-keygen and ssh-keygen; the real age CLI
 * says who can open each data key.
 */

const HOST_FILE = 'hosts/nixos/atlas/secrets.yaml';
const COMMON_FILE = 'secrets/common.yaml';
const FILES = [HOST_FILE, COMMON_FILE] as const;
const HASH = execFileSync('mkpasswd', ['-m', 'yescrypt', 'correct horse battery staple'], {
  encoding: 'utf8',
}).trim();

interface Key {
  recipient: string;
  /** An age identity file the age CLI reads. */
  identityFile: string;
}

/** The owner's machine: age-keygen's key where sops looks for it, and a data dir. */
function ownerMachine(): SecretsSetup & { key: Key } {
  const home = tempDir('nixstrap-home-');
  const identityFile = join(home, '.config/sops/age/keys.txt');
  mkdirSync(join(home, '.config/sops/age'), { recursive: true });
  execFileSync('age-keygen', ['-o', identityFile], { stdio: 'ignore' });
  const recipient = execFileSync('age-keygen', ['-y', identityFile], { encoding: 'utf8' }).trim();
  return {
    places: { env: {}, home, platform: 'linux' },
    dataDir: join(home, 'data'),
    key: { recipient, identityFile },
  };
}

/** A machine without the owner's key, its data folder empty. */
function strangerMachine(): SecretsSetup {
  const home = tempDir('nixstrap-home-');
  return { places: { env: {}, home, platform: 'linux' }, dataDir: join(home, 'data') };
}

/** Atlas as installed: the same hardware each time, a new SSH host key from ssh-keygen. */
function atlasInstall(): { facts: Facts; key: Key } {
  const dir = tempDir('nixstrap-hostkey-');
  const file = join(dir, 'ssh_host_ed25519_key');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'root@atlas', '-f', file]);
  const publicKey = readFileSync(`${file}.pub`, 'utf8').trim().split(' ').slice(0, 2).join(' ');
  // As sops-nix reads the host key at activation: converted to an age identity.
  const { identity, recipient } = sshPrivateKeyToAge(readFileSync(file, 'utf8'));
  const identityFile = join(dir, 'age.txt');
  writeFileSync(identityFile, `${identity}\n`, { mode: 0o600 });
  return {
    facts: { ...pcFacts('atlas'), sshHostKey: publicKey },
    key: { recipient, identityFile },
  };
}

function readRepo(repo: string, file: string): string {
  return readFileSync(join(repo, file), 'utf8');
}

/** The data key as the age CLI unwraps it with `key`, trying every stanza; null if none opens. */
function dataKeyFor(repo: string, file: string, key: Key): string | null {
  const doc = parseDocument(readRepo(repo, file));
  const stanzas = doc.getIn(['sops', 'age']) as { toJSON(): { enc: string }[] };
  for (const { enc } of stanzas.toJSON()) {
    const run = spawnSync('age', ['-d', '-i', key.identityFile], { input: enc });
    if (run.status === 0) return run.stdout.toString('hex');
  }
  return null;
}

async function valuesOf(repo: string, file: string, key: Key) {
  const identity = readFileSync(key.identityFile, 'utf8')
    .split('\n')
    .find((line) => line.startsWith('AGE-SECRET-KEY-1'))!;
  return sopsPlainValues(await openSops(readRepo(repo, file), [identity], file));
}

function readersIn(config: string, file: string): string[] {
  return ruleFor(creationRules(parseSopsConfig(config)), file)?.ageRecipients ?? [];
}

function fileOf(plan: Plan, path: string) {
  return plan.files.find((f) => f.path === path);
}

/** A repo for atlas with a password hash, a host secret and a shared one, by the owner. */
async function atlasRepo() {
  const owner = ownerMachine();
  const first = atlasInstall();
  const repo = join(tempDir(), 'config');
  const answers = answersFor(first.facts, { secrets: true, passwordHash: HASH });
  await applyPlan(
    await computePlan({ journey: 'init', repo, facts: first.facts, answers, secrets: owner }),
  );
  await setSecret(repo, { host: 'atlas' }, 'token', 's3cret-token', owner.places);
  await setSecret(repo, { common: true }, 'wifi', 'hunter2-wifi', owner.places);
  const before = {
    [HOST_FILE]: await valuesOf(repo, HOST_FILE, first.key),
    [COMMON_FILE]: await valuesOf(repo, COMMON_FILE, first.key),
  };
  const reinstalled = (facts: Facts, secrets: SecretsSetup) =>
    computePlan({
      journey: 'add-host',
      repo,
      facts,
      answers: answersFor(facts, { secrets: true, passwordHash: HASH }),
      secrets,
    });
  return { owner, first, repo, before, reinstalled };
}

describe('a reinstalled host, planned where the owner’s key is', async () => {
  const { owner, first, repo, before, reinstalled } = await atlasRepo();
  const oldKeys = {
    [HOST_FILE]: dataKeyFor(repo, HOST_FILE, first.key),
    [COMMON_FILE]: dataKeyFor(repo, COMMON_FILE, first.key),
  };
  // A file the owner made for the host by hand, which no rule of .sops.yaml covers.
  const loose = 'backup/atlas.yaml';
  mkdirSync(join(repo, 'backup'));
  const looseValues = { disk: 'backup-passphrase' };
  const looseReaders = [owner.key.recipient, first.key.recipient];
  writeFileSync(join(repo, loose), await createSops(looseValues, looseReaders, loose));
  gitCli(repo, 'add', loose);
  gitCli(repo, 'commit', '-qm', 'a backup secret');
  const second = atlasInstall();
  // Its data folder is empty: only the owner's key came back with it.
  const plan = await reinstalled(second.facts, { places: owner.places, dataDir: tempDir() });

  it('names the change, and shows readers and counts, never a value', () => {
    expect(updatesExistingHost(plan)).toBe(true);
    expect(plan.warnings).toContain(
      `The old key of atlas (${first.key.recipient}) no longer reads its secrets; the secrets are re-encrypted with a new data key.`,
    );
    expect(fileOf(plan, HOST_FILE)?.encrypted).toEqual({
      values: 2,
      recipients: [
        { recipient: owner.key.recipient, name: 'owner' },
        { recipient: second.key.recipient, name: 'host_atlas' },
      ],
    });
    expect(fileOf(plan, COMMON_FILE)?.encrypted?.recipients.map((r) => r.recipient)).toEqual([
      owner.key.recipient,
      second.key.recipient,
    ]);
    const shown = JSON.stringify(plan);
    for (const secret of [HASH, 's3cret-token', 'hunter2-wifi'])
      expect(shown).not.toContain(secret);
    expect(plan.steps.join('\n')).not.toContain('still reads');
  });

  it('takes the old key out of .sops.yaml and gives the new one its name', () => {
    const config = fileOf(plan, '.sops.yaml')!.content;
    expect(config).not.toContain(first.key.recipient);
    expect(config).toContain(`  - &host_atlas ${second.key.recipient}\n`);
    expect(readersIn(config, HOST_FILE)).toEqual([owner.key.recipient, second.key.recipient]);
    expect(readersIn(config, COMMON_FILE)).toEqual([owner.key.recipient, second.key.recipient]);
  });

  it('writes files the old key cannot open, with new data keys and the same values', async () => {
    await applyPlan(plan);
    expect(gitCli(repo, 'status', '--porcelain')).toBe('');
    for (const file of FILES) {
      expect(dataKeyFor(repo, file, first.key)).toBeNull();
      const key = dataKeyFor(repo, file, owner.key);
      expect(key).toMatch(/^[0-9a-f]{64}$/);
      expect(key).not.toBe(oldKeys[file]);
      expect(dataKeyFor(repo, file, second.key)).toBe(key);
      expect(await valuesOf(repo, file, second.key)).toEqual(before[file]);
      expect(await valuesOf(repo, file, owner.key)).toEqual(before[file]);
      // Another SOPS reader than Nixstrap's agrees.
      const secretKey = readFileSync(second.key.identityFile, 'utf8').trim();
      expect(await decryptSops(readRepo(repo, file), { secretKey, fileType: 'yaml' })).toEqual(
        before[file],
      );
    }
    expect(before[HOST_FILE]).toEqual({ 'alice-password': HASH, token: 's3cret-token' });
    // No rule says who reads it: it keeps its other reader, not none.
    expect(dataKeyFor(repo, loose, first.key)).toBeNull();
    expect(await valuesOf(repo, loose, owner.key)).toEqual(looseValues);
    const history = gitCli(repo, 'log', '-p', '--all');
    for (const secret of [HASH, 's3cret-token', 'hunter2-wifi'])
      expect(history).not.toContain(secret);
  });

  it('plans nothing more for the host when run again', async () => {
    const again = await reinstalled(second.facts, { places: owner.places, dataDir: tempDir() });
    expect(again.warnings.join('\n')).not.toContain('old key');
    expect(fileOf(again, HOST_FILE)?.action).toBe('unchanged');
    expect(fileOf(again, '.sops.yaml')?.action).toBe('unchanged');
  });
});

describe('a reinstalled host, planned without the owner’s key', async () => {
  const { owner, first, repo, before, reinstalled } = await atlasRepo();
  const second = atlasInstall();
  const plan = await reinstalled(second.facts, strangerMachine());

  it('removes nothing, and says how to finish where the owner’s key is', async () => {
    expect(plan.steps).toContain(
      `The old key of atlas (${first.key.recipient}) still reads its secrets, because your age key is not on this machine: on a machine that has it, after pulling this commit, delete that key and its aliases from .sops.yaml, run \`sops updatekeys -y ${HOST_FILE} ${COMMON_FILE}\`, then \`sops rotate -i ${HOST_FILE}\` and \`sops rotate -i ${COMMON_FILE}\`, and commit and push (or put your age key on this machine and run Nixstrap again here).`,
    );
    expect(plan.warnings.join('\n')).not.toContain('no longer reads');
    const config = fileOf(plan, '.sops.yaml')!.content;
    expect(readersIn(config, HOST_FILE)).toEqual([
      owner.key.recipient,
      first.key.recipient,
      second.key.recipient,
    ]);
    await applyPlan(plan);
    for (const file of FILES) {
      expect(await valuesOf(repo, file, first.key)).toEqual(before[file]);
      expect(dataKeyFor(repo, file, second.key)).toBeNull();
    }
  });

  it('finishes when run again with the owner’s key in place', async () => {
    const plan = await reinstalled(second.facts, { places: owner.places, dataDir: tempDir() });
    expect(plan.warnings).toContain(
      `The old key of atlas (${first.key.recipient}) no longer reads its secrets; the secrets are re-encrypted with a new data key.`,
    );
    expect(plan.steps.join('\n')).not.toContain('still reads');
    await applyPlan(plan);
    const config = readRepo(repo, '.sops.yaml');
    expect(config).not.toContain(first.key.recipient);
    expect(readersIn(config, HOST_FILE)).toEqual([owner.key.recipient, second.key.recipient]);
    for (const file of FILES) {
      expect(dataKeyFor(repo, file, first.key)).toBeNull();
      expect(await valuesOf(repo, file, second.key)).toEqual(before[file]);
    }
  });
});

describe('a host without an SSH host key whose data folder was emptied', async () => {
  const owner = ownerMachine();
  const facts = pcFacts('atlas');
  const repo = join(tempDir(), 'config');
  const answers = answersFor(facts, { secrets: true, passwordHash: HASH });
  await applyPlan(await computePlan({ journey: 'init', repo, facts, answers, secrets: owner }));
  const identityFile = join(owner.dataDir, 'host-keys/atlas.txt');
  const old: Key = {
    identityFile,
    recipient: execFileSync('age-keygen', ['-y', identityFile], { encoding: 'utf8' }).trim(),
  };
  const emptied = { places: owner.places, dataDir: tempDir() };

  it('gets a new age key, and the one made before no longer reads its secrets', async () => {
    const plan = await computePlan({ journey: 'add-host', repo, facts, answers, secrets: emptied });
    expect(plan.warnings).toContain(
      `The old key of atlas (${old.recipient}) no longer reads its secrets; the secrets are re-encrypted with a new data key.`,
    );
    await applyPlan(plan);
    const renewed = join(emptied.dataDir, 'host-keys/atlas.txt');
    const fresh: Key = {
      identityFile: renewed,
      recipient: execFileSync('age-keygen', ['-y', renewed], { encoding: 'utf8' }).trim(),
    };
    for (const file of FILES) {
      expect(dataKeyFor(repo, file, old)).toBeNull();
      const key = dataKeyFor(repo, file, owner.key);
      expect(key).toMatch(/^[0-9a-f]{64}$/);
      expect(dataKeyFor(repo, file, fresh)).toBe(key);
    }
    expect(await valuesOf(repo, HOST_FILE, fresh)).toEqual({ 'alice-password': HASH });
  });
});

describe('nixstrap plan and add-host on a reinstalled server', () => {
  const home = tempDir('nixstrap-cli-');
  const keyFile = join(home, 'keys.txt');
  execFileSync('age-keygen', ['-o', keyFile], { stdio: 'ignore' });
  const dataDir = join(home, 'data');
  const repo = join(home, 'config');
  const fixture = join(home, 'machine');
  hetznerCx22().write(fixture);
  const hostKey = join(fixture, 'root/etc/ssh/ssh_host_ed25519_key.pub');
  const oldRecipient = sshPublicKeyToAge(readFileSync(hostKey, 'utf8'));
  const answers = join(home, 'answers.json');
  const workstation = JSON.parse(
    readFileSync(join(repoRoot, 'test/fixtures/answers/workstation.json'), 'utf8'),
  );
  writeFileSync(answers, JSON.stringify({ ...workstation, passwordHash: HASH }));
  const run = (verb: string, env: Record<string, string>) =>
    nixstrap([verb, '--repo', repo, '--answers', answers, '--fixture', fixture], {
      env: { NIXSTRAP_DATA_DIR: dataDir, ...env },
    });

  it('prints the change where the owner’s key is, and the commands where it is not', () => {
    expect(run('init', { SOPS_AGE_KEY_FILE: keyFile }).code).toBe(0);
    // Reinstalled: a new SSH host key, the same hardware.
    const fresh = join(tempDir('nixstrap-hostkey-'), 'key');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'root@web-1', '-f', fresh]);
    writeFileSync(hostKey, readFileSync(`${fresh}.pub`));
    const elsewhere = run('plan', { SOPS_AGE_KEY_FILE: join(home, 'no-key.txt') });
    expect(elsewhere.code).toBe(0);
    expect(elsewhere.stdout).toContain(
      `The old key of atlas (${oldRecipient}) still reads its secrets, because your age key is not on this machine`,
    );
    const plan = run('plan', { SOPS_AGE_KEY_FILE: keyFile });
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain(
      `Warning: The old key of atlas (${oldRecipient}) no longer reads its secrets; the secrets are re-encrypted with a new data key.`,
    );
    expect(plan.stdout).toMatch(
      /update {4}hosts\/nixos\/atlas\/secrets\.yaml {2}\(encrypted, 1 value, readable by owner, host_atlas\)/,
    );
    const applied = run('add-host', { SOPS_AGE_KEY_FILE: keyFile });
    expect(applied.code).toBe(0);
    expect(readRepo(repo, '.sops.yaml')).not.toContain(oldRecipient);
    for (const output of [elsewhere, plan, applied]) {
      expect(`${output.stdout}${output.stderr}`).not.toContain(HASH);
    }
  });
});
