import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NixstrapError, RepoInspection } from '../../common';
import { createApi } from '../../main/api';
import { applyPlan, computePlan } from '../../main/core/repo';
import { answersFor, pcFacts } from './helpers/repo-machines';
import { committedRepo, snapshot, tempDir, writeTree } from './helpers/repo-trees';

const facts = pcFacts('desk');
const answers = answersFor(facts);
const api = createApi({ shell: 'browser', dataDir: tempDir() });

/** What the wizard gets back for a path as the user typed it. */
async function inspect(repo: string, journey: 'init' | 'add-host' = 'init', hostName?: string) {
  const result = await api.call('repo.inspect', {
    repo,
    journey,
    ...(hostName ? { hostName } : {}),
  });
  if (!result.ok) throw new Error(result.error.message);
  return result.value as RepoInspection;
}

/** A sentence for the user: no errno codes, no command-line words. */
function expectHuman(error: NixstrapError | null | undefined) {
  expect(error).toBeTruthy();
  const text = `${error!.message} ${error!.hint}`;
  expect(text).not.toMatch(/\bE[A-Z]{3,}\b|nixstrap [a-z]|--force|run the same command/);
}

describe('a path a flake address cannot hold as it is', () => {
  it('makes moving a repo whose path has "#" or "?" a step before the first rebuild, and a space something to know', async () => {
    const marked = join(tempDir(), 'my#config');
    const plan = await computePlan({ journey: 'init', repo: marked, facts, answers });
    expect(plan.steps[0]).toBe(
      `Nix cannot build a flake from ${marked}: its path has a "#", which in a flake's address starts the name of what to build. Choose a folder without "#" or "?" (e.g. ~/nixos-config), or move the repo there before its first rebuild.`,
    );
    const spaced = join(tempDir(), 'my config');
    const spacedPlan = await computePlan({ journey: 'init', repo: spaced, facts, answers });
    expect(spacedPlan.warnings).toContainEqual(
      expect.stringContaining(`${spaced} has a space in its path, which older Nix versions`),
    );
    expect(spacedPlan.steps.join(' ')).not.toContain('flake');
    const plain = await computePlan({
      journey: 'init',
      repo: join(tempDir(), 'c'),
      facts,
      answers,
    });
    expect([...plain.steps, ...plain.warnings].join(' ')).not.toMatch(/flake's address/);
  });
});

describe('a folder path is checked as the user types it', () => {
  it('names a folder that does not exist yet as one Nixstrap makes', async () => {
    const found = await inspect(join(tempDir(), 'config'));
    expect(found).toMatchObject({ kind: 'absent', problem: null, gitRepo: false });
    expect(found.summary).toMatch(/no folder here yet/);
    expect((await inspect(join(tempDir(), 'config'), 'add-host')).problem?.code).toBe(
      'REPO_NOT_FOUND',
    );
  });

  it('tells an empty folder, a Nixstrap repo, a foreign flake and a folder of files apart', async () => {
    expect(await inspect(tempDir())).toMatchObject({ kind: 'empty', problem: null });

    const nixstrap = join(tempDir(), 'config');
    await applyPlan(await computePlan({ journey: 'init', repo: nixstrap, facts, answers }));
    expect(await inspect(nixstrap, 'init', 'desk')).toMatchObject({
      kind: 'nixstrap',
      hosts: ['desk'],
      gitRepo: true,
      problem: null,
    });
    const other = await inspect(nixstrap, 'init', 'laptop');
    expect(other.problem).toMatchObject({
      code: 'REPO_EXISTS',
      hint: expect.stringContaining('new host'),
    });
    expect((await inspect(nixstrap, 'add-host')).problem).toBeNull();

    const flake = committedRepo({
      'flake.nix':
        '{ outputs = { nixpkgs, ... }: { nixosConfigurations.old = nixpkgs.lib.nixosSystem { modules = [ ./hosts/old/configuration.nix ]; }; }; }\n',
      'hosts/old/configuration.nix': '{ ... }: { }\n',
    });
    const foreign = await inspect(flake, 'init');
    expect(foreign).toMatchObject({ kind: 'flake', hosts: ['old'], gitRepo: true });
    expect(foreign.problem?.code).toBe('REPO_EXISTS');
    expectHuman(foreign.problem);
    expect((await inspect(flake, 'add-host')).problem).toBeNull();

    const files = tempDir();
    writeTree(files, { 'notes.txt': 'mine\n', 'photos/cat.jpg': 'meow' });
    const plain = await inspect(files, 'add-host');
    expect(plain).toMatchObject({ kind: 'files', gitRepo: false });
    expect(plain.summary).toMatch(/^A folder with 2 entries but no Nix configuration/);
    expect(plain.problem?.message).toMatch(/is not a git repository/);
    expectHuman(plain.problem);
  });

  const bad: [string, () => string, RegExp][] = [
    ['a NUL character', () => `${tempDir()}/con\0fig`, /NUL character/],
    ['a line break', () => `${tempDir()}/con\nfig`, /line break/],
    ['a file:// URL', () => `file://${tempDir()}/config`, /is a web address \(URL\)/],
    ['5,000 characters', () => `/tmp/${'x'.repeat(5000)}`, /at most 4,095/],
    ['a 300-byte name', () => `${tempDir()}/${'n'.repeat(300)}`, /at most 255/],
    ['a place under /proc', () => '/proc/my-config', /inside \/proc, a kernel file system/],
    ['a place under /sys', () => '/sys/my-config', /inside \/sys/],
    ['a place under /dev', () => '/dev/my-config', /inside \/dev/],
    ['a place in the Nix store', () => '/nix/store/my-config', /inside the Nix store/],
    ['the top of the file system', () => '/', /^\/ is the top of the file system/],
    [
      'a path under a file',
      () => {
        const dir = tempDir();
        writeFileSync(join(dir, 'notes.txt'), 'x');
        return join(dir, 'notes.txt', 'config');
      },
      /notes\.txt is a file, so no folder can be made inside it/,
    ],
    [
      'a file',
      () => {
        const file = join(tempDir(), 'notes.txt');
        writeFileSync(file, 'x');
        return file;
      },
      /notes\.txt is a file, not a folder/,
    ],
  ];

  for (const [what, path, sentence] of bad) {
    it(`refuses ${what} in one sentence, when typed and when planned`, async () => {
      const typed = path();
      const found = await inspect(typed);
      expect(found.kind).toBe('unusable');
      expect(found.problem?.code).toBe('PATH_INVALID');
      expect(found.problem?.message).toMatch(sentence);
      expectHuman(found.problem);

      const planned = await api.call('plan.compute', {
        journey: 'init',
        repo: typed,
        answers,
        facts,
      });
      expect(planned).toMatchObject({ ok: false, error: { code: 'PATH_INVALID' } });
      if (!planned.ok) expect(planned.error.message).toMatch(sentence);
    });
  }

  it('the URL hint names the folder the URL meant', async () => {
    const dir = tempDir();
    expect((await inspect(`file://${dir}/config`)).problem?.hint).toBe(
      `Type the folder itself: ${dir}/config`,
    );
  });
});

describe('a folder on a read-only disk', () => {
  let mount = '';
  // Mounted only when the test runs, so a filtered run leaves no mount behind.
  beforeAll(() => {
    if (process.getuid?.() !== 0) return;
    const dir = tempDir();
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=64k', 'tmpfs', dir], {
        stdio: 'ignore',
      });
      mount = dir;
    } catch {
      mount = '';
    }
  });
  afterAll(() => {
    if (mount) execFileSync('umount', [mount]);
  });

  it('is refused when typed and when planned, and nothing is written', async (ctx) => {
    if (!mount) ctx.skip('mounting a read-only tmpfs needs root');
    const repo = join(mount, 'config');
    const found = await inspect(repo);
    expect(found.problem?.message).toBe(
      `${mount}, where ${repo} would be made, is on a read-only file system, so Nixstrap cannot write there.`,
    );
    await expect(computePlan({ journey: 'init', repo, facts, answers })).rejects.toMatchObject({
      error: { code: 'PATH_INVALID', message: found.problem!.message },
    });
    expect(existsSync(repo)).toBe(false);
  });
});

