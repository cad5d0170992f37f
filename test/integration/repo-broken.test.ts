import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectFacts, openFixture } from '../../main/core/detect';
import { applyPlan, checkRepo, computePlan, listHosts } from '../../main/core/repo';
import { answersFor, pcFacts } from './helpers/repo-machines';
import { expectAddHostRefused } from './helpers/repo-outcome';
import { committedRepo, gitCli, tempDir } from './helpers/repo-trees';

const HOST = '{ ... }:\n{\n  networking.hostName = "alpha";\n}\n';
const FLAKE = (entry: string) => `{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-26.05";
  outputs = { nixpkgs, ... }: {
${entry}
  };
}
`;
const GOOD_ENTRY =
  '    nixosConfigurations.alpha = nixpkgs.lib.nixosSystem { modules = [ ./hosts/alpha/configuration.nix ]; };';
const BROKEN_ENTRY =
  '    nixosConfigurations.alpha = nixpkgs.lib.nixosSystem { modules = [ ./hosts/alpha/configuration.nix ] };';

describe('a repo with a syntax error', () => {
  it('check reports the broken host file as a finding instead of failing', async () => {
    const repo = committedRepo({
      'flake.nix': FLAKE(GOOD_ENTRY),
      'hosts/alpha/configuration.nix': '{ ... }:\n{\n  networking.hostName = "alpha"\n}\n',
    });
    const report = await checkRepo(repo);
    expect(report.findings).toEqual([
      expect.objectContaining({ file: 'hosts/alpha/configuration.nix', rule: 'parse', line: 4 }),
    ]);
  });

  it('hosts still lists the host folders when flake.nix does not parse', async () => {
    const repo = committedRepo({
      'flake.nix': FLAKE(BROKEN_ENTRY),
      'hosts/alpha/configuration.nix': HOST,
    });
    expect((await listHosts(repo)).map((h) => h.name)).toEqual(['alpha']);
    const report = await checkRepo(repo);
    expect(report.findings).toEqual([
      expect.objectContaining({ file: 'flake.nix', rule: 'parse', line: 4 }),
    ]);
  });

  it('add-host refuses with the line of the user’s file and writes nothing', async () => {
    const repo = committedRepo({
      'flake.nix': FLAKE(BROKEN_ENTRY),
      'hosts/alpha/configuration.nix': HOST,
    });
    await expectAddHostRefused(repo, 'newbox', {
      code: 'NIX_PARSE_ERROR',
      message: expect.stringMatching(/flake\.nix does not parse \(line 4,/),
    });
  });
});

describe('a repo git cannot vouch for', () => {
  it('add-host refuses a folder that is not a git repository, since the flake would lose its hosts', async () => {
    const repo = committedRepo({
      'flake.nix': FLAKE(GOOD_ENTRY),
      'hosts/alpha/configuration.nix': HOST,
    });
    rmSync(join(repo, '.git'), { recursive: true, force: true });
    await expectAddHostRefused(repo, 'newbox', {
      code: 'GIT_FAILED',
      message: expect.stringContaining('is not a git repository'),
    });
  });

  it('add-host says, then refuses, that it will not commit the user’s uncommitted edits to their flake.nix along with its own', async () => {
    const repo = committedRepo({
      'flake.nix': FLAKE(GOOD_ENTRY),
      'hosts/alpha/configuration.nix': HOST,
    });
    const wip = readFileSync(join(repo, 'flake.nix'), 'utf8').replace(
      '{\n',
      '{\n  # work in progress\n',
    );
    writeFileSync(join(repo, 'flake.nix'), wip);
    const facts = pcFacts('newbox');
    const plan = await computePlan({
      journey: 'add-host',
      repo,
      facts,
      answers: answersFor(facts),
    });
    // The plan says so before the user reviews it, not only the write that refuses.
    expect(plan.warnings).toContain(
      `flake.nix has changes you have not committed, and writing would commit them with Nixstrap's edit, so writing waits until they are committed or stashed. To stash them: \`git -C ${repo} stash\``,
    );
    await expect(applyPlan(plan)).rejects.toMatchObject({
      error: {
        code: 'GIT_FAILED',
        message: expect.stringMatching(/^flake\.nix has changes you have not committed/),
      },
    });
    expect(readFileSync(join(repo, 'flake.nix'), 'utf8')).toBe(wip);
    expect(gitCli(repo, 'log', '--oneline').trim().split('\n')).toHaveLength(1);
  });
});

describe('a repo that drifted from what Nixstrap wrote', () => {
  it('gets a host’s flake entry back when the folder is there but the entry was deleted', async () => {
    const repo = committedRepo({
      'flake.nix': FLAKE(GOOD_ENTRY),
      'hosts/alpha/configuration.nix': HOST,
    });
    const facts = pcFacts('newbox');
    const answers = answersFor(facts);
    await applyPlan(await computePlan({ journey: 'add-host', repo, facts, answers }));
    const withEntry = readFileSync(join(repo, 'flake.nix'), 'utf8');
    expect(withEntry).toContain('newbox =');
    writeFileSync(join(repo, 'flake.nix'), FLAKE(GOOD_ENTRY));
    gitCli(repo, 'commit', '-qam', 'drop newbox from the flake');

    const plan = await computePlan({ journey: 'add-host', repo, facts, answers });
    expect(plan.files.find((f) => f.path === 'flake.nix')?.action).toBe('update');
    expect(plan.files.find((f) => f.path === 'flake.nix')?.content).toContain('newbox =');
  });

  it('refuses to add a host, in a sentence that says so, when its flake.nix was deleted', async () => {
    const repo = join(tempDir(), 'config');
    const first = pcFacts('alpha');
    await applyPlan(
      await computePlan({ journey: 'init', repo, facts: first, answers: answersFor(first) }),
    );
    gitCli(repo, 'rm', '-q', 'flake.nix');
    gitCli(repo, '-c', 'user.name=U', '-c', 'user.email=u@e', 'commit', '-qm', 'no flake');
    const facts = pcFacts('newbox');
    await expect(
      computePlan({ journey: 'add-host', repo, facts, answers: answersFor(facts) }),
    ).rejects.toMatchObject({
      error: { code: 'REPO_LAYOUT_UNKNOWN', message: expect.stringContaining('no flake.nix') },
    });
  });

  it('refuses to add a Mac when an edited Nixstrap flake.nix does not build Macs', async () => {
    const repo = join(tempDir(), 'config');
    const pc = pcFacts('desk');
    await applyPlan(
      await computePlan({ journey: 'init', repo, facts: pc, answers: answersFor(pc) }),
    );
    writeFileSync(
      join(repo, 'flake.nix'),
      `# my machines\n${readFileSync(join(repo, 'flake.nix'), 'utf8')}`,
    );
    gitCli(repo, 'commit', '-qam', 'a comment of mine');

    const mac = detectFacts(
      openFixture(join(import.meta.dirname, '../fixtures/machines/macos-m2')),
    );
    await expect(
      computePlan({
        journey: 'add-host',
        repo,
        facts: mac,
        answers: answersFor(mac, { hostName: 'air' }),
      }),
    ).rejects.toMatchObject({
      error: {
        code: 'REPO_LAYOUT_UNKNOWN',
        message: expect.stringContaining('has no darwinConfigurations'),
      },
    });
  });
});

describe('hosts of a repo whose flake names them one by one', () => {
  it('are the folders the flake builds, not shared folders such as hosts/common', async () => {
    const repo = committedRepo({
      'flake.nix': FLAKE(GOOD_ENTRY),
      'hosts/alpha/configuration.nix': HOST,
      'hosts/common/default.nix': '{ ... }:\n{\n  time.timeZone = "UTC";\n}\n',
    });
    expect((await listHosts(repo)).map((h) => h.name)).toEqual(['alpha']);
  });
});

describe('a repo pinned to an older release', () => {
  it('gets a host that uses its release: Home Manager branch and state version included', async () => {
    const repo = committedRepo({
      'flake.nix': FLAKE(GOOD_ENTRY).replace('nixos-26.05', 'nixos-24.05'),
      'hosts/alpha/configuration.nix': HOST,
    });
    const facts = {
      ...pcFacts('newbox'),
      os: { id: 'debian', version: '12', prettyName: 'Debian 12' },
    };
    const plan = await computePlan({
      journey: 'add-host',
      repo,
      facts,
      answers: answersFor(facts),
    });
    const flake = plan.files.find((f) => f.path === 'flake.nix')!.content;
    expect(flake).toContain('github:nix-community/home-manager/release-24.05');
    expect(flake).not.toContain('26.05');
    const host = plan.files.find((f) => f.path === 'hosts/newbox/configuration.nix')!.content;
    expect(host).toContain('home.stateVersion = "24.05";');
    expect(host).toContain('system.stateVersion = "24.05";');
  });
});
