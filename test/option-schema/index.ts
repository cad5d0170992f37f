import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ReleaseName } from '../../common/answers';
import { DARWIN_EXTERNALS, DARWIN_OPTIONS, HOME_OPTIONS } from './darwin-home';
import { type Definition, evaluateHomeModule, evaluateRepo } from './evaluate';
import { NIXOS_EXTERNALS, NIXOS_OPTIONS, SUBMODULES } from './nixos';
import { checkDefinitions, type ExternalModule, type Finding } from './schema';
import { INPUT_URLS, stubsFor } from './stubs';

export type { Finding } from './schema';

/**
 * nixos-hardware's modules, as its flake.nix names them (read at master, August 2026): the
 * profiles the generator may import. They set hardware defaults the templates never touch.
 */
const NIXOS_HARDWARE = [
  'raspberry-pi-2',
  'raspberry-pi-3',
  'raspberry-pi-4',
  'raspberry-pi-5',
  'lenovo-thinkpad-t410',
  'lenovo-thinkpad-t420',
  'lenovo-thinkpad-t430',
  'lenovo-thinkpad-t440p',
  'lenovo-thinkpad-t440s',
  'lenovo-thinkpad-t450s',
  'lenovo-thinkpad-t460',
  'lenovo-thinkpad-t460p',
  'lenovo-thinkpad-t460s',
  'lenovo-thinkpad-t470s',
  'lenovo-thinkpad-t480',
  'lenovo-thinkpad-t480s',
  'lenovo-thinkpad-t490',
  'lenovo-thinkpad-t490s',
  'lenovo-thinkpad-t495',
  'lenovo-thinkpad-t520',
  'lenovo-thinkpad-t550',
  'lenovo-thinkpad-t590',
  'lenovo-thinkpad-w520',
  'lenovo-thinkpad-x220',
  'lenovo-thinkpad-x230',
  'lenovo-thinkpad-x250',
  'lenovo-thinkpad-x260',
  'lenovo-thinkpad-x270',
  'lenovo-thinkpad-x280',
  'lenovo-thinkpad-x390',
  'lenovo-thinkpad-x13s',
  'lenovo-thinkpad-p50',
  'lenovo-thinkpad-p51',
  'lenovo-thinkpad-p52',
  'lenovo-thinkpad-p53',
  'lenovo-thinkpad-e470',
  'lenovo-thinkpad-e495',
  'lenovo-thinkpad-l480',
  'lenovo-thinkpad-x1-6th-gen',
  'lenovo-thinkpad-x1-7th-gen',
  'lenovo-thinkpad-x1-9th-gen',
  'lenovo-thinkpad-x1-10th-gen',
  'lenovo-thinkpad-x1-11th-gen',
  'lenovo-thinkpad-x1-12th-gen',
  'lenovo-thinkpad-x1-13th-gen',
  'dell-xps-13-9300',
  'dell-xps-13-9310',
  'dell-xps-13-9315',
  'dell-xps-13-9360',
  'dell-xps-13-9370',
  'dell-xps-13-9380',
  'framework-11th-gen-intel',
  'framework-12th-gen-intel',
  'framework-13th-gen-intel',
  'framework-13-7040-amd',
  'framework-16-7040-amd',
];

const HARDWARE_EXTERNALS: Record<string, ExternalModule> = Object.fromEntries(
  NIXOS_HARDWARE.map((name) => [
    `nixos-hardware/${name}`,
    { from: 'nixos-hardware', file: `flake.nix (nixosModules.${name})`, defines: [] },
  ]),
);

const SCHEMAS = {
  nixos: { options: NIXOS_OPTIONS, submodules: SUBMODULES },
  darwin: { options: DARWIN_OPTIONS, submodules: SUBMODULES },
  home: { options: HOME_OPTIONS, submodules: SUBMODULES },
};

function files(dir: string, prefix = ''): string[] {
  return readdirSync(dir).flatMap((name) =>
    statSync(join(dir, name)).isDirectory()
      ? files(join(dir, name), `${prefix}${name}/`)
      : [`${prefix}${name}`],
  );
}

/** The release a repo's flake pins, from its nixpkgs branch. */
export function pinnedRelease(flake: string): ReleaseName {
  return /github:NixOS\/nixpkgs\/nixos-unstable"/.test(flake) ? 'unstable' : 'stable';
}

/** Each input's URL as flake.nix declares it (`name.url = …` or `name = { url = …; }`). */
function inputUrls(flake: string): Map<string, string> {
  const urls = new Map<string, string>();
  for (const m of flake.matchAll(/^\s*([\w-]+)\.url = "([^"]*)";/gm)) urls.set(m[1]!, m[2]!);
  for (const m of flake.matchAll(/^\s*([\w-]+) = \{\s*\n\s*url = "([^"]*)";/gm))
    urls.set(m[1]!, m[2]!);
  return urls;
}

/**
 * Everything wrong with a repo against the option schema of the release it pins: its flake
 * inputs, then each host and each Home Manager module its hosts import, evaluated with Nix.
 */
export function checkRepo(repo: string): Finding[] {
  const flake = readFileSync(join(repo, 'flake.nix'), 'utf8');
  const release = pinnedRelease(flake);
  const findings: Finding[] = [];
  for (const [name, url] of inputUrls(flake)) {
    const expected = INPUT_URLS[release][name];
    if (expected !== undefined && url !== expected) {
      findings.push({
        file: 'flake.nix',
        path: `inputs.${name}.url`,
        problem: `is ${url}, but ${release} pins ${expected}`,
      });
    }
  }
  const secretNames = files(repo)
    .filter((path) => path.endsWith('.nix'))
    .flatMap((path) => [
      ...readFileSync(join(repo, path), 'utf8').matchAll(/config\.sops\.secrets\.([\w-]+)\.path/g),
    ])
    .map((m) => m[1]!);
  const stubs = stubsFor([...new Set(secretNames)]);
  const externals = { ...NIXOS_EXTERNALS, ...DARWIN_EXTERNALS, ...HARDWARE_EXTERNALS };
  for (const host of evaluateRepo(repo, stubs, NIXOS_HARDWARE)) {
    const schema = SCHEMAS[host.kind];
    findings.push(...checkDefinitions(schema, externals, host.evaluation, release, repo));
    const allowAll = host.evaluation.definitions.some(
      (d) =>
        d.path.join('.') === 'nixpkgs.config.allowUnfree' && d.value.t === 'bool' && d.value.value,
    );
    for (const file of homeModules(host.evaluation.definitions)) {
      const home = evaluateHomeModule(file, stubs.home);
      const allowed = allowAll ? [stubs.home.unfreeNames] : host.evaluation.allowedUnfree;
      findings.push(
        ...checkDefinitions(
          SCHEMAS.home,
          externals,
          { ...home, allowedUnfree: allowed },
          release,
          repo,
        ),
      );
    }
  }
  return findings;
}

/** The Home Manager modules a host gives its users (`home-manager.users.<name>.imports`). */
function homeModules(definitions: readonly Definition[]): string[] {
  return definitions.flatMap((d) =>
    d.path[0] === 'home-manager' &&
    d.path[1] === 'users' &&
    d.path[3] === 'imports' &&
    d.value.t === 'list'
      ? d.value.items.flatMap((item) => (item.t === 'path' ? [item.value] : []))
      : [],
  );
}