describe('a folder Nixstrap may not write to', () => {
  // An immutable folder refuses writes even to root, as a folder of another user refuses them to
  // everyone else, so the sentence is checked whoever runs the tests.
  let locked = '';
  beforeAll(() => {
    const dir = tempDir();
    try {
      execFileSync('chattr', ['+i', dir], { stdio: 'ignore' });
      locked = dir;
    } catch {
      locked = '';
    }
  });
  afterAll(() => {
    if (locked) execFileSync('chattr', ['-i', locked]);
  });

  it('is refused in one sentence naming the folder and the repo it would hold', async (ctx) => {
    if (!locked) ctx.skip('chattr +i is not available on this file system');
    const repo = join(locked, 'config');
    const found = await inspect(repo);
    expect(found.problem?.message).toBe(
      `You may not write to ${locked}, where ${repo} would be made: it belongs to someone else or is read-only.`,
    );
    expect((await inspect(locked)).problem?.message).toBe(
      `You may not write to ${locked}: it belongs to someone else or is read-only.`,
    );
  });
});

describe('adding a host to a folder whose flake.nix git does not track', () => {
  const FLAKE =
    '{\n  outputs = { nixpkgs, ... }: {\n    nixosConfigurations.alpha = nixpkgs.lib.nixosSystem { modules = [ ./hosts/alpha/configuration.nix ]; };\n  };\n}\n';
  const HOST = '{ ... }:\n{\n  networking.hostName = "alpha";\n}\n';

  it('is refused in a repo that never committed it, with the commit to make', async () => {
    const repo = committedRepo({ 'README.md': 'mine\n' });
    writeTree(repo, { 'flake.nix': FLAKE, 'hosts/alpha/configuration.nix': HOST });
    const refusal = {
      code: 'GIT_FAILED',
      message: `Git does not track ${repo}/flake.nix, so Nix does not see the flake: none of its hosts builds, and adding one, which commits only Nixstrap's files, would not change that.`,
      hint: `Commit your configuration first (\`git -C ${repo} add -A && git -C ${repo} commit -m 'My machines'\`), then add the host again.`,
    };
    const before = snapshot(repo);
    await expect(computePlan({ journey: 'add-host', repo, facts, answers })).rejects.toMatchObject({
      error: refusal,
    });
    expect((await inspect(repo, 'add-host')).problem).toMatchObject(refusal);
    expect(snapshot(repo)).toEqual(before);
  });

  it('is refused for a copy inside another repo, naming both ways out', async () => {
    const outer = committedRepo({ 'README.md': 'mine\n' });
    const copy = join(outer, 'copy');
    writeTree(copy, { 'flake.nix': FLAKE, 'hosts/alpha/configuration.nix': HOST });
    const refusal = {
      code: 'GIT_FAILED',
      message: expect.stringMatching(
        new RegExp(
          `^${copy} is inside the git repository ${outer}, which does not track its flake\\.nix`,
        ),
      ),
      hint: expect.stringContaining(
        `or commit it into ${outer} (\`git -C ${outer} add -- copy && `,
      ),
    };
    await expect(
      computePlan({ journey: 'add-host', repo: copy, facts, answers }),
    ).rejects.toMatchObject({ error: refusal });
    expect((await inspect(copy, 'add-host')).problem).toMatchObject(refusal);
    // Tracked by the repo around it, the folder is a repo like any other.
    execFileSync('git', ['-C', outer, 'add', '--', 'copy']);
    expect((await inspect(copy, 'add-host')).problem).toBeNull();
  });
});

