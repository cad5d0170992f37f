import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { decryptSops } from 'sops-age';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import type { Facts } from '../../common/facts';
import type { Plan } from '../../common/plan';
import { updatesExistingHost } from '../../common/plan-host';
import { applyPlan, computePlan } from '../../main/core/repo';
import {
  type KeyPlaces,
  openSops,
  rotateSecrets,
  type SecretsSetup,
  secretsReport,
  setSecret,
  sopsPlainValues,
  sshPrivateKeyToAge,
} from '../../main/core/secrets';
import { identitiesIn } from '../../main/core/secrets/age-keys';
import { answersFor, pcFacts, wslFacts } from './helpers/repo-machines';
import { gitCli, tempDir } from './helpers/repo-trees';

/** A machine with an SSH host key from ssh-keygen; the private half stands for the host's disk. */
function hostWithSshKey(name: string): { facts: Facts; identity: string } {
  const file = join(tempDir('nixstrap-hostkey-'), 'ssh_host_ed25519_key');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `root@${name}`, '-f', file]);
  const publicKey = readFileSync(`${file}.pub`, 'utf8').trim().split(' ').slice(0, 2).join(' ');
  const { identity } = sshPrivateKeyToAge(readFileSync(file, 'utf8'));
  return { facts: { ...pcFacts(name), sshHostKey: publicKey }, identity };
}

/** A machine of the owner's: its own home (where sops looks for keys) and data dir. */
function machine(): SecretsSetup & { places: KeyPlaces } {
  const home = tempDir('nixstrap-home-');
  return { places: { env: {}, home, platform: 'linux' }, dataDir: join(home, 'data') };
}

function ownerIdentity(setup: SecretsSetup): string {
  const file = join(setup.places.home, '.config/sops/age/keys.txt');
  return identitiesIn(readFileSync(file, 'utf8'))[0]!;
}

async function valuesOf(repo: string, file: string, identity: string) {
  const text = readFileSync(join(repo, file), 'utf8');
  return sopsPlainValues(await openSops(text, [identity], file));
}

async function canOpen(repo: string, file: string, identity: string): Promise<boolean> {
  return valuesOf(repo, file, identity).then(
    () => true,
    () => false,
  );
}

/** A real yescrypt hash from mkpasswd, as the wizard's password field produces. */
const HASH = execFileSync('mkpasswd', ['-m', 'yescrypt', 'correct horse battery staple'], {
  encoding: 'utf8',
}).trim();

function fileOf(plan: Plan, path: string) {
  return plan.files.find((f) => f.path === path);
}

/** A repo set up for atlas (which has an SSH host key) with these answers, by its owner. */
async function atlasWithSecrets(over: Parameters<typeof answersFor>[1]) {
  const owner = machine();
  const atlas = hostWithSshKey('atlas');
  const repo = join(tempDir(), 'config');
  const answers = answersFor(atlas.facts, over);
  await applyPlan(
    await computePlan({ journey: 'init', repo, facts: atlas.facts, answers, secrets: owner }),
  );
  return { owner, atlas, repo, answers };
}

