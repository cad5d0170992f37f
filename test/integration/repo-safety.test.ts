import { mkdirSync, readdirSync, renameSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyPlan, computePlan } from '../../main/core/repo';
import { answersFor, pcFacts, wslFacts } from './helpers/repo-machines';
import { committedRepo, gitCli, snapshot, tempDir } from './helpers/repo-trees';

const desk = pcFacts('desk');

async function nixstrapRepo(): Promise<string> {
  const repo = join(tempDir(), 'config');
  await applyPlan(
    await computePlan({ journey: 'init', repo, facts: desk, answers: answersFor(desk) }),
  );
  return repo;
}

/** Moves `folder` of the repo out of it and leaves a symbolic link in its place. */
function linkOut(repo: string, folder: string): string {
  const outside = join(tempDir(), 'outside');
  mkdirSync(outside);
  const target = join(outside, folder.replaceAll('/', '-'));
  renameSync(join(repo, folder), target);
  symlinkSync(target, join(repo, folder));
  return outside;
}

describe('a repo whose folders are symbolic links to elsewhere', () => {
  for (const folder of ['hosts', '.nixstrap']) {
    it(`refuses ${folder}/ as a link, writing nothing inside or outside the repo`, async () => {
      const repo = await nixstrapRepo();
      const outside = linkOut(repo, folder);
      const before = { inside: snapshot(repo), outside: snapshot(outside) };
      const head = gitCli(repo, 'rev-parse', 'HEAD');
      const wsl = wslFacts('winbox');
      const attempt = computePlan({
        journey: 'add-host',
        repo,
        facts: wsl,
        answers: answersFor(wsl),
      });
      await expect(attempt).rejects.toMatchObject({
        error: {
          code: 'PATH_OUTSIDE_REPO',
          message: expect.stringContaining(`${folder} in the repo is a symbolic link`),
        },
      });
      expect(snapshot(outside)).toEqual(before.outside);
      expect(snapshot(repo)).toEqual(before.inside);
      expect(gitCli(repo, 'rev-parse', 'HEAD')).toBe(head);
    });
  }

  it('refuses home/<user> as a link when a new user’s files would go through it', async () => {
    const repo = await nixstrapRepo();
    mkdirSync(join(repo, 'home/bob'));
    const outside = linkOut(repo, 'home/bob');
    const before = snapshot(outside);
    const wsl = wslFacts('winbox');
    await expect(
      computePlan({
        journey: 'add-host',
        repo,
        facts: wsl,
        answers: answersFor(wsl, { userName: 'bob' }),
      }),
    ).rejects.toMatchObject({ error: { code: 'PATH_OUTSIDE_REPO' } });
    expect(snapshot(outside)).toEqual(before);
    expect(readdirSync(join(outside, 'home-bob'))).toEqual([]);
  });

  it('refuses a link made between planning and writing, before anything is written', async () => {
    const repo = await nixstrapRepo();
    const wsl = wslFacts('winbox');
    const plan = await computePlan({
      journey: 'add-host',
      repo,
      facts: wsl,
      answers: answersFor(wsl),
    });
    const outside = linkOut(repo, 'hosts');
    const head = gitCli(repo, 'rev-parse', 'HEAD');
    await expect(applyPlan(plan)).rejects.toMatchObject({ error: { code: 'PATH_OUTSIDE_REPO' } });
    expect(readdirSync(join(outside, 'hosts', 'nixos'))).toEqual(['desk']);
    expect(gitCli(repo, 'rev-parse', 'HEAD')).toBe(head);
    expect(gitCli(repo, 'fsck', '--strict', '--no-dangling')).toBe('');
  });
});

describe('a hand-written flake whose inputs Nixstrap cannot extend', () => {
  it('is refused, not corrupted, when its inputs are `{ … } // { … }`', async () => {
    const repo = committedRepo({
      'flake.nix': `{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
    home-manager.url = "github:nix-community/home-manager/release-24.05";
  } // { };
  outputs = { nixpkgs, ... }@inputs: {
    nixosConfigurations.old = nixpkgs.lib.nixosSystem { modules = [ ./hosts/old/configuration.nix ]; };
  };
}
`,
      'hosts/old/configuration.nix': '{ ... }:\n{\n  networking.hostName = "old";\n}\n',
    });
    const before = snapshot(repo);
    const wsl = wslFacts('winbox');
    await expect(
      computePlan({ journey: 'add-host', repo, facts: wsl, answers: answersFor(wsl) }),
    ).rejects.toMatchObject({
      error: {
        code: 'REPO_LAYOUT_UNKNOWN',
        message: expect.stringContaining('computes its inputs'),
      },
    });
    expect(snapshot(repo)).toEqual(before);
  });
});
