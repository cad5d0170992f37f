import * as fs from 'node:fs';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import git from 'isomorphic-git';
import { describe, expect, it } from 'vitest';
import { applyPlan, computePlan } from '../../main/core/repo';
import { answersFor, pcFacts, wslFacts } from './helpers/repo-machines';
import { gitCli, snapshot, tempDir, writeTree } from './helpers/repo-trees';

const facts = pcFacts('desk');
const answers = answersFor(facts);

async function init(repo: string, force = false) {
  const plan = await computePlan({ journey: 'init', repo, facts, answers });
  return applyPlan(plan, { force, author: answers.git });
}

describe('init into an empty folder', () => {
  it('writes the repo and commits every file, leaving a clean work tree', async () => {
    const repo = join(tempDir(), 'config');
    const result = await init(repo);

    expect(result.written).toContain('flake.nix');
    expect(result.written).toContain('hosts/nixos/desk/default.nix');
    expect(result.written).toContain('hosts/nixos/desk/hardware-configuration.nix');
    const log = await git.log({ fs, dir: repo });
    expect(log).toHaveLength(1);
    expect(log[0]!.oid).toBe(result.commit);
    expect(log[0]!.commit.message).toMatch(/^nixstrap: init host desk\n/);
    expect(log[0]!.commit.author).toMatchObject({
      name: 'Alice Example',
      email: 'alice@example.org',
    });

    const tracked = gitCli(repo, 'ls-tree', '-r', '--name-only', 'HEAD').trim().split('\n');
    expect(tracked).toEqual(expect.arrayContaining([...result.written, '.nixstrap/manifest.json']));
    expect(gitCli(repo, 'status', '--porcelain')).toBe('');
    expect(gitCli(repo, 'show', 'HEAD:hosts/nixos/desk/default.nix')).toBe(
      readFileSync(join(repo, 'hosts/nixos/desk/default.nix'), 'utf8'),
    );
  });

  it('commits as Nixstrap when the answers name no git author', async () => {
    const repo = join(tempDir(), 'config');
    const plan = await computePlan({ journey: 'init', repo, facts, answers });
    await applyPlan(plan, { force: false, author: { name: '', email: '' } });
    expect(gitCli(repo, 'log', '-1', '--format=%an <%ae>').trim()).toBe(
      'Nixstrap <nixstrap@localhost>',
    );
  });
});

describe('init run twice', () => {
  it('plans every file as unchanged and makes no new commit', async () => {
    const repo = join(tempDir(), 'config');
    const first = await init(repo);
    const plan = await computePlan({ journey: 'init', repo, facts, answers });
    expect(plan.files.length).toBeGreaterThan(10);
    expect(plan.files.every((f) => f.action === 'unchanged' && f.diff === '')).toBe(true);
    const second = await applyPlan(plan, { force: false });
    expect(second).toMatchObject({ written: [], commit: null });
    expect(gitCli(repo, 'rev-parse', 'HEAD').trim()).toBe(first.commit);
  });
});

describe('init into a folder that holds something else', () => {
  it('refuses with REPO_EXISTS and points at add-host', async () => {
    const repo = tempDir();
    writeTree(repo, { 'notes.txt': 'mine\n' });
    await expect(computePlan({ journey: 'init', repo, facts, answers })).rejects.toMatchObject({
      error: { code: 'REPO_EXISTS', hint: expect.stringContaining('add-host') },
    });
  });
});

describe('a file the user changed', () => {
  it('shows as a conflict with a diff, is refused without force and overwritten with it', async () => {
    const repo = join(tempDir(), 'config');
    await init(repo);
    const path = 'hosts/nixos/desk/hardware-configuration.nix';
    const edited = `${readFileSync(join(repo, path), 'utf8')}# my tweak\n`;
    writeFileSync(join(repo, path), edited);

    const plan = await computePlan({ journey: 'init', repo, facts, answers });
    const file = plan.files.find((f) => f.path === path)!;
    expect(file.action).toBe('conflict');
    expect(file.diff).toContain(`--- a/${path}`);
    expect(file.diff).toContain('-# my tweak');
    expect(plan.files.filter((f) => f.action === 'conflict')).toHaveLength(1);

    await expect(applyPlan(plan, { force: false })).rejects.toMatchObject({
      error: {
        code: 'FILE_CHANGED',
        message: expect.stringContaining(path),
        hint: expect.stringContaining('--force'),
      },
    });
    expect(readFileSync(join(repo, path), 'utf8')).toBe(edited);

    const forced = await applyPlan(plan, { force: true });
    expect(forced.written).toEqual([path]);
    expect(readFileSync(join(repo, path), 'utf8')).toBe(file.content);
    expect(gitCli(repo, 'status', '--porcelain')).toBe('');
  });

  it('refuses a plan whose files changed on disk after it was made', async () => {
    const repo = join(tempDir(), 'config');
    await init(repo);
    writeFileSync(join(repo, 'README.md'), 'changed\n');
    const plan = await computePlan({ journey: 'init', repo, facts, answers });
    writeFileSync(join(repo, 'README.md'), 'changed again\n');
    await expect(applyPlan(plan, { force: true })).rejects.toMatchObject({
      error: { code: 'FILE_CHANGED' },
    });
    expect(readFileSync(join(repo, 'README.md'), 'utf8')).toBe('changed again\n');
  });
});

