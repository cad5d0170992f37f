// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are Nix source, where ${ is Nix's own interpolation.
import { execFileSync } from 'node:child_process';
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nixAvailable } from '../../main/core/nix';
import { checkRepo, computePlan, listHosts } from '../../main/core/repo';
import { addHost, OLD_HARDWARE, OLD_HOST, parses } from './helpers/foreign-repo';
import { answersFor, pcFacts, wslFacts } from './helpers/repo-machines';
import { expectAddHostRefused } from './helpers/repo-outcome';
import { commitAll, committedRepo, snapshot, tempDir } from './helpers/repo-trees';

/** A flake-parts flake that lists no hosts itself: its modules do. */
const flakeImporting = (imports: string) => `{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.home-manager.url = "github:nix-community/home-manager/release-24.05";
  inputs.flake-parts.url = "github:hercules-ci/flake-parts";
  outputs = inputs@{ flake-parts, ... }:
    flake-parts.lib.mkFlake { inherit inputs; } {
      systems = [ "x86_64-linux" ];
      imports = [ ${imports} ];
    };
}
`;

const OLD_MACHINE = {
  'hosts/old/configuration.nix': OLD_HOST,
  'hosts/old/hardware-configuration.nix': OLD_HARDWARE,
};

const BY_HAND =
  "Add the host to nixosConfigurations by hand where this flake defines its hosts; for this machine's files to start from, choose “Start a new config repo” with a new folder and copy its host folder over.";

/**
 * flake-parts is not available offline, so the edited flake is evaluated with a stand-in
 * `mkFlake` that does only what listing hosts needs: it loads the module flake.nix hands it
 * and every module those import (calling each with the arguments it asks for), and merges
 * their `flake.nixosConfigurations`. `nixosSystem` returns its arguments. The result: each
 * host's name, and whether every path its modules list exists.
 */
