import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturesDir, nixstrap, repoRoot, tempDir } from './helpers/cli';

const answersDir = path.join(repoRoot, 'test/fixtures/answers');
const workstation = path.join(answersDir, 'workstation.json');
const pi = path.join(answersDir, 'pi.json');
const qemu = path.join(fixturesDir, 'qemu-kvm-uefi');
const raspberry = path.join(fixturesDir, 'raspberry-pi-4');

function git(repo: string, ...args: string[]): string {
  return execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8' });
}

function commitCount(repo: string): number {
  return Number(git(repo, 'rev-list', '--count', 'HEAD').trim());
}

/** The workstation's answers with another time zone, in a file of their own. */
function workstationInParis(): string {
  const file = path.join(tempDir('answers'), 'answers.json');
  const answers = JSON.parse(fs.readFileSync(workstation, 'utf8'));
  fs.writeFileSync(file, JSON.stringify({ ...answers, timeZone: 'Europe/Paris' }));
  return file;
}

describe('first-time bootstrap with nixstrap init', () => {
  it('hosts lists a host beyond a folder linked out of the repo, and says on stderr it cannot build', () => {
    const repo = path.join(tempDir('linked'), 'config');
    expect(
      nixstrap(['init', '--repo', repo, '--answers', workstation, '--fixture', qemu]).code,
    ).toBe(0);
    const elsewhere = path.join(tempDir('elsewhere'), 'hosts');
    fs.renameSync(path.join(repo, 'hosts'), elsewhere);
    fs.symlinkSync(elsewhere, path.join(repo, 'hosts'));
    const listed = nixstrap(['hosts', '--repo', repo, '--json']);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ name: 'atlas' })]);
    expect(listed.stderr).toBe(
      `nixstrap: Host atlas lies beyond hosts, a link to ${elsewhere} outside the repo: Nix builds from a copy of the repo, where that link leads nowhere, so it does not build. Move the folder itself into the repo.\n`,
    );
  });

  it('hosts lists a host whose folder name no flake address carries, and says on stderr why it cannot build', () => {
    const repo = path.join(tempDir('odd-name'), 'config');
    expect(
      nixstrap(['init', '--repo', repo, '--answers', workstation, '--fixture', qemu]).code,
    ).toBe(0);
    fs.cpSync(path.join(repo, 'hosts/nixos/atlas'), path.join(repo, 'hosts/nixos/demo#x'), {
      recursive: true,
    });
    git(repo, 'add', '.');
    const listed = nixstrap(['hosts', '--repo', repo, '--json']);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout).map((host: { name: string }) => host.name)).toEqual([
      'atlas',
      'demo#x',
    ]);
    expect(listed.stderr).toBe(
      `nixstrap: Host "demo#x" cannot be built: a host name may hold only letters, digits, '-' and '_' (NixOS's networking.hostName rule); "demo#x" has '#'. Rename its folder (and its networking.hostName) to such a name.\n`,
    );
  });

  it('previews with plan and writes nothing', () => {
    const repo = path.join(tempDir('plan'), 'config');
    const run = nixstrap(['plan', '--repo', repo, '--answers', workstation, '--fixture', qemu]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/create\s+flake\.nix/);
    expect(run.stdout).toMatch(/create\s+hosts\/nixos\/atlas\/hardware-configuration\.nix/);
    // The age keys a new repo needs are made at plan time, and the plan says so: only the repo is untouched.
    expect(run.stdout).toContain('Nothing was written to the repo.');
    expect(fs.existsSync(repo)).toBe(false);
  });

  it('creates a committed repo whose hosts and files check clean, and a second run is a no-op', () => {
    const repo = path.join(tempDir('init'), 'config');
    const first = nixstrap([
      'init',
      '--repo',
      repo,
      '--answers',
      workstation,
      '--fixture',
      qemu,
      '--json',
    ]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const result = JSON.parse(first.stdout);
    expect(result.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(git(repo, 'status', '--porcelain')).toBe('');
    expect(git(repo, 'ls-files')).toContain('hosts/nixos/atlas/default.nix');
    expect(commitCount(repo)).toBe(1);

    const hosts = JSON.parse(nixstrap(['hosts', '--repo', repo, '--json']).stdout);
    expect(hosts).toEqual([
      expect.objectContaining({ name: 'atlas', kind: 'nixos', system: 'x86_64-linux' }),
    ]);

    const check = nixstrap(['check', '--repo', repo]);
    expect(check.stderr).toBe('');
    expect(check.code).toBe(0);
    // A Nix that cannot start (here: a state folder it cannot make) is one sentence, not a
    // syntax error in every file.
    const stuck = nixstrap(['check', '--repo', repo], { env: { NIX_STATE_DIR: '/proc/nope' } });
    expect(stuck.code).toBe(1);
    expect(stuck.stdout).toBe('');
    expect(stuck.stderr).toMatch(
      /^nixstrap: Nix cannot parse the \.nix files here: it cannot start: creating directory '\/proc\/nope'/,
    );

    const second = nixstrap(['init', '--repo', repo, '--answers', workstation, '--fixture', qemu]);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/Nothing to do/);
    expect(commitCount(repo)).toBe(1);
  });

  it('protects a hand-edited file until --force', () => {
    const repo = path.join(tempDir('edit'), 'config');
    expect(
      nixstrap(['init', '--repo', repo, '--answers', workstation, '--fixture', qemu]).code,
    ).toBe(0);
    const hostFile = path.join(repo, 'hosts/nixos/atlas/default.nix');
    const edited = `${fs.readFileSync(hostFile, 'utf8')}# my own note\n`;
    fs.writeFileSync(hostFile, edited);

    const changedAnswers = workstationInParis();

    const plan = nixstrap(['plan', '--repo', repo, '--answers', changedAnswers, '--fixture', qemu]);
    expect(plan.stdout).toMatch(/^Plan for init of host atlas /);
    expect(plan.stdout).toMatch(/conflict\s+hosts\/nixos\/atlas\/default\.nix/);

    const refused = nixstrap([
      'init',
      '--repo',
      repo,
      '--answers',
      changedAnswers,
      '--fixture',
      qemu,
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('hosts/nixos/atlas/default.nix');
    expect(refused.stderr).toMatch(/--force/);
    expect(fs.readFileSync(hostFile, 'utf8')).toBe(edited);

    const forced = nixstrap([
      'init',
      '--repo',
      repo,
      '--answers',
      changedAnswers,
      '--fixture',
      qemu,
      '--force',
    ]);
    expect(forced.code).toBe(0);
    expect(fs.readFileSync(hostFile, 'utf8')).toContain('Europe/Paris');
    expect(git(repo, 'status', '--porcelain')).toBe('');
  });

  it('refuses invalid answers by naming the field, and writes nothing', () => {
    const dir = tempDir('bad-answers');
    const answers = path.join(dir, 'answers.json');
    fs.writeFileSync(
      answers,
      JSON.stringify({ ...JSON.parse(fs.readFileSync(workstation, 'utf8')), hostName: 'my host!' }),
    );
    const repo = path.join(dir, 'config');
    const run = nixstrap(['init', '--repo', repo, '--answers', answers, '--fixture', qemu]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^nixstrap: .*hostName/);
    expect(fs.existsSync(repo)).toBe(false);
  });

  /** `plan` of this machine with an answers file, into a repo that is not there. */
  const planWith = (answers: string) =>
    nixstrap(['plan', '--repo', '/tmp/nowhere', '--answers', answers, '--fixture', qemu]);

  it('refuses an answers file that is not JSON, in one line and a hint', () => {
    const answers = path.join(tempDir('garbage'), 'answers.json');
    // JSON.parse quotes the start of such a file, its line breaks included.
    fs.writeFileSync(answers, 'hostName\n= atlas\n');
    const run = planWith(answers);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^nixstrap: The answers file .* is not valid JSON[^\n]*\n {2}hint: [^\n]+\n$/,
    );
  });

  it('exits 1 for an answers file it cannot use in every verb that reads one, and 2 only for a wrong command line', () => {
    // The command line is right and the file's contents are wrong: a data error, as a bad
    // fixture is, with the same code the app reports for the same answers.
    const dir = tempDir('answers-exit');
    const files = {
      missing: path.join(dir, 'missing.json'),
      folder: dir,
      garbage: path.join(dir, 'garbage.json'),
      unknownField: path.join(dir, 'unknown.json'),
    };
    fs.writeFileSync(files.garbage, '{ hostName: atlas');
    fs.writeFileSync(
      files.unknownField,
      JSON.stringify({ ...JSON.parse(fs.readFileSync(workstation, 'utf8')), shoeSize: 42 }),
    );
    const repo = path.join(dir, 'config');
    for (const verb of ['plan', 'init', 'add-host']) {
      for (const [kind, file] of Object.entries(files)) {
        const run = nixstrap([verb, '--repo', repo, '--answers', file, '--fixture', qemu]);
        expect(run.code, `${verb} with a ${kind} answers file`).toBe(1);
        expect(run.stderr).toMatch(/^nixstrap: The answers .*\n {2}hint: .+\n$/);
      }
      const usage = nixstrap([verb, '--repo', repo, '--fixture', qemu]);
      expect(usage.code, `${verb} without --answers`).toBe(2);
    }
    expect(fs.existsSync(repo)).toBe(false);
  });

  it('tells what detection could not read, since the files are written from it', () => {
    const fixture = path.join(tempDir('no-mounts'), 'machine');
    fs.cpSync(qemu, fixture, { recursive: true, verbatimSymlinks: true });
    fs.rmSync(path.join(fixture, 'root/proc/self/mountinfo'));
    const args = ['--answers', workstation, '--fixture', fixture];
    const repo = path.join(tempDir('no-mounts-repo'), 'config');
    const plan = nixstrap(['plan', '--repo', repo, ...args]);
    expect(plan.stdout).toContain('Warning: Could not read /proc/self/mountinfo');
    const init = nixstrap(['init', '--repo', repo, ...args]);
    expect(init.code).toBe(0);
    expect(init.stdout).toContain('Could not read /proc/self/mountinfo');
  });

  it('reads an answers file saved with a byte order mark, as Notepad saves UTF-8', () => {
    const answers = path.join(tempDir('bom'), 'answers.json');
    fs.writeFileSync(answers, `\uFEFF${fs.readFileSync(workstation, 'utf8')}`);
    const run = planWith(answers);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^Plan for init of host atlas /);
  });
});