describe('a new repo has secrets from its first commit', async () => {
  const owner = machine();
  const atlas = hostWithSshKey('atlas');
  const answers = answersFor(atlas.facts, { secrets: true, passwordHash: HASH });
  const repo = join(tempDir(), 'config');
  const plan = await computePlan({
    journey: 'init',
    repo,
    facts: atlas.facts,
    answers,
    secrets: owner,
  });

  it('plans .sops.yaml, the host’s encrypted file and the shared one, showing counts and readers only', () => {
    expect(fileOf(plan, '.sops.yaml')?.action).toBe('create');
    const own = fileOf(plan, 'hosts/nixos/atlas/secrets.yaml')!;
    expect(own).toMatchObject({ action: 'create', diff: '', managed: false });
    expect(own.encrypted).toEqual({
      values: 1,
      recipients: [
        { recipient: expect.stringMatching(/^age1/), name: 'owner' },
        { recipient: expect.stringMatching(/^age1/), name: 'host_atlas' },
      ],
    });
    expect(fileOf(plan, 'secrets/common.yaml')?.encrypted?.values).toBe(0);
    expect(JSON.stringify(plan)).not.toContain(HASH);
    expect(plan.steps.join('\n')).toMatch(/Your age key was created at .*keys\.txt: back it up/);
  });

  it('writes the hash encrypted, readable by the host’s SSH key and by the owner, and the Nix that uses it', async () => {
    const result = await applyPlan(plan);
    expect(result.written).toEqual(
      expect.arrayContaining([
        '.sops.yaml',
        'hosts/nixos/atlas/secrets.yaml',
        'secrets/common.yaml',
      ]),
    );
    expect(gitCli(repo, 'status', '--porcelain')).toBe('');
    const file = 'hosts/nixos/atlas/secrets.yaml';
    expect(await valuesOf(repo, file, atlas.identity)).toEqual({ 'alice-password': HASH });
    expect(await valuesOf(repo, file, ownerIdentity(owner))).toEqual({ 'alice-password': HASH });
    const text = readFileSync(join(repo, file), 'utf8');
    expect(await decryptSops(text, { secretKey: atlas.identity, fileType: 'yaml' })).toEqual({
      'alice-password': HASH,
    });
    const host = readFileSync(join(repo, 'hosts/nixos/atlas/default.nix'), 'utf8');
    expect(host).toContain('hashedPasswordFile = config.sops.secrets.alice-password.path;');
    expect(host).toContain('sops.secrets.alice-password.neededForUsers = true;');
    expect(host).toContain('sops.age.sshKeyPaths = [ "/etc/ssh/ssh_host_ed25519_key" ];');
    expect(gitCli(repo, 'log', '-p', '--all')).not.toContain(HASH);
  });

  it('plans every file as unchanged when run again, encrypted ones included', async () => {
    const again = await computePlan({
      journey: 'init',
      repo,
      facts: atlas.facts,
      answers,
      secrets: owner,
    });
    expect(again.files.filter((f) => f.action !== 'unchanged').map((f) => f.path)).toEqual([]);
  });

  it('a new password re-encrypts only that value, with the same readers', async () => {
    const other = execFileSync('mkpasswd', ['-m', 'sha-512', 'another one'], {
      encoding: 'utf8',
    }).trim();
    const changed = await computePlan({
      journey: 'init',
      repo,
      facts: atlas.facts,
      answers: { ...answers, passwordHash: other },
      secrets: owner,
    });
    expect(changed.files.filter((f) => f.action !== 'unchanged').map((f) => f.path)).toEqual([
      'hosts/nixos/atlas/secrets.yaml',
    ]);
    await applyPlan(changed);
    expect(await valuesOf(repo, 'hosts/nixos/atlas/secrets.yaml', atlas.identity)).toEqual({
      'alice-password': other,
    });
  });
});

/** Adds the machine of `facts` to the repo from `setup`'s machine, with secrets on. */
async function addMachine(
  repo: string,
  facts: Facts,
  setup: SecretsSetup,
  over: Parameters<typeof answersFor>[1] = {},
) {
  const answers = answersFor(facts, { secrets: true, ...over });
  await applyPlan(await computePlan({ journey: 'add-host', repo, facts, answers, secrets: setup }));
}

