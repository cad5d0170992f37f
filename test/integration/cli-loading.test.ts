import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixturesDir, repoRoot, tempDir } from './helpers/cli';
import { buildGenerations, setProfile } from './helpers/generations';

// better-sqlite3's JavaScript is bundled into the ledger's chunk, so it never resolves here.
const HEAVY = ['zod', 'isomorphic-git', 'diff', 'ws', 'node-pty', 'yaml'];
let hooks = '';

/** The packages one real `nixstrap` run imports, as Node's module loader resolves them. */
function packagesLoaded(args: string[]): Set<string> {
  const register = `import{register}from'node:module';register(${JSON.stringify(hooks)});`;
  const run = spawnSync(
    process.execPath,
    [
      '--import',
      `data:text/javascript,${encodeURIComponent(register)}`,
      'bin/nixstrap.js',
      ...args,
    ],
    { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 },
  );
  expect(run.status, run.stderr).toBe(0);
  const specifiers = [...run.stderr.matchAll(/^nixstrap-test-resolve (\S+)$/gm)].map((m) => m[1]);
  return new Set(specifiers.filter((s): s is string => s !== undefined && HEAVY.includes(s)));
}

beforeAll(() => {
  const file = path.join(tempDir('loader-hooks'), 'hooks.mjs');
  fs.writeFileSync(
    file,
    [
      "import { writeSync } from 'node:fs';",
      'export async function resolve(specifier, context, next) {',
      '  writeSync(2, "nixstrap-test-resolve " + specifier + "\\n");',
      '  return next(specifier, context);',
      '}',
    ].join('\n'),
  );
  hooks = pathToFileURL(file).href;
});

describe('each verb loads only what it needs', () => {
  it('help loads no dependency at all', () => {
    expect(packagesLoaded(['help'])).toEqual(new Set());
  });

  it('the help of one verb and the version load none either', () => {
    expect(packagesLoaded(['help', 'rollback'])).toEqual(new Set());
    expect(packagesLoaded(['--version'])).toEqual(new Set());
  });

  it('detect loads the contract (zod) but no git, diff, server or database', () => {
    const loaded = packagesLoaded([
      'detect',
      '--fixture',
      path.join(fixturesDir, 'qemu-kvm-uefi'),
      '--json',
    ]);
    expect(loaded).toEqual(new Set(['zod']));
  });

  it('a verb that writes the repo loads git and diff, and still not the server', () => {
    const repo = path.join(tempDir('loading-plan'), 'repo');
    const loaded = packagesLoaded([
      'plan',
      '--repo',
      repo,
      '--answers',
      'test/fixtures/answers/workstation.json',
      '--fixture',
      path.join(fixturesDir, 'qemu-kvm-uefi'),
    ]);
    expect(loaded.has('isomorphic-git')).toBe(true);
    expect(loaded.has('ws')).toBe(false);
  });

  it('listing generations loads the ledger only: no zod, git or pty', () => {
    const profile = path.join(tempDir('loading-generations'), 'profiles', 'system');
    setProfile(profile, buildGenerations([{ label: '25.05.1' }]));
    const dataDir = tempDir('loading-generations-data');
    expect(
      packagesLoaded(['generations', '--json', '--profile', profile, '--data-dir', dataDir]),
    ).toEqual(new Set());
    expect(fs.existsSync(path.join(dataDir, 'ledger.sqlite'))).toBe(true);
  });

  it('runs reads the ledger only, and no verb before it loads the pty', () => {
    const dataDir = tempDir('loading-runs');
    expect(packagesLoaded(['runs', '--data-dir', dataDir])).toEqual(new Set());
    expect(fs.existsSync(path.join(dataDir, 'ledger.sqlite'))).toBe(true);
    expect(packagesLoaded(['help', 'rebuild'])).toEqual(new Set());
  });
});
