// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are Nix source, where ${ is Nix's own interpolation.
import { execFileSync } from 'node:child_process';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NixstrapFailure } from '../../common/result';
import { applyPlan, checkRepo, computePlan, inspectRepo, listHosts } from '../../main/core/repo';
import { pastedCommands } from '../helpers/pasted-commands';
import { addHost, OLD_HARDWARE, OLD_HOST, parses } from './helpers/foreign-repo';
import { answersFor, pcFacts, wslFacts } from './helpers/repo-machines';
import { expectAddHostRefused } from './helpers/repo-outcome';
import { committedRepo, gitCli, snapshot, tempDir } from './helpers/repo-trees';

/** A hand-written flake listing its hosts in an attribute set, with traps for a naive reader. */
const HOSTS_DIR_FLAKE = `{
  description = "my machines } { ;";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05"; # pinned }
    home-manager.url = "github:nix-community/home-manager/release-24.05";
  };

  outputs = { self, nixpkgs, home-manager, ... }@inputs:
    let
      motd = ''
        Welcome } ;  ''\${not interpolated} ''' nixosConfigurations = {
      '';
    in {
      /* hosts { live } below */
      nixosConfigurations = {
        # the old laptop
        old = nixpkgs.lib.nixosSystem {
          system = "x86_64-linux";
          specialArgs = { inherit inputs motd; };
          modules = [
            ./hosts/old/configuration.nix
            home-manager.nixosModules.home-manager
          ];
        };
      };
    };
}
`;