describe('adding a host keeps secrets right', async () => {
  const { owner, atlas, repo } = await atlasWithSecrets({ secrets: true });
  await setSecret(repo, { common: true }, 'wifi', 'hunter2', owner.places);

  it('from the owner’s machine: the new host reads the shared secrets and its own, the others keep theirs', async () => {
    const pi = pcFacts('pi');
    const plan = await computePlan({
      journey: 'add-host',
      repo,
      facts: pi,
      answers: answersFor(pi, { secrets: true }),
      secrets: owner,
    });
    expect(fileOf(plan, 'secrets/common.yaml')).toMatchObject({
      action: 'update',
      encrypted: { values: 1 },
    });
    expect(fileOf(plan, 'hosts/nixos/atlas/secrets.yaml')).toBeUndefined();
    expect(plan.steps.join('\n')).toContain(
      'Host pi has no SSH host key, so Nixstrap made it an age key',
    );
    await applyPlan(plan);
    const piKey = identitiesIn(readFileSync(join(owner.dataDir, 'host-keys/pi.txt'), 'utf8'))[0]!;
    expect(await valuesOf(repo, 'secrets/common.yaml', piKey)).toEqual({ wifi: 'hunter2' });
    expect(await valuesOf(repo, 'secrets/common.yaml', atlas.identity)).toEqual({
      wifi: 'hunter2',
    });
    expect(await canOpen(repo, 'hosts/nixos/pi/secrets.yaml', piKey)).toBe(true);
    expect(await canOpen(repo, 'hosts/nixos/atlas/secrets.yaml', piKey)).toBe(false);
    expect(await canOpen(repo, 'hosts/nixos/pi/secrets.yaml', atlas.identity)).toBe(false);
    const host = readFileSync(join(repo, 'hosts/nixos/pi/default.nix'), 'utf8');
    expect(host).toContain('sops.age.keyFile = "/var/lib/sops-nix/key.txt";');
  });

  it('from a machine without the owner’s key: the host gets its own file, and the one command to run elsewhere', async () => {
    const stranger = machine();
    const box = hostWithSshKey('box');
    const plan = await computePlan({
      journey: 'add-host',
      repo,
      facts: box.facts,
      answers: answersFor(box.facts, { secrets: true }),
      secrets: stranger,
    });
    expect(fileOf(plan, 'secrets/common.yaml')).toBeUndefined();
    expect(plan.steps.join('\n')).toContain(
      "The owner's age key is not on this machine, so host box cannot read secrets/common.yaml yet: on a machine that has it, run `sops updatekeys -y secrets/common.yaml`",
    );
    await applyPlan(plan);
    expect(await canOpen(repo, 'hosts/nixos/box/secrets.yaml', box.identity)).toBe(true);
    expect(await canOpen(repo, 'hosts/nixos/box/secrets.yaml', ownerIdentity(owner))).toBe(true);
    expect(await canOpen(repo, 'secrets/common.yaml', box.identity)).toBe(false);
    const report = await secretsReport(repo, stranger.places);
    const common = report.files.find((f) => f.path === 'secrets/common.yaml')!;
    const missing = common.wanted!.filter(
      (w) => !common.recipients.some((r) => r.recipient === w.recipient),
    );
    expect(missing.map((r) => r.name)).toEqual(['host_box']);
    expect(report.owner.recipient).toBeNull();
    // No key of its own was made there: the repo already has an owner.
    expect(() => readFileSync(join(stranger.places.home, '.config/sops/age/keys.txt'))).toThrow();
  });

  it('from a machine whose age key file is damaged: goes ahead as without the key, names the file, and quotes no key', async () => {
    // The owner's real key cut short: the kind of damage whose error from age quotes the key.
    const cutShort = ownerIdentity(owner).slice(0, 40);
    for (const [name, keyFile, env] of [
      ['garbled', 'not a key\n', {}],
      ['cut', `${cutShort}\n`, {}],
      ['envcut', `${cutShort}\n`, { SOPS_AGE_KEY: cutShort }],
    ] as const) {
      const damaged = machine();
      const file = join(damaged.places.home, '.config/sops/age/keys.txt');
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, keyFile, { mode: 0o600 });
      const facts = pcFacts(`damaged-${name}`);
      const plan = await computePlan({
        journey: 'add-host',
        repo,
        facts,
        answers: answersFor(facts, { secrets: true }),
        secrets: { ...damaged, places: { ...damaged.places, env } },
      });
      expect(plan.warnings.find((w) => w.startsWith(file))).toMatch(
        /holds no (usable )?age key.* The plan goes on without it\. Fix or move that file/,
      );
      expect(plan.steps.join('\n')).toContain(
        `Your age key file ${file} cannot be used, so host damaged-${name} cannot read secrets/common.yaml yet: on a machine that has it, run \`sops updatekeys -y secrets/common.yaml\``,
      );
      expect(JSON.stringify(plan)).not.toContain(cutShort.slice('AGE-SECRET-KEY-1'.length));
      await applyPlan(plan);
      expect(readFileSync(file, 'utf8')).toBe(keyFile);
    }
    // A new repo needs the owner's key itself: there the damaged file still stops the plan.
    const damaged = machine();
    const file = join(damaged.places.home, '.config/sops/age/keys.txt');
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, 'not a key\n', { mode: 0o600 });
    const facts = pcFacts('fresh');
    await expect(
      computePlan({
        journey: 'init',
        repo: join(tempDir(), 'config'),
        facts,
        answers: answersFor(facts, { secrets: true }),
        secrets: damaged,
      }),
    ).rejects.toMatchObject({ error: { code: 'SECRETS_KEY_INVALID' } });
  });

  it('keeps the owner’s own edits to .sops.yaml', async () => {
    const config = join(repo, '.sops.yaml');
    writeFileSync(config, `${readFileSync(config, 'utf8')}# my note, keep me\n`);
    gitCli(repo, 'commit', '-qam', 'a note');
    const cloud = hostWithSshKey('cloud');
    const plan = await computePlan({
      journey: 'add-host',
      repo,
      facts: cloud.facts,
      answers: answersFor(cloud.facts, { secrets: true }),
      secrets: owner,
    });
    const edited = fileOf(plan, '.sops.yaml')!;
    expect(edited.action).toBe('update');
    expect(edited.content).toContain('# my note, keep me\n');
    expect(
      edited.diff.split('\n').filter((l) => l.startsWith('-') && !l.startsWith('---')),
    ).toEqual([]);
  });
});

