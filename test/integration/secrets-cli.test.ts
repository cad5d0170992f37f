import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawn } from 'node-pty';
import { decryptSops } from 'sops-age';
import { describe, expect, it } from 'vitest';
import { openSops, sopsPlainValues } from '../../main/core/secrets';
import { identitiesIn } from '../../main/core/secrets/age-keys';
import { hetznerCx22 } from '../unit/detect/machines/vms';
import { type CliRun, nixstrap, repoRoot, tempDir } from './helpers/cli';
import { gitCli } from './helpers/repo-trees';

const HASH = execFileSync('mkpasswd', ['-m', 'yescrypt', 'my login password'], {
  encoding: 'utf8',
}).trim();
const WIFI = 'wifi-passphrase-0f3a9c';
const TOKEN = 'api-token-77d1e2b5';

/** Every file under `dir` with its text, except those under `skip`. */
function filesUnder(dir: string, skip: string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(dir)) return out;
  const walk = (abs: string) => {
    for (const name of readdirSync(abs)) {
      const path = join(abs, name);
      if (skip.some((s) => path.startsWith(s))) continue;
      if (statSync(path).isDirectory()) walk(path);
      else out[relative(dir, path)] = readFileSync(path, 'latin1');
    }
  };
  walk(dir);
  return out;
}

/** The Hetzner machine and the workstation answers (with a password hash), written into `home`. */
function machineAndAnswers(home: string): { fixture: string; answersFile: string } {
  const fixture = join(home, 'machine');
  hetznerCx22().write(fixture);
  const answersFile = join(home, 'answers.json');
  const workstation = JSON.parse(
    readFileSync(join(repoRoot, 'test/fixtures/answers/workstation.json'), 'utf8'),
  );
  writeFileSync(answersFile, JSON.stringify({ ...workstation, passwordHash: HASH }));
  return { fixture, answersFile };
}

