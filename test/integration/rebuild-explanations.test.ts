// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are Nix source, where ${ is Nix's own interpolation.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Explanation } from '../../common';
import { startRun } from '../../main/core/rebuild';
import { pastedCommands } from '../helpers/pasted-commands';
import { makeStandInFlake, STAND_IN_NIX_CONFIG, standInEnv } from '../helpers/stand-in-flake';
import { tempDir } from './helpers/cli';
import { rebuildDirs } from './helpers/rebuild';

/** A git repo with these files committed, and `untracked` written but never added. */
function flakeRepo(files: Record<string, string>, untracked: Record<string, string> = {}): string {
  const dir = tempDir('explain-flake');
  const write = (entries: Record<string, string>) => {
    for (const [file, text] of Object.entries(entries)) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    }
  };
  write(files);
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: dir,
      stdio: 'ignore',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'T',
        GIT_AUTHOR_EMAIL: 't@e',
        GIT_COMMITTER_NAME: 'T',
        GIT_COMMITTER_EMAIL: 't@e',
      },
    });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', 'test');
  write(untracked);
  return dir;
}

/** A toplevel for host demo whose value is `expr` (Nix source). */
function toplevelFlake(expr: string): string {
  return `{ outputs = { self }: { nixosConfigurations.demo.config.system.build.toplevel = ${expr}; }; }\n`;
}

async function explain(
  repo: string,
  host = 'demo',
  env: NodeJS.ProcessEnv = standInEnv(),
): Promise<Explanation | null | undefined> {
  const { dataDir, profile } = rebuildDirs('explain');
  const run = await startRun({
    dataDir,
    repo,
    host,
    action: 'build',
    profile,
    confirm: 'yes',
    env,
  });
  const result = await run.done;
  expect(result.status).toBe('failed');
  return result.explanation;
}