describe('adding this machine to an existing repo with nixstrap add-host', () => {
  it('adds a Raspberry Pi next to a VM without touching the VM’s files', () => {
    const repo = path.join(tempDir('add-host'), 'config');
    expect(
      nixstrap(['init', '--repo', repo, '--answers', workstation, '--fixture', qemu]).code,
    ).toBe(0);
    const atlasBefore = fs.readFileSync(path.join(repo, 'hosts/nixos/atlas/default.nix'), 'utf8');

    const preview = nixstrap(['plan', '--repo', repo, '--answers', pi, '--fixture', raspberry]);
    expect(preview.stdout).toMatch(/^Plan for add-host of host garden-pi /);
    expect(preview.stdout).toMatch(/create\s+hosts\/nixos\/garden-pi\/default\.nix/);

    const run = nixstrap(['add-host', '--repo', repo, '--answers', pi, '--fixture', raspberry]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(fs.readFileSync(path.join(repo, 'hosts/nixos/atlas/default.nix'), 'utf8')).toBe(
      atlasBefore,
    );
    expect(fs.readFileSync(path.join(repo, 'flake.nix'), 'utf8')).toContain('nixos-hardware');

    const hosts = JSON.parse(nixstrap(['hosts', '--repo', repo, '--json']).stdout);
    expect(hosts.map((h: { name: string }) => h.name).sort()).toEqual(['atlas', 'garden-pi']);
    expect(nixstrap(['check', '--repo', repo]).code).toBe(0);
    expect(commitCount(repo)).toBe(2);
    expect(git(repo, 'status', '--porcelain')).toBe('');

    // The VM comes back to its host with another time zone: an update, said as one.
    const paris = workstationInParis();
    const again = nixstrap(['plan', '--repo', repo, '--answers', paris, '--fixture', qemu]);
    expect(again.stdout).toContain(
      'Host atlas is already in hosts/nixos/atlas: this plan updates it.',
    );
    expect(again.stdout).not.toMatch(/^Warning: Host atlas is already/m);
    const back = nixstrap(['add-host', '--repo', repo, '--answers', paris, '--fixture', qemu]);
    expect(back.code).toBe(0);
    expect(back.stdout).toMatch(/^Updated host atlas, already in hosts\/nixos\/atlas:\n {2}wrote /);
    expect(git(repo, 'log', '-1', '--format=%s').trim()).toBe('nixstrap: update atlas');
  });

  it('refuses a folder that is not a git repository, leaving it as it was, in CLI words', () => {
    const folder = tempDir('not-a-repo');
    fs.writeFileSync(path.join(folder, 'notes.txt'), 'mine\n');
    const run = nixstrap(['add-host', '--repo', folder, '--answers', pi, '--fixture', raspberry]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^nixstrap: .* is not a git repository/);
    expect(run.stderr).toContain('run `nixstrap init`');
    expect(fs.readdirSync(folder)).toEqual(['notes.txt']);
  });

  it('says a copy of a repo without its .git is not a git repository, and how to make it one', () => {
    const repo = path.join(tempDir('copied'), 'config');
    expect(
      nixstrap(['init', '--repo', repo, '--answers', workstation, '--fixture', qemu]).code,
    ).toBe(0);
    fs.rmSync(path.join(repo, '.git'), { recursive: true });
    const run = nixstrap(['add-host', '--repo', repo, '--answers', pi, '--fixture', raspberry]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `nixstrap: ${repo} holds a configuration but is not a git repository, and Nixstrap commits what it writes, so it needs one (Nix builds a flake outside git from every file in its folder, so the build alone would not tell).\n` +
        `  hint: Make it one (\`git -C ${repo} init && git -C ${repo} add -A && git -C ${repo} commit -m 'My machines'\`), or choose the clone it was copied from, then add the host again.\n`,
    );
    expect(fs.existsSync(path.join(repo, '.git'))).toBe(false);
  });

  it('says when the repo does not exist', () => {
    const run = nixstrap([
      'add-host',
      '--repo',
      '/nonexistent/config',
      '--answers',
      pi,
      '--fixture',
      raspberry,
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^nixstrap: /);
  });
});
