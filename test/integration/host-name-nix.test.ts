// biome-ignore-all lint/suspicious/noTemplateCurlyInString: hostile names contain ${ on purpose.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertFlakeUser, HOST_NAME } from '../../common/host-name';
import { nixAttrName, nixAvailable, nixString } from '../../main/core/nix';
import { standInEnv } from '../helpers/stand-in-flake';

/** networking.hostName's type in nixos/modules/tasks/network-interfaces.nix, as NixOS writes it. */
const NIXOS_RULE = '^$|^[[:alnum:]]([[:alnum:]_-]{0,61}[[:alnum:]])?$';

const NAMES = [
  'a',
  'web-1',
  'Web',
  'My_Laptop-2',
  'x'.repeat(63),
  'x'.repeat(64),
  '-a',
  'a-',
  '_a',
  'a_',
  'demo#x',
  'demo"x',
  "it's",
  'my host',
  'tab\there',
  'bell\u0007',
  'a?b',
  'a/b',
  '.hidden',
  'web.example.com',
  'café',
  '${x}',
];

/**
 * A git-tracked flake whose `output` holds one attribute per name, made by the Nix function
 * `entry` (name → { name; value; }): the names travel as JSON, so none is written as Nix.
 */
function flakeOfNames(output: string, entry: string, names: readonly string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nixstrap-flake-names-'));
  fs.writeFileSync(path.join(dir, 'names.json'), JSON.stringify(names));
  fs.writeFileSync(
    path.join(dir, 'flake.nix'),
    `{ outputs = _: { ${output} = builtins.listToAttrs (map (${entry}) (builtins.fromJSON (builtins.readFile ./names.json))); }; }\n`,
  );
  execFileSync('git', ['init', '-q', dir]);
  execFileSync('git', ['-C', dir, 'add', '.']);
  return dir;
}

describe.skipIf(!nixAvailable())('the host-name rule is NixOS’s own', () => {
  it('takes and refuses each name as Nix matches it against networking.hostName’s type', () => {
    const expression = `map (name: builtins.match ${nixString(NIXOS_RULE)} name != null) (builtins.fromJSON ${nixString(JSON.stringify(NAMES))})`;
    const byNix = JSON.parse(
      execFileSync('nix-instantiate', ['--eval', '--strict', '--json', '--expr', expression], {
        encoding: 'utf8',
      }),
    );
    expect(NAMES.map((name) => HOST_NAME.test(name))).toEqual(byNix);
  });

  it('builds a flake address Nix parses for every name it takes', () => {
    const taken = NAMES.filter((name) => HOST_NAME.test(name));
    const dir = flakeOfNames('nixosConfigurations', 'name: { inherit name; value = name; }', taken);
    const env = standInEnv();
    for (const name of [...taken, 'demo#x']) {
      const run = spawnSync(
        'nix',
        ['eval', '--raw', `${dir}#nixosConfigurations.${nixAttrName(name)}`],
        { encoding: 'utf8', env },
      );
      if (name === 'demo#x') {
        // What every host name the rule refuses would meet, at build time.
        expect(run.stderr).toContain('is not a valid URL');
      } else {
        expect({ name, out: run.stdout, status: run.status }).toEqual({
          name,
          out: name,
          status: 0,
        });
      }
    }
  });

  it('refuses exactly the Home Manager users whose flake address Nix cannot parse', () => {
    const users = [
      'alice',
      'john.doe',
      'A B',
      "o'neil",
      'a+b',
      'a$b',
      'a~b',
      'a#b',
      'a%b',
      'a"b',
      'a\\b',
      'a[b',
      'a{b',
      'a^b',
      'a|b',
      'a`b',
      'josé',
      'tab\there',
    ];
    const dir = flakeOfNames(
      'homeConfigurations',
      'user: { name = "${user}@h"; value = user; }',
      users,
    );
    const env = standInEnv();
    const parsedByNix = users.map((user) => {
      const run = spawnSync(
        'nix',
        ['eval', '--raw', `${dir}#homeConfigurations.${nixString(`${user}@h`)}`],
        { encoding: 'utf8', env },
      );
      if (run.status !== 0) expect(run.stderr, user).toContain('is not a valid URL');
      else expect(run.stdout).toBe(user);
      return run.status === 0;
    });
    const takenByRule = users.map((user) => {
      try {
        assertFlakeUser(user, 'unused');
        return true;
      } catch {
        return false;
      }
    });
    expect(takenByRule).toEqual(parsedByNix);
    expect(parsedByNix).toContain(false);
  });
});
