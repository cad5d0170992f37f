import { readFileSync, renameSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyPlan, checkRepo, computePlan, listHosts } from '../../main/core/repo';
import { answersFor, pcFacts } from './helpers/repo-machines';
import { committedRepo, tempDir, writeTree } from './helpers/repo-trees';

async function nixstrapRepo(): Promise<string> {
  const repo = join(tempDir(), 'config');
  const facts = pcFacts('desk');
  await applyPlan(await computePlan({ journey: 'init', repo, facts, answers: answersFor(facts) }));
  return repo;
}

describe('check on a freshly generated repo', () => {
  it('parses every .nix file with real Nix and finds nothing', async () => {
    const repo = await nixstrapRepo();
    const report = await checkRepo(repo);
    expect(report.nixAvailable).toBe(true);
    expect(report.filesChecked).toBeGreaterThan(5);
    expect(report.findings).toEqual([]);
  });
});

describe('check on a broken repo', () => {
  it('reports a parse error with its line, a missing import and an undeclared input', async () => {
    const repo = await nixstrapRepo();
    writeTree(repo, {
      'modules/nixos/broken.nix': '{ ... }:\n{\n  services.foo.enable = true\n}\n',
      'hosts/nixos/desk/extra.nix':
        '{ inputs, ... }:\n{\n  imports = [ ./gone.nix inputs.sops-nix.nixosModules.sops ];\n}\n',
      'hosts/nixos/desk/default.nix':
        '{ ... }:\n{\n  imports = [ ./hardware-configuration.nix ./extra.nix ];\n}\n',
    });
    const { findings } = await checkRepo(repo);
    expect(findings).toContainEqual(
      expect.objectContaining({ file: 'modules/nixos/broken.nix', rule: 'parse', line: 4 }),
    );
    expect(findings).toContainEqual({
      file: 'hosts/nixos/desk/extra.nix',
      line: 3,
      column: 15,
      rule: 'import-missing',
      message: expect.stringContaining('./gone.nix'),
    });
    expect(findings).toContainEqual({
      file: 'hosts/nixos/desk/extra.nix',
      line: 3,
      column: 26,
      rule: 'input-missing',
      message: expect.stringContaining('inputs.sops-nix'),
    });
    // extra.nix was written but never `git add`ed: the flake would not see it.
    expect(findings).toContainEqual(
      expect.objectContaining({
        file: 'hosts/nixos/desk/default.nix',
        rule: 'import-untracked',
        message: expect.stringContaining('git add hosts/nixos/desk/extra.nix'),
      }),
    );
    expect(findings).toHaveLength(4);
  });

  it('reports .nix files that are links out of the repo, flake.nix too, and no input as undeclared', async () => {
    const repo = await nixstrapRepo();
    const outside = tempDir();
    renameSync(join(repo, 'flake.nix'), join(outside, 'flake.nix'));
    symlinkSync(join(outside, 'flake.nix'), join(repo, 'flake.nix'));
    const hardware = join(repo, 'hosts/nixos/desk/hardware-configuration.nix');
    renameSync(hardware, join(outside, 'hardware.nix'));
    symlinkSync(join(outside, 'hardware.nix'), hardware);
    symlinkSync('gone.nix', join(repo, 'modules/nixos/dangling.nix'));
    symlinkSync('base.nix', join(repo, 'modules/nixos/alias.nix'));
    const { findings } = await checkRepo(repo);
    expect(findings.map((f) => [f.file, f.rule, f.message])).toEqual([
      [
        'flake.nix',
        'link-outside',
        `is a link to ${outside}/flake.nix, outside the repo: Nix builds from a copy of the repo, where the link leads nowhere. Put the file itself in the repo.`,
      ],
      ['hosts/nixos/desk/hardware-configuration.nix', 'link-outside', expect.any(String)],
      [
        'modules/nixos/dangling.nix',
        'link-outside',
        'is a link to gone.nix, which does not exist.',
      ],
    ]);
  });

  it('reports a folder of hosts that is a link out of the repo once, and a folder linked inside not at all', async () => {
    const repo = await nixstrapRepo();
    const outside = tempDir();
    renameSync(join(repo, 'hosts'), join(outside, 'hosts'));
    symlinkSync(join(outside, 'hosts'), join(repo, 'hosts'));
    renameSync(join(repo, 'modules/nixos'), join(repo, 'modules/nixos-real'));
    symlinkSync('nixos-real', join(repo, 'modules/nixos'));
    const { findings } = await checkRepo(repo);
    expect(findings.map((f) => [f.file, f.rule, f.message])).toEqual([
      [
        'hosts/nixos/desk',
        'link-outside',
        `leads through hosts, a link to ${outside}/hosts, outside the repo: Nix builds from a copy of the repo, where that link leads nowhere. Move the folder itself into the repo.`,
      ],
    ]);
  });

  it('reports a .nix link that leads round a loop, and an import of it, instead of failing', async () => {
    const repo = await nixstrapRepo();
    symlinkSync('loop.nix', join(repo, 'modules/nixos/loop.nix'));
    writeTree(repo, {
      'hosts/nixos/desk/default.nix':
        '{ ... }:\n{\n  imports = [ ./hardware-configuration.nix ../../../modules/nixos/loop.nix ];\n}\n',
    });
    const { findings } = await checkRepo(repo);
    expect(findings.map((f) => [f.file, f.rule, f.message])).toEqual([
      [
        'modules/nixos/loop.nix',
        'link-outside',
        'is a link to loop.nix, which leads round a loop of links.',
      ],
      [
        'hosts/nixos/desk/default.nix',
        'import-missing',
        'imports ../../../modules/nixos/loop.nix, which does not exist (modules/nixos/loop.nix).',
      ],
    ]);
  });

  it('sees imports joined with ++ as imports too', async () => {
    const repo = await nixstrapRepo();
    writeTree(repo, {
      'hosts/nixos/desk/default.nix':
        '{ lib, ... }:\n{\n  imports = [ ./hardware-configuration.nix ] ++ lib.optionals true [ ./also-gone.nix ];\n}\n',
    });
    const { findings } = await checkRepo(repo);
    expect(findings).toContainEqual(
      expect.objectContaining({
        rule: 'import-missing',
        message: expect.stringContaining('./also-gone.nix'),
      }),
    );
  });

  it('checks only one host and what it imports with --host', async () => {
    const repo = await nixstrapRepo();
    writeTree(repo, { 'hosts/nixos/other/default.nix': '{ imports = [ ./nope.nix ]; }\n' });
    expect((await checkRepo(repo, 'desk')).findings).toEqual([]);
    expect((await checkRepo(repo, 'other')).findings.map((f) => f.rule)).toEqual([
      'import-missing',
    ]);
    await expect(checkRepo(repo, 'ghost')).rejects.toMatchObject({
      error: { code: 'HOST_NOT_FOUND' },
    });
  });
});

