import { describe, expect, it } from 'vitest';
import { nixRepoPath } from '../../main/core/nix/literal';
import { readSyntax } from '../../main/core/nix/syntax';
import {
  addHostEntry,
  addInputs,
  bindInputsInOutputs,
  declaredInputs,
  flakeHostEntries,
  inputDefinitions,
  type NewHostEntry,
} from '../../main/core/repo/flake';
import { applyEdits } from '../../main/core/repo/flake/edit';
import { moduleBody, moduleInputs } from '../../main/core/repo/flake/module-shape';

const entry = (over: Partial<NewHostEntry> = {}): NewHostEntry => ({
  attr: 'nixosConfigurations',
  name: 'newbox',
  system: 'aarch64-linux',
  entryPath: 'hosts/newbox/configuration.nix',
  mapPath: (p) => (p.startsWith('hosts/old') ? p.replace('hosts/old', 'hosts/newbox') : null),
  hostFiles: ['hosts/newbox/configuration.nix', 'hosts/newbox/hardware-configuration.nix'],
  ...over,
});

const flakeFile = (source: string) => ({ path: 'flake.nix', source });

describe('reading a flake’s inputs', () => {
  it('finds inputs declared in a block and as inputs.X bindings, with their definitions', () => {
    const flake = `{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs";
    # WSL support
    nixos-wsl = {
      url = "github:nix-community/NixOS-WSL/main";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };
  inputs.extra.url = "path:./x";
  outputs = _: { };
}`;
    expect(declaredInputs(flake)).toEqual(['nixpkgs', 'nixos-wsl', 'extra']);
    expect(inputDefinitions(flake).get('nixos-wsl')).toBe(
      '# WSL support\nnixos-wsl = {\n  url = "github:nix-community/NixOS-WSL/main";\n  inputs.nixpkgs.follows = "nixpkgs";\n};',
    );
  });
});

describe('adding inputs to a flake', () => {
  it('appends inputs.X bindings after the last one when the flake has no inputs block', () => {
    const flake = '{\n  inputs.nixpkgs.url = "a"; # pinned\n  outputs = { nixpkgs }: { };\n}\n';
    const out = addInputs(flake, new Map([['home-manager', 'home-manager.url = "b";']]));
    expect(out).toBe(
      '{\n  inputs.nixpkgs.url = "a"; # pinned\n  inputs.home-manager.url = "b";\n  outputs = { nixpkgs }: { };\n}\n',
    );
  });

  it('lets outputs accept the new input and bind all inputs to a name', () => {
    const flake = '{\n  outputs =\n    {\n      self,\n      nixpkgs,\n    }:\n    { };\n}\n';
    const { source, inputsName } = bindInputsInOutputs(flake);
    expect(inputsName).toBe('inputs');
    expect(source).toBe(
      '{\n  outputs =\n    {\n      self,\n      nixpkgs, ...\n    }@inputs:\n    { };\n}\n',
    );
    readSyntax(source);
  });
});

describe('editing a file whose lines end in CRLF', () => {
  const bareLineFeeds = (text: string) => text.replace(/\r\n/g, '').includes('\n');

  it('ends the inputs it adds in CRLF too', () => {
    const flake = '{\r\n  inputs.nixpkgs.url = "a";\r\n  outputs = { nixpkgs }: { };\r\n}\r\n';
    const out = addInputs(flake, new Map([['home-manager', 'home-manager = {\n  url = "b";\n};']]));
    expect(out).toContain('inputs.home-manager = {\r\n');
    expect(bareLineFeeds(out)).toBe(false);
  });

  it('ends the lines of a new host entry in a flake-parts module in CRLF too', () => {
    const module = [
      '{ inputs, ... }:',
      '{',
      '  flake.nixosConfigurations.old = inputs.nixpkgs.lib.nixosSystem {',
      '    modules = [ ../hosts/old/configuration.nix ];',
      '  };',
      '}',
      '',
    ].join('\r\n');
    const out = addHostEntry({ path: 'parts/hosts.nix', source: module }, entry(), 'inputs');
    expect(out).toContain('specialArgs = { inherit inputs; };\r\n');
    expect(bareLineFeeds(out)).toBe(false);
  });

  it('leaves a file of LF line ends as it was', () => {
    expect(applyEdits('{\n}\n', [{ start: 1, end: 1, text: '\n  a = 1;' }])).toBe(
      '{\n  a = 1;\n}\n',
    );
  });
});