describe('adding a host to a folder that is not a git repository', () => {
  it('is refused, and the folder is not turned into a repo', async () => {
    const dir = tempDir();
    writeTree(dir, { 'notes.txt': 'mine\n', 'photos/cat.jpg': 'meow' });
    const before = snapshot(dir);
    await expect(
      computePlan({ journey: 'add-host', repo: dir, facts, answers }),
    ).rejects.toMatchObject({
      error: { code: 'GIT_FAILED', message: expect.stringContaining('is not a git repository') },
    });
    expect(snapshot(dir)).toEqual(before);
    expect(existsSync(join(dir, '.git'))).toBe(false);
  });

  it('says git is what it lacks, before its layout, when it holds a flake (a copy without .git)', async () => {
    const copy = tempDir();
    // Hosts inline in flake.nix, no host folders: a layout refused in git too, for its own reason.
    writeTree(copy, {
      'flake.nix':
        '{\n  outputs = { nixpkgs, ... }: {\n    nixosConfigurations.alpha = nixpkgs.lib.nixosSystem { modules = [ { } ]; };\n  };\n}\n',
    });
    const refusal = {
      code: 'GIT_FAILED',
      message: expect.stringMatching(
        /^\S+ holds a configuration but is not a git repository, and Nixstrap commits what it writes, so it needs one \(Nix builds a flake outside git from every file in its folder/,
      ),
      hint: expect.stringContaining(
        `git -C ${copy} init && git -C ${copy} add -A && git -C ${copy} commit -m 'My machines'`,
      ),
    };
    await expect(
      computePlan({ journey: 'add-host', repo: copy, facts, answers }),
    ).rejects.toMatchObject({ error: refusal });
    const told = await inspect(copy, 'add-host');
    expect(told.problem).toMatchObject(refusal);
    expect(told.problem?.hint).toContain('or choose the clone it was copied from');
    expect(existsSync(join(copy, '.git'))).toBe(false);
  });

  it('is refused unread when nothing at its top is a configuration, as a home or /usr', async () => {
    const home = tempDir();
    // .nix files deep below are what a walk would find; the refusal must not depend on them.
    writeTree(home, {
      'src/tool/shell.nix': '{ }\n',
      'dotfiles/vim/default.nix': '{ }\n',
      'notes.txt': 'mine\n',
    });
    const refusal = {
      code: 'GIT_FAILED',
      message: `${home} is not a git repository, so there is no repo to add this machine to.`,
    };
    await expect(
      computePlan({ journey: 'add-host', repo: home, facts, answers }),
    ).rejects.toMatchObject({ error: refusal });
    expect((await inspect(home, 'add-host')).problem).toMatchObject(refusal);
    expect((await inspect(home, 'init')).problem?.code).toBe('REPO_EXISTS');
  });

  it('is refused for an empty folder too, pointing at Start a new config repo', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'config'));
    await expect(
      computePlan({ journey: 'add-host', repo: join(dir, 'config'), facts, answers }),
    ).rejects.toMatchObject({
      error: { hint: expect.stringContaining('choose “Start a new config repo”') },
    });
    expect(existsSync(join(dir, 'config', '.git'))).toBe(false);
  });
});