describe('add-host into a hosts/<name>/ repo with an explicit nixosConfigurations set', () => {
  it('places the host like its siblings, lists it in flake.nix and leaves the rest byte-identical', async () => {
    const repo = committedRepo({
      'flake.nix': HOSTS_DIR_FLAKE,
      'hosts/old/configuration.nix': OLD_HOST,
      'hosts/old/hardware-configuration.nix': OLD_HARDWARE,
    });
    const before = snapshot(repo);
    const { plan, result } = await addHost(repo);

    expect(plan.layout).toBe('hosts-dir');
    expect(plan.hostDir).toBe('hosts/newbox');
    const paths = plan.files.map((f) => f.path);
    expect(paths).toContain('hosts/newbox/configuration.nix');
    expect(paths).toContain('hosts/newbox/hardware-configuration.nix');
    expect(paths).toContain('modules/nixstrap/nixos/base.nix');
    expect(paths).toContain('modules/nixstrap/nixos.nix');
    expect(paths.some((p) => p.startsWith('hosts/nixos/'))).toBe(false);
    expect(paths.some((p) => p.startsWith('home/'))).toBe(false);

    const after = snapshot(repo);
    for (const path of ['hosts/old/configuration.nix', 'hosts/old/hardware-configuration.nix']) {
      expect(after[path]).toBe(before[path]);
    }
    const flake = after['flake.nix']!;
    parses(flake);
    expect(
      flake.startsWith(
        HOSTS_DIR_FLAKE.slice(0, HOSTS_DIR_FLAKE.indexOf('        # the old laptop')),
      ),
    ).toBe(true);
    expect(flake).toContain('newbox = nixpkgs.lib.nixosSystem {');
    expect(flake).toContain('./hosts/newbox/configuration.nix');
    expect(flake).toContain("''${not interpolated} '''");
    // The flake already gives its hosts Home Manager, so the shared module does not add it twice.
    expect(after['modules/nixstrap/nixos.nix']).not.toContain('home-manager.nixosModules');
    // The old entry is still there, unchanged.
    expect(flake).toContain('old = nixpkgs.lib.nixosSystem {\n          system = "x86_64-linux";');

    // Every file parses, every import resolves, every input the new host uses is declared.
    expect((await checkRepo(repo)).findings).toEqual([]);
    expect(after['hosts/newbox/configuration.nix']).toContain('../../modules/nixstrap/nixos.nix');
    expect(gitCli(repo, 'status', '--porcelain')).toBe('');
    expect(result.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(gitCli(repo, 'log', '-1', '--format=%s')).toBe('nixstrap: add host newbox\n');

    const hosts = await listHosts(repo);
    expect(hosts.map((h) => h.name)).toEqual(['newbox', 'old']);
    expect(hosts.find((h) => h.name === 'old')).toMatchObject({
      path: 'hosts/old',
      system: 'x86_64-linux',
    });
  });

  it('adds a missing input (nixos-wsl) inside the inputs block for a WSL host', async () => {
    const repo = committedRepo({
      'flake.nix': HOSTS_DIR_FLAKE,
      'hosts/old/configuration.nix': OLD_HOST,
      'hosts/old/hardware-configuration.nix': OLD_HARDWARE,
    });
    const { plan } = await addHost(repo, wslFacts('winbox'));
    const flake = readFileSync(join(repo, 'flake.nix'), 'utf8');
    parses(flake);
    expect(flake).toMatch(
      /inputs = \{[\s\S]*nixos-wsl = \{\n\s+url = "github:nix-community\/NixOS-WSL\/2405.5.4";[\s\S]*\};\n\s+\};\n\n\s+outputs/,
    );
    expect(plan.files.find((f) => f.path === 'flake.nix')?.diff).toContain('+    nixos-wsl = {');
  });
});

describe('add-host into a repo that lists hosts as nixosConfigurations.<name> bindings', () => {
  it('adds a binding shaped like the existing one, with inputs.X.url style inputs', async () => {
    const flake = `{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  outputs = { self, nixpkgs }: {
    nixosConfigurations.old = nixpkgs.lib.nixosSystem {
      modules = [ ./machines/old/configuration.nix ];
    };
  };
}
`;
    const repo = committedRepo({
      'flake.nix': flake,
      'machines/old/configuration.nix': OLD_HOST,
      'machines/old/hardware-configuration.nix': OLD_HARDWARE,
    });
    const { plan } = await addHost(repo);
    expect(plan.layout).toBe('machines-dir');
    const edited = readFileSync(join(repo, 'flake.nix'), 'utf8');
    parses(edited);
    expect(edited).toContain('inputs.home-manager = {');
    expect(edited).toContain('outputs = { self, nixpkgs, ... }@inputs: {');
    expect(edited).toContain(
      'nixosConfigurations.newbox = nixpkgs.lib.nixosSystem {\n      specialArgs = { inherit inputs; };\n      modules = [ ./machines/newbox/configuration.nix ];',
    );
    expect(snapshot(repo)['machines/old/configuration.nix']).toBe(OLD_HOST);
    expect((await checkRepo(repo)).findings).toEqual([]);
  });
});

describe('add-host into a hosts/<name>/ repo whose hosts share hosts/common', () => {
  it('keeps the shared folder in the new entry, and lists no host called common', async () => {
    const repo = committedRepo({
      'flake.nix': `{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  outputs = { nixpkgs, ... }@inputs: {
    nixosConfigurations = {
      old = nixpkgs.lib.nixosSystem {
        specialArgs = { inherit inputs; };
        modules = [ ./hosts/old ./hosts/common ];
      };
    };
  };
}
`,
      'hosts/old/default.nix': OLD_HOST,
      'hosts/old/hardware-configuration.nix': OLD_HARDWARE,
      'hosts/common/default.nix':
        '{ pkgs, ... }:\n{\n  environment.systemPackages = [ pkgs.git ];\n}\n',
    });
    await addHost(repo);
    const flake = readFileSync(join(repo, 'flake.nix'), 'utf8');
    expect(flake).toContain('modules = [ ./hosts/newbox ./hosts/common ];');
    expect((await listHosts(repo)).map((h) => h.name)).toEqual(['newbox', 'old']);
    expect((await checkRepo(repo)).findings).toEqual([]);
  });
});

describe('add-host into a hosts/<name>/ repo whose helper imports each host folder', () => {
  it('gives the new host the default.nix that `./hosts/${name}` reads', async () => {
    const flake = `{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.home-manager.url = "github:nix-community/home-manager/release-24.05";
  outputs = { nixpkgs, home-manager, ... }@inputs:
    let
      mkHost = name: nixpkgs.lib.nixosSystem {
        specialArgs = { inherit inputs; };
        modules = [ ./hosts/\${name} home-manager.nixosModules.home-manager ];
      };
    in
    {
      nixosConfigurations = {
        old = mkHost "old";
      };
    };
}
`;
    const repo = committedRepo({
      'flake.nix': flake,
      'hosts/old/default.nix':
        '{ ... }:\n{\n  imports = [ ./configuration.nix ./hardware-configuration.nix ];\n}\n',
      'hosts/old/configuration.nix': OLD_HOST.replace(
        'imports = [ ./hardware-configuration.nix ];',
        '',
      ),
      'hosts/old/hardware-configuration.nix': OLD_HARDWARE,
    });
    await addHost(repo);
    const edited = readFileSync(join(repo, 'flake.nix'), 'utf8');
    expect(edited).toContain('newbox = mkHost "newbox";');
    // Nix itself resolves the folder the helper imports, as nixosSystem would.
    const imported = execFileSync(
      'nix-instantiate',
      ['--eval', '--expr', `builtins.typeOf (import ${join(repo, 'hosts/newbox')})`],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    expect(imported.trim()).toBe('"lambda"');
    expect(readFileSync(join(repo, 'hosts/newbox/default.nix'), 'utf8')).toContain(
      './hardware-configuration.nix',
    );
    expect((await checkRepo(repo)).findings).toEqual([]);
    // The helper's entries name no path; each host is still its folder, with its system.
    expect(await listHosts(repo)).toEqual([
      { name: 'newbox', kind: 'nixos', path: 'hosts/newbox', system: 'x86_64-linux' },
      { name: 'old', kind: 'nixos', path: 'hosts/old', system: 'x86_64-linux' },
    ]);
  });
});

describe('add-host into a repo whose helper imports one named file of each host folder', () => {
  it('gives the new host the file `./hosts/${name}/configuration.nix` names, whatever else the folders hold', async () => {
    const repo = committedRepo({
      'flake.nix': `{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.home-manager.url = "github:nix-community/home-manager/release-24.05";
  outputs = { nixpkgs, home-manager, ... }@inputs:
    let
      mkHost = name: nixpkgs.lib.nixosSystem {
        specialArgs = { inherit inputs; };
        modules = [ ./hosts/\${name}/configuration.nix home-manager.nixosModules.home-manager ];
      };
    in
    {
      nixosConfigurations = {
        old = mkHost "old";
      };
    };
}
`,
      'hosts/old/default.nix': '{ ... }:\n{\n  imports = [ ./configuration.nix ];\n}\n',
      'hosts/old/configuration.nix': OLD_HOST,
      'hosts/old/hardware-configuration.nix': OLD_HARDWARE,
    });
    await addHost(repo);
    const tree = snapshot(repo);
    expect(tree['flake.nix']).toContain('newbox = mkHost "newbox";');
    expect(tree['hosts/newbox/configuration.nix']).toContain('./hardware-configuration.nix');
    expect(tree['hosts/newbox/default.nix']).toBeUndefined();
    expect((await checkRepo(repo)).findings).toEqual([]);
  });
});

describe('add-host into a Snowfall-style systems/<arch>/<host> repo', () => {
  it('puts the host under its system folder and leaves flake.nix alone (hosts are discovered)', async () => {
    const flake = `{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.home-manager.url = "github:nix-community/home-manager/release-24.05";
  inputs.snowfall-lib.url = "github:snowfallorg/lib";
  outputs = inputs: inputs.snowfall-lib.mkFlake { inherit inputs; src = ./.; };
}
`;
    const repo = committedRepo({
      'flake.nix': flake,
      'systems/x86_64-linux/old/default.nix': OLD_HOST.replace(
        'hardware-configuration',
        'hardware',
      ),
      'systems/x86_64-linux/old/hardware.nix': OLD_HARDWARE,
    });
    const { plan } = await addHost(repo);
    expect(plan.layout).toBe('systems-dir');
    expect(plan.hostDir).toBe('systems/x86_64-linux/newbox');
    const tree = snapshot(repo);
    expect(tree['flake.nix']).toBe(flake);
    expect(tree['systems/x86_64-linux/newbox/default.nix']).toContain('./hardware.nix');
    expect(tree['systems/x86_64-linux/newbox/hardware.nix']).toContain('fileSystems');
    expect(tree['systems/x86_64-linux/newbox/default.nix']).toContain(
      '../../../modules/nixstrap/nixos.nix',
    );
  });
});

describe('add-host of a name the flake already builds from other files', () => {
  it('refuses with HOST_EXISTS naming the entry and writes nothing', async () => {
    const repo = committedRepo({
      'flake.nix': `{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  outputs = { self, nixpkgs, ... }: {
    nixosConfigurations.old = nixpkgs.lib.nixosSystem {
      modules = [ ./configuration.nix ];
    };
  };
}
`,
      'configuration.nix': OLD_HOST,
      'hardware-configuration.nix': OLD_HARDWARE,
    });
    await expectAddHostRefused(repo, 'old', {
      code: 'HOST_EXISTS',
      message:
        'Host old already exists in this repo: flake.nix lists nixosConfigurations.old, built from configuration.nix.',
    });
  });

  it('is told by the inspection of the folder, before any plan', async () => {
    const repo = committedRepo({
      'flake.nix': HOSTS_DIR_FLAKE,
      'hosts/old/configuration.nix': OLD_HOST,
      'hosts/old/hardware-configuration.nix': OLD_HARDWARE,
    });
    expect((await inspectRepo(repo, 'add-host', 'old')).hostExists).toBe(true);
    expect((await inspectRepo(repo, 'add-host', 'newbox')).hostExists).toBe(false);
  });
});

describe('add-host of a name whose folder a hand-written repo already has', () => {
  it('says Nixstrap changes no host already there, and where the host name is changed', async () => {
    const repo = committedRepo({
      'flake.nix': HOSTS_DIR_FLAKE,
      'hosts/old/configuration.nix': OLD_HOST,
      'hosts/old/hardware-configuration.nix': OLD_HARDWARE,
    });
    await expectAddHostRefused(repo, 'old', {
      code: 'HOST_EXISTS',
      message:
        'Host old already exists in this repo (hosts/old/), and Nixstrap changes no host in a repo it did not lay out: it only adds new ones.',
      hint: 'Choose another host name (the Host name field in the app, hostName in the answers), or edit hosts/old/ by hand.',
    });
  });
});

describe('add-host into a lone configuration.nix without a flake', () => {
  it('gives the new host its own folder, keeps the old files, and writes a flake that builds both', async () => {
    const repo = committedRepo({
      'configuration.nix': OLD_HOST,
      'hardware-configuration.nix': OLD_HARDWARE,
    });
    const { plan } = await addHost(repo);
    expect(plan.layout).toBe('single-configuration');
    expect(plan.hostDir).toBe('hosts/newbox');
    expect(plan.steps.join(' ')).toMatch(/^flake\.nix is new: /);
    const tree = snapshot(repo);
    expect(tree['configuration.nix']).toBe(OLD_HOST);
    expect(tree['hardware-configuration.nix']).toBe(OLD_HARDWARE);
    expect(tree['hosts/newbox/configuration.nix']).toContain('./hardware-configuration.nix');
    const flake = tree['flake.nix']!;
    expect(flake).toMatch(/modules = \[\s*\.\/configuration\.nix\s*\];/);
    expect(flake).toMatch(/newbox = nixpkgs\.lib\.nixosSystem \{/);
    expect(flake).toContain('./hosts/newbox/configuration.nix');
    expect(await listHosts(repo)).toEqual([
      expect.objectContaining({ name: 'newbox' }),
      expect.objectContaining({ name: 'old', path: '.', system: 'x86_64-linux' }),
    ]);
    expect((await checkRepo(repo)).findings).toEqual([]);
  });
});

describe('add-host into a repo whose layout cannot be understood', () => {
  it('refuses with REPO_LAYOUT_UNKNOWN and writes nothing when hosts come from an unknown function', async () => {
    const repo = committedRepo({
      'flake.nix': `{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  outputs = { self, nixpkgs, ... }: {
    nixosConfigurations = import ./nix/mk-hosts.nix { inherit nixpkgs; };
  };
}
`,
      'hosts/old/configuration.nix': OLD_HOST,
      'nix/mk-hosts.nix': '{ nixpkgs }: { }\n',
    });
    const before = snapshot(repo);
    const attempt = computePlan({
      journey: 'add-host',
      repo,
      facts: pcFacts('newbox'),
      answers: answersFor(pcFacts('newbox')),
    });
    await expect(attempt).rejects.toBeInstanceOf(NixstrapFailure);
    await expect(attempt).rejects.toMatchObject({ error: { code: 'REPO_LAYOUT_UNKNOWN' } });
    await attempt.catch((e: NixstrapFailure) =>
      expect(e.error.message).toMatch(
        /builds nixosConfigurations from `import \.\/nix\/mk-hosts\.nix/,
      ),
    );
    expect(snapshot(repo)).toEqual(before);
  });

  it('refuses when each host is built by a helper that passes its modules no inputs', async () => {
    const repo = committedRepo({
      'flake.nix': `{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  outputs = { self, nixpkgs, ... }@inputs:
    let
      mk = name: nixpkgs.lib.nixosSystem { modules = [ ./machines/\${name} ]; };
    in {
      nixosConfigurations = {
        old = mk "old";
      };
    };
}
`,
      'machines/old/default.nix': OLD_HOST,
      'machines/old/hardware-configuration.nix': OLD_HARDWARE,
    });
    // The new host's modules import `inputs.sops-nix…`; only specialArgs can hand them over.
    await expectAddHostRefused(repo, 'newbox', {
      code: 'REPO_LAYOUT_UNKNOWN',
      message:
        "flake.nix builds old through a helper that gives its modules no `inputs` (no specialArgs) for the new host's modules to import from, which Nixstrap cannot extend safely.",
    });
  });

  it('refuses with REPO_LAYOUT_UNKNOWN when there are .nix files but no host folders', async () => {
    const repo = committedRepo({
      'shell.nix': '{ pkgs ? import <nixpkgs> { } }: pkgs.mkShell { }\n',
    });
    await expectAddHostRefused(repo, 'newbox', { code: 'REPO_LAYOUT_UNKNOWN' });
  });

  it('names the folder that holds the flake when it sits below the repo, in the plan and as the folder is typed', async () => {
    const repo = committedRepo({
      'dotfiles/bashrc': 'set -o vi\n',
      'nixos/flake.nix': HOSTS_DIR_FLAKE,
      'nixos/hosts/old/configuration.nix': OLD_HOST,
      'nixos/hosts/old/hardware-configuration.nix': OLD_HARDWARE,
    });
    const before = snapshot(repo);
    const facts = pcFacts('newbox');
    const expected = {
      code: 'REPO_LAYOUT_UNKNOWN',
      message: `${repo} has no flake.nix at its top: its flake is nixos/flake.nix, and new hosts go beside it.`,
      hint: `Choose the folder that holds your flake.nix: ${join(repo, 'nixos')}`,
    };
    await expect(
      computePlan({ journey: 'add-host', repo, facts, answers: answersFor(facts) }),
    ).rejects.toMatchObject({ error: expected });
    expect((await inspectRepo(repo, 'add-host', 'newbox')).problem).toEqual(expected);
    expect(snapshot(repo)).toEqual(before);
  });
});

describe('the git commands an add-host refusal asks the owner to paste are quoted for the shell', () => {
  /** Moves `repo` to a folder the shell would split or run: a space, a quote, a `$(…)`. */
  function awkwardlyNamed(repo: string): string {
    const moved = join(tempDir(), "my configs 'bob' $(echo pwned)");
    renameSync(repo, moved);
    return moved;
  }

  it('stashing the uncommitted flake.nix edits a write refuses to commit', async () => {
    const repo = awkwardlyNamed(
      committedRepo({
        'flake.nix': HOSTS_DIR_FLAKE,
        'hosts/old/configuration.nix': OLD_HOST,
        'hosts/old/hardware-configuration.nix': OLD_HARDWARE,
      }),
    );
    writeFileSync(join(repo, 'flake.nix'), HOSTS_DIR_FLAKE.replace('my machines', 'mine'));
    const refusal = await addHost(repo).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(NixstrapFailure);
    expect(pastedCommands((refusal as NixstrapFailure).error.hint)).toEqual([
      ['git', '-C', repo, 'stash'],
    ]);
  });

  it('finding the flake.nix a Nixstrap repo lost', async () => {
    const first = tempDir();
    const facts = pcFacts('first');
    await applyPlan(
      await computePlan({ journey: 'init', repo: first, facts, answers: answersFor(facts) }),
    );
    gitCli(first, 'rm', '-q', 'flake.nix');
    gitCli(first, 'commit', '-q', '-m', 'lost it');
    const repo = awkwardlyNamed(first);
    const refusal = await addHost(repo).catch((e: unknown) => e);
    expect((refusal as NixstrapFailure).error.code).toBe('REPO_LAYOUT_UNKNOWN');
    expect(pastedCommands((refusal as NixstrapFailure).error.hint)).toEqual([
      ['git', '-C', repo, 'log', '--oneline', '--', 'flake.nix'],
    ]);
  });
});