describe('adding a host entry to a flake', () => {
  it('copies a helper-call entry, replacing the host name where it appears as a string', () => {
    const flake = `{
  outputs = inputs: let mkHost = name: { specialArgs = { inherit inputs; }; }; in {
    nixosConfigurations = {
      old = mkHost "old";
    };
  };
}`;
    const out = addHostEntry(flakeFile(flake), entry(), 'inputs');
    expect(out).toContain('      old = mkHost "old";\n      newbox = mkHost "newbox";\n    };');
    expect(flakeHostEntries(out).map((e) => e.name)).toEqual(['old', 'newbox']);
  });

  it('replaces the model host’s system and adds specialArgs when it had none', () => {
    const flake = `{
  outputs = { nixpkgs, ... }@attrs: {
    nixosConfigurations.old = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [ ./hosts/old ];
    };
  };
}`;
    const out = addHostEntry(flakeFile(flake), entry(), 'attrs');
    expect(out).toContain(`    nixosConfigurations.newbox = nixpkgs.lib.nixosSystem {
      specialArgs = { inputs = attrs; };
      system = "aarch64-linux";
      modules = [ ./hosts/newbox ];
    };`);
  });

  it('writes a plain entry into an empty set, quoting names that need it', () => {
    const flake = '{\n  outputs = inputs: {\n    nixosConfigurations = { };\n  };\n}\n';
    const out = addHostEntry(
      flakeFile(flake),
      entry({ name: '9box', entryPath: 'hosts/9box/configuration.nix' }),
      'inputs',
    );
    expect(out).toContain('"9box" = inputs.nixpkgs.lib.nixosSystem {');
    expect(out).toContain('modules = [ ./hosts/9box/configuration.nix ];');
    readSyntax(out);
  });

  it('refuses hosts built by an expression it cannot extend, and an existing name', () => {
    const computed = '{ outputs = inputs: { nixosConfigurations = builtins.mapAttrs f hosts; }; }';
    expect(() => addHostEntry(flakeFile(computed), entry(), 'inputs')).toThrow(
      /cannot extend safely/,
    );
    const taken = '{ outputs = inputs: { nixosConfigurations.newbox = x; }; }';
    expect(() => addHostEntry(flakeFile(taken), entry(), 'inputs')).toThrow(
      /already has nixosConfigurations\.newbox/,
    );
  });
});

describe('copying an existing host entry for the new machine', () => {
  it('keeps shared modules and drops what belongs to the other machine', () => {
    const flake = `{
  outputs = { nixpkgs, nixos-hardware, home-manager, ... }: {
    nixosConfigurations = {
      old = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [
          ./hosts/old/configuration.nix
          ./hosts/old/extra-disk.nix
          ./hardware/old.nix
          nixos-hardware.nixosModules.lenovo-thinkpad-t480
          { networking.hostName = "old"; }
          ./modules/common.nix
          home-manager.nixosModules.home-manager
        ];
      };
    };
  };
}`;
    const out = addHostEntry(flakeFile(flake), entry(), 'inputs');
    const added = out.slice(out.indexOf('newbox ='));
    expect(added).toContain('./hosts/newbox/configuration.nix');
    expect(added).toContain('./modules/common.nix');
    expect(added).toContain('home-manager.nixosModules.home-manager');
    for (const gone of [
      'extra-disk',
      './hardware/old.nix',
      'nixos-hardware',
      '"old"',
      '"newbox"; }',
    ]) {
      expect(added).not.toContain(gone);
    }
    expect(out.slice(0, out.indexOf('newbox ='))).toContain('./hardware/old.nix');
    expect(() => readSyntax(out)).not.toThrow();
  });
});