describe('a repo set up without secrets', async () => {
  const { owner, repo } = await atlasWithSecrets({ secrets: false });

  it('setting a secret says there is no .sops.yaml, and how to get one', async () => {
    await expect(
      setSecret(repo, { common: true }, 'wifi', 'hunter2', owner.places),
    ).rejects.toMatchObject({
      error: {
        code: 'SECRETS_CONFIG_UNCLEAR',
        message: `${repo} has no .sops.yaml: it was set up without secrets, so nobody is named to read secrets/common.yaml, and nothing was written.`,
        hint: expect.stringContaining('"secrets": true in the answers'),
      },
    });
    expect(gitCli(repo, 'status', '--porcelain')).toBe('');
  });
});

describe('a machine coming back to its host with secrets off', async () => {
  const { owner, atlas, repo, answers } = await atlasWithSecrets({
    secrets: true,
    passwordHash: HASH,
  });
  await addMachine(repo, hostWithSshKey('box').facts, owner, { passwordHash: HASH });
  await setSecret(repo, { host: 'atlas' }, 'token', 's3cret', owner.places);

  it('keeps the host’s encrypted file and its values, and says the host no longer reads it', async () => {
    const plan = await computePlan({
      journey: 'add-host',
      repo,
      facts: atlas.facts,
      answers: { ...answers, secrets: false },
      secrets: owner,
    });
    expect(updatesExistingHost(plan)).toBe(true);
    expect(plan.warnings).toContain(
      'hosts/nixos/atlas/secrets.yaml stays as it is, with its values, but with secrets off host atlas no longer reads it: turn secrets on again to use them.',
    );
    expect(fileOf(plan, 'hosts/nixos/atlas/secrets.yaml')).toBeUndefined();
    await applyPlan(plan);
    expect(gitCli(repo, 'log', '-1', '--format=%s').trim()).toBe('nixstrap: update atlas');
    expect(await valuesOf(repo, 'hosts/nixos/atlas/secrets.yaml', atlas.identity)).toEqual({
      'alice-password': HASH,
      token: 's3cret',
    });
  });
});