describe('nixstrap secrets, as a script or a person uses it', () => {
  const home = tempDir('secrets-cli');
  const keyFile = join(home, 'keys.txt');
  const dataDir = join(home, 'data');
  const env = { SOPS_AGE_KEY_FILE: keyFile, NIXSTRAP_DATA_DIR: dataDir };
  const repo = join(home, 'config');
  const { fixture, answersFile } = machineAndAnswers(home);
  const runs: CliRun[] = [];
  const run = (args: string[], input?: string | Buffer) => {
    const result = nixstrap(args, { env, ...(input === undefined ? {} : { input }) });
    runs.push(result);
    return result;
  };
  const ownerKey = () => identitiesIn(readFileSync(keyFile, 'utf8'))[0]!;
  const values = async (file: string) =>
    sopsPlainValues(await openSops(readFileSync(join(repo, file), 'utf8'), [ownerKey()], file));

  it('init makes the owner key, says where it is, and shows the secrets file without its value', () => {
    const plan = run(['plan', '--repo', repo, '--answers', answersFile, '--fixture', fixture]);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toMatch(
      /create {4}hosts\/nixos\/atlas\/secrets\.yaml {2}\(encrypted, 1 value, readable by owner, host_atlas\)/,
    );
    expect(plan.stdout).toContain(`Your age key was created at ${keyFile}: back it up`);
    const init = run(['init', '--repo', repo, '--answers', answersFile, '--fixture', fixture]);
    expect(init.code).toBe(0);
    expect(init.stdout).toContain('wrote hosts/nixos/atlas/secrets.yaml');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
  });

  it('set reads the value from standard input, encrypts it for the file’s readers and commits', async () => {
    const common = run(['secrets', 'set', 'wifi', '--common', '--repo', repo], `${WIFI}\n`);
    expect(common).toMatchObject({ code: 0, stderr: '' });
    expect(common.stdout).toContain(
      'Created secrets/common.yaml with wifi'.replace('Created', 'Updated'),
    );
    expect(common.stdout).toContain('sops.secrets."wifi".sopsFile = ../../../secrets/common.yaml;');
    const host = run(['secrets', 'set', 'api-token', '--host', 'atlas', '--repo', repo], TOKEN);
    expect(host.code).toBe(0);
    expect(host.stdout).toContain('sops.secrets."api-token" = { };');
    expect(await values('secrets/common.yaml')).toEqual({ wifi: WIFI });
    expect(await values('hosts/nixos/atlas/secrets.yaml')).toEqual({
      'alice-password': HASH,
      'api-token': TOKEN,
    });
    expect(gitCli(repo, 'log', '-1', '--format=%s').trim()).toBe(
      'nixstrap: set secret api-token in hosts/nixos/atlas/secrets.yaml',
    );
    expect(gitCli(repo, 'status', '--porcelain')).toBe('');
  });

  it('in a terminal, set asks for the value twice without showing it', async () => {
    const typed = 'typed-at-the-prompt-9c2e';
    const term = spawn(
      process.execPath,
      ['bin/nixstrap.js', 'secrets', 'set', 'typed', '--host', 'atlas', '--repo', repo],
      { cwd: repoRoot, env: { ...process.env, ...env } as Record<string, string>, cols: 120 },
    );
    let screen = '';
    const exited = new Promise<number>((resolve) =>
      term.onExit(({ exitCode }) => resolve(exitCode)),
    );
    term.onData((data) => {
      screen += data;
      if (screen.endsWith('(not shown): ')) term.write(`${typed}\r`);
      if (screen.endsWith('Again, to be sure: ')) term.write(`${typed}\r`);
    });
    expect(await exited).toBe(0);
    runs.push({ code: 0, stdout: screen, stderr: '' });
    expect(screen).toContain('with typed (encrypted)');
    expect(screen).not.toContain(typed);
    expect(await values('hosts/nixos/atlas/secrets.yaml')).toMatchObject({ typed });
  });

  it('list and recipients name secrets and readers, never values', () => {
    const list = run(['secrets', 'list', '--repo', repo, '--json']);
    expect(list.code).toBe(0);
    const report = JSON.parse(list.stdout);
    expect(report.files.map((f: { path: string; names: string[] }) => [f.path, f.names])).toEqual([
      ['hosts/nixos/atlas/secrets.yaml', ['alice-password', 'api-token', 'typed']],
      ['secrets/common.yaml', ['wifi']],
    ]);
    const readers = run(['secrets', 'recipients', '--repo', repo]);
    expect(readers.stdout).toMatch(
      /hosts\/nixos\/atlas\/secrets\.yaml\n {2}owner \(age1\S+\)\n {2}host_atlas \(age1\S+\)/,
    );
  });

  it('rotate gives every file a new data key and keeps the values', async () => {
    const before = readFileSync(join(repo, 'secrets/common.yaml'), 'utf8');
    const rotated = run(['secrets', 'rotate', '--repo', repo]);
    expect(rotated.code).toBe(0);
    expect(rotated.stdout).toContain('new data key for secrets/common.yaml');
    expect(readFileSync(join(repo, 'secrets/common.yaml'), 'utf8')).not.toBe(before);
    expect(await values('secrets/common.yaml')).toEqual({ wifi: WIFI });
  });

  it('set keeps a value with NUL bytes whole: sops holds it as text and sops-nix writes it back', async () => {
    // sops writes the decrypted value as the YAML string "a\0b", which sops-nix reads back byte for byte.
    const set = run(['secrets', 'set', 'nul-token', '--common', '--repo', repo], 'a\0b');
    expect(set).toMatchObject({ code: 0, stderr: '' });
    expect((await values('secrets/common.yaml'))['nul-token']).toBe('a\u0000b');
  });

  it('remove takes one secret out, keeps the rest readable, commits, and names the files still using it', async () => {
    const uses = join(repo, 'hosts/nixos/atlas/uses.nix');
    writeFileSync(uses, '{ config, ... }: { x = config.sops.secrets."nul-token".path; }\n');
    const removed = run(['secrets', 'remove', 'nul-token', '--common', '--repo', repo]);
    expect(removed).toMatchObject({ code: 0, stderr: '' });
    expect(removed.stdout).toContain('Removed nul-token from secrets/common.yaml and committed');
    expect(removed.stdout).toContain('Still named in hosts/nixos/atlas/uses.nix');
    const text = readFileSync(join(repo, 'secrets/common.yaml'), 'utf8');
    // Read by an implementation other than Nixstrap's, which checks the MAC over what is left.
    const identity = readFileSync(keyFile, 'utf8').match(/AGE-SECRET-KEY-1\S+/)![0];
    expect(await decryptSops(text, { secretKey: identity, fileType: 'yaml' })).toEqual({
      wifi: WIFI,
    });
    expect(gitCli(repo, 'log', '-1', '--format=%s').trim()).toBe(
      'nixstrap: remove secret nul-token from secrets/common.yaml',
    );
    rmSync(uses);
    expect(gitCli(repo, 'status', '--porcelain')).toBe('');

    const head = gitCli(repo, 'rev-parse', 'HEAD');
    const again = run(['secrets', 'remove', 'nul-token', '--common', '--repo', repo]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(
      'secrets/common.yaml holds no secret called nul-token, so nothing was removed.',
    );
    expect(run(['secrets', 'remove', 'wifi', '--repo', repo]).code).toBe(2);
    expect(gitCli(repo, 'rev-parse', 'HEAD')).toBe(head);
  });

  it('set refuses a value that is not UTF-8 text, which sops-nix cannot write, and writes nothing', () => {
    const head = gitCli(repo, 'rev-parse', 'HEAD');
    const set = run(
      ['secrets', 'set', 'blob', '--common', '--repo', repo],
      Buffer.from([0x61, 0xff, 0xfe, 0x62]),
    );
    expect(set.code).toBe(2);
    expect(set.stderr).toMatch(
      /^nixstrap: Standard input is not UTF-8 text.*\n {2}hint: .*base64.*\n$/,
    );
    expect(gitCli(repo, 'rev-parse', 'HEAD')).toBe(head);
  });

  it('bad input gets one sentence and a non-zero exit, and writes nothing', () => {
    const head = gitCli(repo, 'rev-parse', 'HEAD');
    const cases: [string[], string | undefined, number, RegExp][] = [
      [
        ['secrets', 'set', 'x', '--host', 'nosuch', '--repo', repo],
        'v',
        1,
        /no host called nosuch/,
      ],
      [
        ['secrets', 'set', 'x', '--host', 'atlas', '--common', '--repo', repo],
        'v',
        2,
        /exactly one of --host NAME and --common/,
      ],
      [
        ['secrets', 'set', 'x', '--common', '--repo', repo],
        '',
        2,
        /No value for x arrived on standard input/,
      ],
      [
        ['secrets', 'set', 'wifi', 'typed-as-argument', '--common', '--repo', repo],
        'v',
        2,
        /takes at most 2 word/,
      ],
      [
        ['secrets', 'set', 'a/b', '--common', '--repo', repo],
        'v',
        2,
        /^nixstrap: The secret name "a\/b" must be letters, digits/,
      ],
      // Each refusal names the rule the name breaks: ".env" holds only allowed characters.
      [
        ['secrets', 'set', '.env', '--common', '--repo', repo],
        'v',
        2,
        /"\.env" must start with a letter, a digit or "_"\./,
      ],
      [
        ['secrets', 'set', 'a'.repeat(129), '--common', '--repo', repo],
        'v',
        2,
        /"a{129}" must be at most 128 characters\./,
      ],
      // The name is refused before any value is read: an empty input does not hide it.
      [['secrets', 'set', 'bad name', '--common', '--repo', repo], '', 2, /"bad name" must be/],
      [['secrets', 'frobnicate', '--repo', repo], undefined, 2, /has no "frobnicate"/],
    ];
    for (const [args, input, code, message] of cases) {
      const result = run(args, input);
      expect(result.code, args.join(' ')).toBe(code);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).toMatch(/^nixstrap: .*\n {2}hint: .+\n$/);
      expect(result.stderr).not.toContain('typed-as-argument');
    }
    expect(gitCli(repo, 'rev-parse', 'HEAD')).toBe(head);
  });

  it('a damaged secrets file is named, and left as it is', () => {
    const file = join(repo, 'secrets/common.yaml');
    const damaged = readFileSync(file, 'utf8').replace(/mac: ENC\[/, 'mac: ENC[x');
    writeFileSync(file, damaged);
    const set = run(['secrets', 'set', 'other', '--common', '--repo', repo], 'v');
    expect(set.code).toBe(1);
    expect(set.stderr).toContain('secrets/common.yaml was changed outside sops');
    expect(readFileSync(file, 'utf8')).toBe(damaged);
    gitCli(repo, 'checkout', '--', 'secrets/common.yaml');
  });

  it('a damaged key file: list and recipients still answer and say so; set and rotate name it', () => {
    const damaged = join(home, 'damaged-keys.txt');
    writeFileSync(damaged, 'not a key\n', { mode: 0o600 });
    const withDamaged = (args: string[], input?: string) =>
      nixstrap(args, {
        env: { ...env, SOPS_AGE_KEY_FILE: damaged },
        ...(input === undefined ? {} : { input }),
      });
    const said = `${damaged} holds no age key (a line starting AGE-SECRET-KEY-1), so Nixstrap cannot use it and left it as it is.`;
    const list = withDamaged(['secrets', 'list', '--repo', repo, '--json']);
    expect(list.stderr).toBe('');
    expect(JSON.parse(list.stdout).owner).toEqual({
      path: damaged,
      recipient: null,
      problem: said,
    });
    const readers = withDamaged(['secrets', 'recipients', '--repo', repo]);
    expect(readers.code).toBe(0);
    expect(readers.stdout).toMatch(/^Your age key cannot be used: .* holds no age key/);
    expect(readers.stdout).toMatch(/secrets\/common\.yaml\n {2}owner \(age1\S+\)/);
    const before = gitCli(repo, 'rev-parse', 'HEAD');
    for (const args of [
      ['secrets', 'set', 'other', '--common', '--repo', repo],
      ['secrets', 'rotate', '--repo', repo],
    ]) {
      const refused = withDamaged(args, 'v');
      expect(refused.code).toBe(1);
      expect(refused.stderr).toBe(
        `nixstrap: ${said}\n  hint: Fix or move that file, or point SOPS_AGE_KEY_FILE at the file that holds your key.\n`,
      );
    }
    expect(gitCli(repo, 'rev-parse', 'HEAD')).toBe(before);
  });

  it('leaves no secret value and no private key anywhere it must not be', () => {
    const secrets = [HASH, WIFI, TOKEN, ownerKey()];
    const places: Record<string, string> = {
      ...filesUnder(repo, [join(repo, '.git')]),
      'git history': gitCli(repo, 'log', '-p', '--all'),
      ...filesUnder(dataDir),
      'output of every run': runs.map((r) => `${r.stdout}\n${r.stderr}`).join('\n'),
    };
    expect(Object.keys(places).length).toBeGreaterThan(10);
    for (const [where, text] of Object.entries(places)) {
      for (const secret of secrets) expect(text.includes(secret), `${where}`).toBe(false);
    }
  });
});

describe('a repo’s first secrets tell the owner to back up the key they are encrypted for', () => {
  const home = tempDir('secrets-backup');
  const keyFile = join(home, 'keys.txt');
  const env = { SOPS_AGE_KEY_FILE: keyFile, NIXSTRAP_DATA_DIR: join(home, 'data') };
  const { fixture, answersFile } = machineAndAnswers(home);

  it('init alone, which makes the key and writes at once, says so after the write', () => {
    const repo = join(home, 'config');
    const init = nixstrap(
      ['init', '--repo', repo, '--answers', answersFile, '--fixture', fixture],
      { env },
    );
    expect(init.code).toBe(0);
    expect(existsSync(keyFile)).toBe(true);
    expect(init.stdout).toContain(`Back up your age key, ${keyFile}, if you have not yet`);
  });
});