function evaluateHosts(repo: string): Record<string, boolean[]> {
  const program = `
    let
      mkFlake = { inputs }: top:
        let
          args = { inherit inputs; self = inputs.self; lib = { }; };
          load = m:
            let v = if builtins.isPath m then import m else m;
            in if builtins.isFunction v
              then v (builtins.intersectAttrs (builtins.functionArgs v) args)
              else v;
          collect = m: let v = load m; in [ v ] ++ builtins.concatMap collect (v.imports or [ ]);
        in {
          nixosConfigurations = builtins.foldl'
            (acc: v: acc // (v.flake.nixosConfigurations or { })) { } (collect top);
        };
      inputs = {
        nixpkgs.lib.nixosSystem = a: a;
        home-manager.nixosModules.home-manager = "home-manager module";
        flake-parts.lib.mkFlake = mkFlake;
        self = outputs // { inherit inputs; };
      };
      outputs = (import ${repo}/flake.nix).outputs inputs;
    in builtins.mapAttrs
      (name: host: map (m: builtins.isPath m && builtins.pathExists m) host.modules)
      outputs.nixosConfigurations`;
  const out = execFileSync('nix-instantiate', ['--eval', '--strict', '--json', '-E', program], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return JSON.parse(out);
}

describe('add-host into a flake-parts flake whose hosts live in an imported module', () => {
  it('lists the host in the module file, with paths from its folder, and leaves flake.nix alone', async () => {
    const module = `{ inputs, ... }:
{
  flake.nixosConfigurations.old = inputs.nixpkgs.lib.nixosSystem {
    modules = [
      ../hosts/old/configuration.nix
      inputs.home-manager.nixosModules.home-manager
    ];
  };
}
`;
    const repo = committedRepo({
      'flake.nix': flakeImporting('./parts/hosts.nix'),
      'parts/hosts.nix': module,
      ...OLD_MACHINE,
    });
    const before = snapshot(repo);
    const { plan } = await addHost(repo);

    expect(plan.hostDir).toBe('hosts/newbox');
    expect(plan.files.map((f) => f.path)).not.toContain('flake.nix');
    const listed = plan.files.find((f) => f.path === 'parts/hosts.nix')!;
    expect(listed.reason).toBe(
      'Lists host newbox in nixosConfigurations in parts/hosts.nix, shaped like the hosts already there; the rest of the file is unchanged.',
    );
    expect(listed.diff).toContain(
      '+  flake.nixosConfigurations.newbox = inputs.nixpkgs.lib.nixosSystem {',
    );

    const after = snapshot(repo);
    expect(after['flake.nix']).toBe(before['flake.nix']);
    for (const [path, content] of Object.entries(OLD_MACHINE)) expect(after[path]).toBe(content);
    expect(after['hosts/newbox/configuration.nix']).toContain('./hardware-configuration.nix');
    expect(after['hosts/newbox/hardware-configuration.nix']).toBeDefined();
    const edited = after['parts/hosts.nix']!;
    parses(edited);
    expect(edited).toBe(
      module.replace(
        '  };\n}\n',
        `  };
  flake.nixosConfigurations.newbox = inputs.nixpkgs.lib.nixosSystem {
    specialArgs = { inherit inputs; };
    modules = [
      ../hosts/newbox/configuration.nix
      inputs.home-manager.nixosModules.home-manager
    ];
  };
}
`,
      ),
    );
    // The module already gives its hosts Home Manager, so Nixstrap's module does not add it twice.
    expect(after['modules/nixstrap/nixos.nix']).not.toContain('home-manager.nixosModules');

    expect((await listHosts(repo)).map((h) => [h.name, h.path])).toEqual([
      ['newbox', 'hosts/newbox'],
      ['old', 'hosts/old'],
    ]);
    expect((await checkRepo(repo)).findings).toEqual([]);
    expect((await checkRepo(repo, 'newbox')).findings).toEqual([]);
    if (nixAvailable()) {
      expect(evaluateHosts(repo)).toEqual({ newbox: [true, false], old: [true, false] });
    }
  });

  it('lists the host in a folder module (its default.nix), in the set the module keeps', async () => {
    const repo = committedRepo({
      'flake.nix': flakeImporting('./hosts'),
      'hosts/default.nix': `{ inputs, ... }:
{
  flake = {
    nixosConfigurations = {
      old = inputs.nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./old/configuration.nix ];
      };
    };
  };
}
`,
      ...OLD_MACHINE,
    });
    const before = snapshot(repo);
    const { plan } = await addHost(repo);
    expect(plan.hostDir).toBe('hosts/newbox');
    const after = snapshot(repo);
    expect(after['flake.nix']).toBe(before['flake.nix']);
    const edited = after['hosts/default.nix']!;
    parses(edited);
    expect(edited).toContain(`      old = inputs.nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./old/configuration.nix ];
      };
      newbox = inputs.nixpkgs.lib.nixosSystem {
        specialArgs = { inherit inputs; };
        system = "x86_64-linux";
        modules = [ ./newbox/configuration.nix ];
      };
    };`);
    expect((await listHosts(repo)).map((h) => h.name)).toEqual(['newbox', 'old']);
    expect((await checkRepo(repo)).findings).toEqual([]);
    if (nixAvailable()) {
      expect(evaluateHosts(repo)).toEqual({ newbox: [true], old: [true] });
    }
    // Run again, the module lists the host already: nothing to write.
    const facts = pcFacts('newbox');
    const again = await computePlan({
      journey: 'add-host',
      repo,
      facts,
      answers: answersFor(facts),
    });
    expect(again.files.filter((f) => f.action !== 'unchanged')).toEqual([]);
  });

  it('keeps CRLF line ends in a module and a flake.nix written on Windows', async () => {
    const crlf = (text: string) => text.replace(/\n/g, '\r\n');
    const repo = committedRepo({
      'flake.nix': crlf(
        flakeImporting('./parts/hosts.nix').replace(/ {2}inputs\.home-manager.*\n/, ''),
      ),
      'parts/hosts.nix': crlf(`{ self, ... }:
{
  flake.nixosConfigurations.old = self.inputs.nixpkgs.lib.nixosSystem {
    modules = [ ../hosts/old/configuration.nix ];
  };
}
`),
      ...OLD_MACHINE,
    });
    await addHost(repo);
    const after = snapshot(repo);
    for (const file of ['flake.nix', 'parts/hosts.nix']) {
      const edited = after[file]!;
      parses(edited);
      expect(edited.replace(/\r\n/g, ''), file).not.toContain('\n');
    }
    expect(after['parts/hosts.nix']).toContain('flake.nixosConfigurations.newbox = ');
    expect(after['flake.nix']).toContain('home-manager');
    expect((await listHosts(repo)).map((h) => h.name)).toEqual(['newbox', 'old']);
  });

  it('follows a module that imports the hosts module, and declares a missing input in flake.nix', async () => {
    const repo = committedRepo({
      'flake.nix': flakeImporting('./parts'),
      'parts/default.nix': '{\n  imports = [ ./hosts.nix ];\n}\n',
      'parts/hosts.nix': `{ self, ... }:
{
  flake.nixosConfigurations = {
    old = self.inputs.nixpkgs.lib.nixosSystem {
      modules = [ ../hosts/old/configuration.nix ];
    };
  };
}
`,
      ...OLD_MACHINE,
    });
    const before = snapshot(repo);
    const { plan } = await addHost(repo, wslFacts('newbox'));

    const flake = plan.files.find((f) => f.path === 'flake.nix')!;
    expect(flake.reason).toBe('Declares the input nixos-wsl; the rest of flake.nix is unchanged.');
    const after = snapshot(repo);
    parses(after['flake.nix']!);
    expect(after['flake.nix']).toContain('inputs.nixos-wsl = {');
    expect(after['flake.nix']!.slice(after['flake.nix']!.indexOf('  outputs'))).toBe(
      before['flake.nix']!.slice(before['flake.nix']!.indexOf('  outputs')),
    );
    expect(after['parts/default.nix']).toBe(before['parts/default.nix']);
    const listed = plan.files.find((f) => f.path === 'parts/hosts.nix')!;
    // The module named no `inputs`; it takes them now, to hand them to the new host.
    expect(listed.reason).toBe(
      'Lists host newbox in nixosConfigurations in parts/hosts.nix, shaped like the hosts already there and takes `inputs` to hand them to it; the rest of the file is unchanged.',
    );
    const edited = after['parts/hosts.nix']!;
    parses(edited);
    expect(edited.startsWith('{ inputs, self, ... }:\n')).toBe(true);
    expect(edited).toContain(`    newbox = self.inputs.nixpkgs.lib.nixosSystem {
      specialArgs = { inherit inputs; };
      modules = [ ../hosts/newbox/configuration.nix ];
    };`);
    expect((await listHosts(repo)).map((h) => h.name)).toEqual(['newbox', 'old']);
    expect((await checkRepo(repo)).findings).toEqual([]);
    if (nixAvailable()) {
      expect(evaluateHosts(repo)).toEqual({ newbox: [true], old: [true] });
    }
  });
});

describe('add-host into a flake-parts flake whose hosts Nixstrap cannot follow', () => {
  const hostsModule = (name: string) => `{ inputs, ... }:
{
  flake.nixosConfigurations.${name} = inputs.nixpkgs.lib.nixosSystem {
    modules = [ ../hosts/${name}/configuration.nix ];
  };
}
`;

  it('refuses a module that computes its hosts, naming the module', async () => {
    const repo = committedRepo({
      'flake.nix': flakeImporting('./parts/hosts.nix'),
      'parts/hosts.nix': `{ inputs, ... }:
{
  flake.nixosConfigurations = inputs.nixpkgs.lib.genAttrs [ "old" ] (name:
    inputs.nixpkgs.lib.nixosSystem { modules = [ ../hosts/\${name}/configuration.nix ]; });
}
`,
      ...OLD_MACHINE,
    });
    await expectAddHostRefused(repo, 'newbox', {
      code: 'REPO_LAYOUT_UNKNOWN',
      message: expect.stringMatching(
        /^parts\/hosts\.nix builds nixosConfigurations from `inputs\.nixpkgs\.lib\.…`/,
      ),
      hint: BY_HAND,
    });
  });

  it('refuses hosts listed in several modules, naming them', async () => {
    const repo = committedRepo({
      'flake.nix': flakeImporting('./parts/a.nix ./parts/b.nix'),
      'parts/a.nix': hostsModule('old'),
      'parts/b.nix': hostsModule('other'),
      ...OLD_MACHINE,
      'hosts/other/configuration.nix': OLD_HOST,
    });
    await expectAddHostRefused(repo, 'newbox', {
      code: 'REPO_LAYOUT_UNKNOWN',
      message:
        'parts/a.nix and parts/b.nix each list hosts of this flake, so Nixstrap cannot tell which one a new host belongs in.',
      hint: BY_HAND,
    });
  });

  /** The refusal when flake.nix's modules cannot all be followed, saying why. */
  const unfollowed = (why: string) => ({
    code: 'REPO_LAYOUT_UNKNOWN',
    message: `flake.nix lists no hosts itself, and ${why}, so Nixstrap cannot tell where the flake lists its hosts.`,
    hint: BY_HAND,
  });
  const builtImports = unfollowed(
    'the imports list of flake.nix is built by an expression, not written out',
  );

  it('refuses imports built by a function, saying so', async () => {
    const repo = committedRepo({
      'flake.nix': flakeImporting('').replace(
        'imports = [  ];',
        'imports = map (f: ./parts + "/${f}") [ "hosts.nix" ];',
      ),
      'parts/hosts.nix': hostsModule('old'),
      ...OLD_MACHINE,
    });
    await expectAddHostRefused(repo, 'newbox', builtImports);
  });

  it('refuses a module passed through a function in the imports list, saying so', async () => {
    const repo = committedRepo({
      'flake.nix': flakeImporting('(import ./parts/hosts.nix)'),
      'parts/hosts.nix': hostsModule('old'),
      ...OLD_MACHINE,
    });
    await expectAddHostRefused(repo, 'newbox', builtImports);
  });

  it('follows imports three modules deep, no deeper', async () => {
    const chain = (levels: number) => {
      const files: Record<string, string> = { 'flake.nix': flakeImporting('./parts/m1.nix') };
      for (let i = 1; i < levels; i++)
        files[`parts/m${i}.nix`] = `{ imports = [ ./m${i + 1}.nix ]; }\n`;
      files[`parts/m${levels}.nix`] = hostsModule('old');
      return committedRepo({ ...files, ...OLD_MACHINE });
    };
    const { plan } = await addHost(chain(3));
    expect(plan.files.map((f) => f.path)).toContain('parts/m3.nix');
    await expectAddHostRefused(
      chain(4),
      'newbox',
      unfollowed('parts/m3.nix imports modules more than 3 levels below flake.nix'),
    );
  });

  it('does not follow a module that is a link out of the repo', async () => {
    const outside = tempDir('nixstrap-outside-');
    writeFileSync(join(outside, 'hosts.nix'), hostsModule('old'));
    const repo = committedRepo({
      'flake.nix': flakeImporting('./parts/hosts.nix'),
      ...OLD_MACHINE,
    });
    symlinkSync(outside, join(repo, 'parts'));
    commitAll(repo, 'parts');
    await expectAddHostRefused(repo, 'newbox', {
      ...builtImports,
      message:
        'parts/hosts.nix, a module this flake imports, is reached through a symbolic link, which Nixstrap does not follow (it could lead out of the repo), so it cannot tell where the flake lists its hosts.',
    });
    expect(snapshot(outside)).toEqual({ 'hosts.nix': hostsModule('old') });
  });
});