describe('a machine known by the host key its secrets are encrypted for', async () => {
  const { owner, repo } = await atlasWithSecrets({ secrets: true });
  // A WSL machine has no hardware file; this one has no SSH host key either, so its key is the
  // age key Nixstrap made for it in this data dir.
  const wsl = wslFacts('winbox');
  await addMachine(repo, wsl, owner);
  const box = hostWithSshKey('box');
  await addMachine(repo, box.facts, owner);
  const inUtc = (facts: Facts, secrets: SecretsSetup) =>
    computePlan({
      journey: 'add-host',
      repo,
      facts,
      answers: answersFor(facts, { secrets: true, timeZone: 'UTC' }),
      secrets,
    });

  it('updates a WSL host from the machine whose key it has, and refuses it from another', async () => {
    // Another Windows PC calling itself winbox, set up from another data dir: another key.
    await expect(inUtc(wsl, machine())).rejects.toMatchObject({
      error: {
        code: 'HOST_EXISTS',
        hint: "A host like this machine's (WSL, a Mac) has no hardware-configuration.nix to tell machines apart by, and its secrets are not encrypted for this machine's host key, so Nixstrap cannot know that host winbox is this machine: choose another host name, or edit hosts/nixos/winbox/ by hand.",
      },
    });
    const plan = await inUtc(wsl, owner);
    expect(updatesExistingHost(plan)).toBe(true);
    expect(plan.files.filter((f) => f.action !== 'unchanged').map((f) => f.path)).toEqual([
      '.nixstrap/manifest.json',
      'hosts/nixos/winbox/default.nix',
    ]);
    await applyPlan(plan);
    expect(gitCli(repo, 'log', '-1', '--format=%s').trim()).toBe('nixstrap: update winbox');
  });

  it('does not say whose key a secrets file it cannot read is for', async () => {
    // The host's file now splits its data key across key groups, which Nixstrap does not read:
    // it may well be this machine's, so the refusal says nothing about its key.
    const file = join(repo, 'hosts/nixos/winbox/secrets.yaml');
    const before = readFileSync(file, 'utf8');
    const doc = parseDocument(before);
    doc.setIn(['sops', 'key_groups'], [{ age: doc.getIn(['sops', 'age']) }]);
    writeFileSync(file, doc.toString());
    try {
      const inTokyo = answersFor(wsl, { secrets: true, timeZone: 'Asia/Tokyo' });
      const plan = computePlan({
        journey: 'add-host',
        repo,
        facts: wsl,
        answers: inTokyo,
        secrets: machine(),
      });
      await expect(plan).rejects.toMatchObject({
        error: {
          code: 'HOST_EXISTS',
          hint: "A host like this machine's (WSL, a Mac) has no hardware-configuration.nix to tell machines apart by, so Nixstrap cannot know that host winbox is this machine: choose another host name, or edit hosts/nixos/winbox/ by hand.",
        },
      });
    } finally {
      writeFileSync(file, before);
    }
  });

  it('updates a host whose hardware changed when the SSH host key is the same', async () => {
    const changed: Facts = {
      ...box.facts,
      fileSystems: {
        ...box.facts.fileSystems,
        '/data': { device: '/dev/disk/by-uuid/0000aaaa-0000', fsType: 'ext4', options: [] },
      },
    };
    const plan = await inUtc(changed, machine());
    expect(updatesExistingHost(plan)).toBe(true);
    const hardware = fileOf(plan, 'hosts/nixos/box/hardware-configuration.nix')!;
    expect(hardware.action).toBe('update');
    expect(hardware.diff).toContain('+  fileSystems."/data" =');
    // The same hardware with another SSH host key is another machine called box.
    const other = { ...changed, sshHostKey: hostWithSshKey('box').facts.sshHostKey };
    await expect(inUtc(other, machine())).rejects.toMatchObject({
      error: {
        code: 'HOST_EXISTS',
        hint: "Its hardware differs from this machine's, and its secrets are not encrypted for this machine's host key, so it is another machine of that name (or this one, changed): choose another host name, or edit hosts/nixos/box/ by hand.",
      },
    });
  });
});