describe('hosts of a repo', () => {
  it('lists Nixstrap hosts with the system their hardware file pins', async () => {
    const repo = await nixstrapRepo();
    expect(await listHosts(repo)).toEqual([
      { name: 'desk', kind: 'nixos', path: 'hosts/nixos/desk', system: 'x86_64-linux' },
    ]);
  });

  it('refuses a folder that holds no configuration at its top, before reading below it', async () => {
    const folder = tempDir();
    writeTree(folder, { 'deep/down/stray.nix': '{ }' });
    await expect(checkRepo(folder)).rejects.toMatchObject({
      error: {
        code: 'REPO_LAYOUT_UNKNOWN',
        message: expect.stringMatching(/not a Nix configuration/),
      },
    });
  });

  it('still checks every file of a flake whose hosts are in no host folder', async () => {
    const repo = committedRepo({
      'flake.nix':
        '{\n  outputs = { self }: {\n    nixosConfigurations.box = import ./nixos/box.nix;\n  };\n}\n',
      'nixos/box.nix':
        '{ ... }:\n{\n  imports = [ ./gone.nix ];\n  networking.hostName = "box"\n}\n',
    });
    const { findings, filesChecked } = await checkRepo(repo);
    expect(filesChecked).toBe(2);
    expect(findings).toContainEqual(
      expect.objectContaining({ file: 'nixos/box.nix', rule: 'parse', line: 5 }),
    );
    await expect(checkRepo(repo, 'box')).rejects.toMatchObject({
      error: { code: 'REPO_LAYOUT_UNKNOWN' },
    });
  });

  it('refuses a missing repo', async () => {
    await expect(listHosts(join(tempDir(), 'nope'))).rejects.toMatchObject({
      error: { code: 'REPO_NOT_FOUND' },
    });
  });
});

describe('a host renamed by hand', () => {
  it('is caught when its folder and networking.hostName disagree, naming both', async () => {
    const repo = await nixstrapRepo();
    const hostFile = join(repo, 'hosts/nixos/desk/default.nix');
    writeFileSync(
      hostFile,
      readFileSync(hostFile, 'utf8').replace(
        'networking.hostName = "desk";',
        'networking.hostName = "office";',
      ),
    );
    const report = await checkRepo(repo);
    expect(report.findings).toEqual([
      expect.objectContaining({
        file: 'hosts/nixos/desk/default.nix',
        rule: 'host-name-mismatch',
        line: expect.any(Number),
        message: expect.stringMatching(
          /networking\.hostName = "office", but its folder names the host desk/,
        ),
      }),
    ]);
  });
});

describe('check of a repo it may read but not write', () => {
  it('reads the git status without writing git’s index (here another git holds it)', async () => {
    const repo = await nixstrapRepo();
    // An imported file touched since the index was written makes its status refresh the
    // index's cache.
    const imported = join(repo, 'hosts/nixos/desk/hardware-configuration.nix');
    utimesSync(imported, new Date('2001-01-01'), new Date('2001-01-01'));
    writeFileSync(join(repo, '.git/index.lock'), '');
    const index = readFileSync(join(repo, '.git/index'));
    const report = await checkRepo(repo);
    expect(report.findings).toEqual([]);
    expect(readFileSync(join(repo, '.git/index'))).toEqual(index);
  });
});