describe('adding a host entry to a flake-parts module', () => {
  const moduleFile = (source: string) => ({ path: 'parts/hosts.nix', source });

  it('writes the new entry’s paths from the module’s folder, under the bindings’ own prefix', () => {
    const module = `{ inputs, ... }:
{
  flake.nixosConfigurations.old = inputs.nixpkgs.lib.nixosSystem {
    modules = [ ../hosts/old/configuration.nix ];
  };
}`;
    const out = addHostEntry(moduleFile(module), entry(), 'inputs');
    expect(out).toContain('flake.nixosConfigurations.newbox = inputs.nixpkgs.lib.nixosSystem {');
    expect(out).toContain('modules = [ ../hosts/newbox/configuration.nix ];');
    expect(flakeHostEntries(out, 'parts').map((e) => [e.name, e.paths])).toEqual([
      ['old', ['hosts/old/configuration.nix']],
      ['newbox', ['hosts/newbox/configuration.nix']],
    ]);
  });

  it('adds `flake.<attr>` to the module’s body when it lists hosts of the other kind only', () => {
    const module = `{ inputs, ... }:
let shared = [ ];
in {
  flake.nixosConfigurations.old = inputs.nixpkgs.lib.nixosSystem { modules = shared; };
}`;
    const mac = entry({
      attr: 'darwinConfigurations',
      name: 'mac',
      entryPath: 'hosts/mac/configuration.nix',
    });
    const out = addHostEntry(moduleFile(module), mac, 'inputs');
    expect(out).toContain(`  flake.darwinConfigurations = {
    mac = inputs.nix-darwin.lib.darwinSystem {
      specialArgs = { inherit inputs; };
      modules = [ ../hosts/mac/configuration.nix ];
    };
  };
}`);
    readSyntax(out);
  });

  it('refuses a module whose body is no attribute set, naming the module', () => {
    const module = '{ lib, ... }: lib.mkMerge [ { flake.darwinConfigurations = { }; } ]';
    expect(() => addHostEntry(moduleFile(module), entry(), 'inputs')).toThrow(
      'parts/hosts.nix has no nixosConfigurations and the module is not a plain attribute set, which Nixstrap cannot extend safely.',
    );
  });
});

describe('a flake-parts module taking the flake’s inputs', () => {
  const edited = (source: string) => {
    const inputs = moduleInputs(readSyntax(source));
    return inputs === null ? null : applyEdits(source, inputs.edits);
  };

  it('adds `inputs` to the arguments a module names, and to no module that names it', () => {
    expect(edited('{ self, ... }: { }')).toBe('{ inputs, self, ... }: { }');
    expect(edited('args@{ lib }: { }')).toBe('args@{ inputs, lib }: { }');
    expect(edited('{ }: { }')).toBe('{ inputs }: { }');
    expect(edited('{ inputs, ... }@args: { }')).toBe('{ inputs, ... }@args: { }');
  });

  it('makes a plain attribute set a module function below its heading comment', () => {
    expect(edited('# hosts\n{ flake = { }; }')).toBe('# hosts\n{ inputs, ... }:\n{ flake = { }; }');
  });

  it('leaves a module that takes its arguments as one name to the user', () => {
    expect(edited('args: { }')).toBeNull();
  });

  it('finds the body through a function head, `let` and parentheses, and nothing else', () => {
    const body = (source: string) => {
      const syn = readSyntax(source);
      const at = moduleBody(syn, 0, syn.tokens.length);
      return at === null ? null : syn.tokens[at]!.start;
    };
    const wrapped = '({ inputs, ... }: let x = { }; in { a = x; })';
    expect(body(wrapped)).toBe(wrapped.indexOf('{ a'));
    expect(body('{ a = 1; } // { b = 2; }')).toBeNull();
    expect(body('import ./x.nix')).toBeNull();
  });
});

describe('a repo path written from another folder', () => {
  it('climbs out of the folder, and quotes names a path literal cannot hold', () => {
    expect(nixRepoPath('hosts/a/configuration.nix', 'parts').text).toBe(
      '../hosts/a/configuration.nix',
    );
    expect(nixRepoPath('hosts/a b/configuration.nix', 'parts/x').text).toBe(
      '(../.. + "/hosts/a b/configuration.nix")',
    );
    expect(nixRepoPath('parts', 'parts/x').text).toBe('./..');
    expect(nixRepoPath('hosts/a/configuration.nix').text).toBe('./hosts/a/configuration.nix');
  });
});