describe('failures explained from real Nix 2.8 output', () => {
  it('a repo whose path has a space, which this Nix reads as the end of its address', async () => {
    const flake = makeStandInFlake(
      { demo: {} },
      { dir: path.join(tempDir('explain'), 'my config') },
    );
    expect(await explain(flake.dir)).toMatchObject({
      kind: 'flake-path-spaces',
      message: expect.stringContaining(`${flake.dir}: its path has a space`),
    });
  });

  it('a repo whose path has a "#" or a "?", which start the attribute and the options of a flake’s address', async () => {
    for (const [name, mark, starts] of [
      ['my#config', '#', 'the name of what to build'],
      ['my?config', '?', "the flake's options"],
    ]) {
      const flake = makeStandInFlake({ demo: {} }, { dir: path.join(tempDir('explain'), name!) });
      expect(await explain(flake.dir)).toEqual({
        kind: 'flake-path-marks',
        message: `Nix cannot build a flake from ${flake.dir}: its path has a "${mark}", which in a flake's address starts ${starts}.`,
        hint: 'Move the repo (or link it) to a path without "#" or "?", e.g. ~/nixos-config, and run again from there.',
      });
    }
  });

  it('a host name that is not in the flake', async () => {
    const flake = makeStandInFlake({ demo: {} });
    expect(await explain(flake.dir, 'dmeo')).toMatchObject({
      kind: 'attribute-missing',
      message: `The flake in ${flake.dir} has no configuration called "dmeo" (nixosConfigurations.dmeo.config.system.build.toplevel).`,
      hint: expect.stringContaining(`choose one of the hosts of ${flake.dir}.`),
    });
  });

  it('a file the configuration imports that git does not track', async () => {
    const repo = flakeRepo(
      { 'flake.nix': toplevelFlake('import ./hosts/demo/extra.nix') },
      {
        'hosts/demo/extra.nix':
          'builtins.derivation { name = "x"; system = "x86_64-linux"; builder = "/bin/sh"; }\n',
      },
    );
    expect(await explain(repo)).toMatchObject({
      kind: 'untracked-files',
      message:
        'hosts/demo/extra.nix is not tracked by git, so the flake cannot see it (a flake only copies what git knows).',
      hint: `Run \`git -C ${repo} add hosts/demo/extra.nix\` (no commit needed), then run again.`,
    });
  });

  it('an untracked file whose name the shell would split: the git add to paste is quoted', async () => {
    const repo = flakeRepo(
      { 'flake.nix': toplevelFlake('import (./hosts/demo + "/it\'s extra.nix")') },
      {
        "hosts/demo/it's extra.nix":
          'builtins.derivation { name = "x"; system = "x86_64-linux"; builder = "/bin/sh"; }\n',
      },
    );
    const explanation = await explain(repo);
    expect(explanation?.kind).toBe('untracked-files');
    expect(pastedCommands(explanation!.hint)).toEqual([
      ['git', '-C', repo, 'add', "hosts/demo/it's extra.nix"],
    ]);
  });

  it('flakes turned off in the user’s Nix settings', async () => {
    const flake = makeStandInFlake({ demo: {} });
    const config = STAND_IN_NIX_CONFIG.replace('nix-command flakes', 'nix-command');
    const explanation = await explain(flake.dir, 'demo', standInEnv({ NIX_CONFIG: config }));
    expect(explanation).toMatchObject({
      kind: 'experimental-features-off',
      message:
        "This Nix has the experimental feature 'flakes' turned off, and building a flake needs it.",
    });
  });

  it('build users that do not exist (Debian’s nix-bin without the nixbld group)', async () => {
    const flake = makeStandInFlake({ demo: {} });
    const config = STAND_IN_NIX_CONFIG.replace('build-users-group =', 'build-users-group = nixbld');
    const explanation = await explain(flake.dir, 'demo', standInEnv({ NIX_CONFIG: config }));
    expect(explanation).toMatchObject({
      kind: 'build-users-missing',
      message:
        "This Nix is set to build as the users of the group 'nixbld', which does not exist on this machine.",
      hint: expect.stringContaining('build-users-group ='),
    });
  });

  it('a fixed-output derivation whose hash does not match', async () => {
    const repo = flakeRepo({
      'flake.nix': toplevelFlake(`builtins.derivation {
        name = "source-1.0.tar.gz"; system = "x86_64-linux"; builder = "/bin/sh"; PATH = "/usr/bin:/bin";
        salt = "${Date.now()}";
        args = [ "-c" "echo different content > $out" ];
        outputHashMode = "flat"; outputHashAlgo = "sha256";
        outputHash = "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
      }`),
    });
    const explanation = await explain(repo);
    expect(explanation).toMatchObject({
      kind: 'hash-mismatch',
      message: expect.stringMatching(
        /^The source source-1\.0\.tar\.gz did not match its expected hash \(expected sha256-47DEQpj8HBSa\+\/TImW\+5JCeuQeRkm5NMpJWZG3hSuFU=, got sha256-\S+\)\.$/,
      ),
      drv: expect.stringMatching(/-source-1\.0\.tar\.gz\.drv$/),
    });
  });

  it('infinite recursion, with where it happened', async () => {
    const repo = flakeRepo({
      'flake.nix': toplevelFlake('import ./hosts/demo/configuration.nix'),
      'hosts/demo/configuration.nix': 'let\n  cfg = { enable = cfg.enable; };\nin\ncfg.enable\n',
    });
    expect(await explain(repo)).toMatchObject({
      kind: 'infinite-recursion',
      message: expect.stringMatching(/^Evaluating the configuration ran into infinite recursion/),
    });
  });

  it('an option that does not exist, named with the file that sets it', async () => {
    // The module system's own wording, thrown from the configuration as NixOS would.
    const repo = flakeRepo({
      'flake.nix': toplevelFlake('import ./hosts/demo/configuration.nix'),
      'hosts/demo/configuration.nix':
        'throw "The option `services.frobnicator.enable\' does not exist. Definition values:\\n- In `${toString ./configuration.nix}\': true"\n',
    });
    expect(await explain(repo)).toMatchObject({
      kind: 'option-missing',
      message:
        'The configuration sets the option services.frobnicator.enable (set in hosts/demo/configuration.nix), which does not exist in this NixOS release.',
    });
  });

  it('a syntax error, named with its file, line and column in the repo', async () => {
    const repo = flakeRepo({
      'flake.nix': toplevelFlake('import ./hosts/demo/configuration.nix'),
      'hosts/demo/configuration.nix':
        '{\n  networking.hostName = "demo"\n  time.timeZone = "UTC";\n}\n',
    });
    expect(await explain(repo)).toMatchObject({
      kind: 'syntax-error',
      message:
        "hosts/demo/configuration.nix has a syntax error at line 3, column 17: unexpected '=', expecting ';'.",
      hint: `Fix it there (often a missing ; or bracket just before that point); \`nix-instantiate --parse ${repo}/hosts/demo/configuration.nix\` checks that file alone.`,
    });
  });

  it('any other evaluation error says where it happened in the repo', async () => {
    const repo = flakeRepo({
      'flake.nix': toplevelFlake('import ./hosts/demo/configuration.nix'),
      'hosts/demo/configuration.nix': '{\n  environment.systemPackages = [ pkgs.hello ];\n}\n',
    });
    expect(await explain(repo)).toMatchObject({
      kind: 'failed',
      message:
        "The build step failed: undefined variable 'pkgs' (at hosts/demo/configuration.nix, line 2, column 34).",
    });
  });

  it('a build result that is not a system', async () => {
    const repo = flakeRepo({
      'flake.nix': toplevelFlake(
        `builtins.derivation { name = "just-a-file"; system = "x86_64-linux"; builder = "/bin/sh"; PATH = "/usr/bin:/bin"; salt = "${Date.now()}"; args = [ "-c" "echo hi > $out" ]; }`,
      ),
    });
    expect(await explain(repo)).toMatchObject({
      kind: 'not-a-system',
      message: expect.stringMatching(
        /which is not a nixos system: it has no bin\/switch-to-configuration or nixos-version\.$/,
      ),
    });
  });

  it('Nix missing from PATH', async () => {
    const flake = makeStandInFlake({ demo: {} });
    expect(await explain(flake.dir, 'demo', standInEnv({ PATH: '/nonexistent' }))).toMatchObject({
      kind: 'command-not-found',
      message: 'nix is not installed here (or not on PATH).',
    });
  });
});