describe('add-host into a Nixstrap repo', () => {
  it('adds the host folder, edits flake.nix only for a missing input, and commits', async () => {
    const repo = join(tempDir(), 'config');
    await init(repo);
    const before = snapshot(repo);
    const wsl = wslFacts('winbox');
    const plan = await computePlan({
      journey: 'add-host',
      repo,
      facts: wsl,
      answers: answersFor(wsl),
    });
    expect(plan.layout).toBe('nixstrap');
    expect(plan.hostDir).toBe('hosts/nixos/winbox');
    const changed = plan.files
      .filter((f) => f.action !== 'unchanged')
      .map((f) => `${f.action} ${f.path}`);
    // The first host needed no WSL module, so the repo gets it now, with the host that does.
    expect(changed).toEqual([
      'update flake.nix',
      'create hosts/nixos/winbox/default.nix',
      'create modules/nixos/hardware/wsl.nix',
    ]);
    expect(plan.files.find((f) => f.path === 'flake.nix')!.diff).toContain('+    nixos-wsl = {');

    const result = await applyPlan(plan, { force: false });
    expect(gitCli(repo, 'log', '-1', '--format=%s').trim()).toBe('nixstrap: add host winbox');
    expect(result.commit).not.toBeNull();
    const after = snapshot(repo);
    expect(after['hosts/nixos/desk/default.nix']).toBe(before['hosts/nixos/desk/default.nix']);

    const again = await computePlan({
      journey: 'add-host',
      repo,
      facts: wsl,
      answers: answersFor(wsl),
    });
    expect(again.files.every((f) => f.action === 'unchanged')).toBe(true);
    const other = answersFor(wsl, { timeZone: 'UTC' });
    await expect(
      computePlan({ journey: 'add-host', repo, facts: wsl, answers: other }),
    ).rejects.toMatchObject({
      error: { code: 'HOST_EXISTS' },
    });
  });

  it('refuses a repo that does not exist', async () => {
    const repo = join(tempDir(), 'missing');
    await expect(computePlan({ journey: 'add-host', repo, facts, answers })).rejects.toMatchObject({
      error: { code: 'REPO_NOT_FOUND' },
    });
  });
});

describe('changes the user staged in the repo', () => {
  it('are never swept into Nixstrap’s commit: the apply refuses and writes nothing', async () => {
    const repo = join(tempDir(), 'config');
    await init(repo);
    writeFileSync(join(repo, 'notes.txt'), 'my staged work\n');
    gitCli(repo, 'add', 'notes.txt');
    const before = snapshot(repo);

    const plan = await computePlan({
      journey: 'add-host',
      repo,
      facts: wslFacts('wsl'),
      answers: answersFor(wslFacts('wsl')),
    });
    await expect(applyPlan(plan, { force: false })).rejects.toMatchObject({
      error: { code: 'GIT_FAILED', message: expect.stringContaining('notes.txt') },
    });
    expect(snapshot(repo)).toEqual(before);
    expect(gitCli(repo, 'diff', '--cached', '--name-only').trim()).toBe('notes.txt');
  });
});

describe('a second machine for the same user', () => {
  it('leaves the user’s shared Home Manager folder as the first machine wrote it', async () => {
    const repo = join(tempDir(), 'config');
    await init(repo);
    const homeFile = join(repo, `home/${answers.userName}/default.nix`);
    const before = readFileSync(homeFile, 'utf8');

    const laptop = wslFacts('laptop');
    const plan = await computePlan({
      journey: 'add-host',
      repo,
      facts: laptop,
      answers: answersFor(laptop, { userName: answers.userName, shell: 'fish', editor: 'helix' }),
    });
    expect(plan.files.map((f) => f.path)).not.toContain(`home/${answers.userName}/default.nix`);
    expect(plan.warnings).toContain(
      `home/${answers.userName}/ already exists and is shared with this user's other hosts, so it is kept as it is.`,
    );
    await applyPlan(plan, { force: false });
    expect(readFileSync(homeFile, 'utf8')).toBe(before);
  });
});

describe('a damaged manifest', () => {
  it('is named in the plan, and nothing Nixstrap cannot vouch for is overwritten', async () => {
    const repo = join(tempDir(), 'config');
    await init(repo);
    writeFileSync(join(repo, '.nixstrap/manifest.json'), '{ "version": 1, "files": ');
    const hostFile = join(repo, 'hosts/nixos/desk/default.nix');
    writeFileSync(hostFile, `${readFileSync(hostFile, 'utf8')}# mine\n`);

    const plan = await computePlan({ journey: 'init', repo, facts, answers });
    expect(plan.warnings[0]).toMatch(/^\.nixstrap\/manifest\.json is damaged/);
    expect(plan.files.find((f) => f.path === 'hosts/nixos/desk/default.nix')?.action).toBe(
      'conflict',
    );
    await expect(applyPlan(plan, { force: false })).rejects.toMatchObject({
      error: { code: 'FILE_CHANGED' },
    });
    expect(readFileSync(hostFile, 'utf8')).toMatch(/# mine\n$/);
  });
});
