import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NixstrapFailure } from '../../common/result';
import { checkRepo, computePlan, inspectRepo } from '../../main/core/repo';
import { answersFor, pcFacts } from './helpers/repo-machines';
import { committedRepo, gitCli, tempDir, writeTree } from './helpers/repo-trees';

const BROKEN = '{ ... }:\n{\n  services.foo.enable = true\n}\n';
const HOST = '{ ... }:\n{\n  imports = [ ./hardware-configuration.nix ];\n}\n';
const HARDWARE = '{ ... }:\n{\n  nixpkgs.hostPlatform = "x86_64-linux";\n}\n';

/** A dotfiles repo at a home: a few files tracked, the rest of the home untracked. */
function dotfilesHome(tracked: Record<string, string>): string {
  const home = committedRepo({ '.bashrc': 'export EDITOR=vi\n', ...tracked });
  writeTree(home, {
    'src/nixpkgs/default.nix': '{ }\n',
    'src/nixpkgs/pkgs/top-level/all-packages.nix': '{ }\n',
    'Downloads/shell.nix': '{ }\n',
  });
  return home;
}

async function planAddHost(repo: string): Promise<unknown> {
  const facts = pcFacts('laptop');
  return computePlan({ journey: 'add-host', repo, facts, answers: answersFor(facts) }).catch(
    (error: unknown) => (error instanceof NixstrapFailure ? error.error : error),
  );
}

describe('a home that is a git repo', () => {
  it('is read from what git tracks: its untracked .nix files make no configuration', async () => {
    const home = dotfilesHome({});
    const plan = await planAddHost(home);
    expect(plan).toMatchObject({ journey: 'add-host', layout: 'empty' });
    const inspection = await inspectRepo(home, 'add-host');
    expect(inspection).toMatchObject({ gitRepo: true, hosts: [], problem: null });
  });

  it('counts only the tracked .nix files when it refuses a layout it cannot tell', async () => {
    const home = dotfilesHome({ '.config/home-manager/home.nix': '{ }\n' });
    expect(await planAddHost(home)).toMatchObject({
      code: 'REPO_LAYOUT_UNKNOWN',
      message: `${home} holds 1 .nix file(s) but no host folders (hosts/, systems/, machines/) and no configuration.nix, so Nixstrap cannot tell where a new host belongs.`,
    });
  });

  it('still finds the hosts of a config folder inside it', async () => {
    const home = dotfilesHome({
      'config/hosts/desk/configuration.nix': HOST,
      'config/hosts/desk/hardware-configuration.nix': HARDWARE,
    });
    const inspection = await inspectRepo(join(home, 'config'), 'add-host');
    expect(inspection).toMatchObject({ gitRepo: true, hosts: ['desk'], problem: null });
  });
});

describe('check in a git repo', () => {
  const repoFiles = {
    '.gitignore': 'build/\n*.local.nix\n',
    'configuration.nix': '{ ... }:\n{\n  imports = [ ./hardware-configuration.nix ];\n}\n',
    'hardware-configuration.nix': HARDWARE,
  };

  it('checks untracked files too, but never reads what git ignores', async () => {
    const repo = committedRepo(repoFiles);
    writeTree(repo, {
      'vendor/new.nix': BROKEN,
      'build/out/broken.nix': BROKEN,
      'modules/machine.local.nix': BROKEN,
      'node_modules/pkg/broken.nix': BROKEN,
    });
    const report = await checkRepo(repo);
    expect(report.findings.map((f) => [f.file, f.rule])).toEqual([['vendor/new.nix', 'parse']]);
    expect(report.filesChecked).toBe(3);
  });

  it('checks a file git tracks even inside an ignored folder', async () => {
    const repo = committedRepo(repoFiles);
    writeTree(repo, { 'build/kept.nix': BROKEN });
    gitCli(repo, 'add', '-f', 'build/kept.nix');
    const report = await checkRepo(repo);
    expect(report.findings.map((f) => [f.file, f.rule])).toEqual([['build/kept.nix', 'parse']]);
  });

  it('applies the work tree’s ignore rules to a folder below its top', async () => {
    const home = committedRepo({
      '.gitignore': 'config/generated/\n',
      'config/configuration.nix': repoFiles['configuration.nix'],
      'config/hardware-configuration.nix': HARDWARE,
    });
    writeTree(join(home, 'config'), {
      'generated/broken.nix': BROKEN,
      'modules/broken.nix': BROKEN,
    });
    const report = await checkRepo(join(home, 'config'));
    expect(report.findings.map((f) => [f.file, f.rule])).toEqual([['modules/broken.nix', 'parse']]);
  });

  it('is refused in a sentence when git’s index is damaged, as a flake there cannot be read', async () => {
    const repo = committedRepo(repoFiles);
    writeFileSync(join(repo, '.git/index'), '');
    await expect(checkRepo(repo)).rejects.toMatchObject({
      error: {
        code: 'GIT_FAILED',
        message: `git's index in ${repo} is damaged, so Nixstrap cannot tell which files git tracks, all a flake sees.`,
        hint: expect.stringContaining('rm .git/index && git reset'),
      },
    });
  });

  it('outside git reads every folder but build outputs, as before', async () => {
    const repo = tempDir();
    writeTree(repo, {
      ...repoFiles,
      'build/out/broken.nix': BROKEN,
      'node_modules/pkg/broken.nix': BROKEN,
      'result/broken.nix': BROKEN,
    });
    const report = await checkRepo(repo);
    expect(report.findings.map((f) => [f.file, f.rule])).toEqual([
      ['build/out/broken.nix', 'parse'],
    ]);
  });
});