describe('bad secrets files stop a plan, and nothing is written', async () => {
  const owner = machine();
  const atlas = hostWithSshKey('atlas');
  const answers = answersFor(atlas.facts, { secrets: true });

  async function repoWith(path: string, edit: (text: string) => string) {
    const repo = join(tempDir(), 'config');
    await applyPlan(
      await computePlan({ journey: 'init', repo, facts: atlas.facts, answers, secrets: owner }),
    );
    writeFileSync(join(repo, path), edit(readFileSync(join(repo, path), 'utf8')));
    gitCli(repo, 'commit', '-qam', 'hand edit');
    return repo;
  }

  it.each([
    ['.sops.yaml', 'SECRETS_CONFIG_INVALID', (t: string) => `${t}creation_rules: [\n`],
    [
      'secrets/common.yaml',
      'SECRETS_MAC_MISMATCH',
      (t: string) => t.replace(/mac: ENC\[/, 'mac: ENC[x'),
    ],
  ])('%s damaged: the plan fails with %s', async (path, code, edit) => {
    const repo = await repoWith(path, edit);
    const head = gitCli(repo, 'rev-parse', 'HEAD');
    const pi = pcFacts('pi');
    const error = await computePlan({
      journey: 'add-host',
      repo,
      facts: pi,
      answers: answersFor(pi, { secrets: true }),
      secrets: owner,
    }).catch((e: unknown) => e);
    expect((error as { error: { code: string } }).error.code).toBe(code);
    expect(gitCli(repo, 'rev-parse', 'HEAD')).toBe(head);
    expect(gitCli(repo, 'status', '--porcelain')).toBe('');
  });
});

describe('rotate', async () => {
  const { owner, atlas, repo } = await atlasWithSecrets({
    secrets: true,
    passwordHash: HASH,
  });
  await setSecret(repo, { common: true }, 'wifi', 'hunter2', owner.places);

  it('changes every data key and keeps every value, in one commit', async () => {
    const files = ['hosts/nixos/atlas/secrets.yaml', 'secrets/common.yaml'];
    const keyOf = async (file: string) =>
      Buffer.from(
        (await openSops(readFileSync(join(repo, file), 'utf8'), [atlas.identity], file)).dataKey,
      ).toString('hex');
    const before = await Promise.all(files.map(keyOf));
    const values = await Promise.all(files.map((f) => valuesOf(repo, f, atlas.identity)));
    const result = await rotateSecrets(repo, owner.places);
    expect(result.files).toEqual(files);
    const after = await Promise.all(files.map(keyOf));
    for (const [i, key] of after.entries()) expect(key).not.toBe(before[i]);
    expect(await Promise.all(files.map((f) => valuesOf(repo, f, atlas.identity)))).toEqual(values);
    expect(gitCli(repo, 'log', '-1', '--format=%H').trim()).toBe(result.commit);
    expect(gitCli(repo, 'status', '--porcelain')).toBe('');
  });

  it('without a key that opens every file, rewrites none', async () => {
    const stranger = machine();
    const before = readFileSync(join(repo, 'secrets/common.yaml'), 'utf8');
    const error = await rotateSecrets(repo, stranger.places).catch((e: unknown) => e);
    expect((error as { error: { code: string } }).error.code).toBe('SECRETS_NO_KEY');
    expect(readFileSync(join(repo, 'secrets/common.yaml'), 'utf8')).toBe(before);
  });
});
