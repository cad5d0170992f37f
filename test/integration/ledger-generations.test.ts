import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NixstrapFailure } from '../../common';
import {
  compareGenerations,
  createRunStore,
  generationHistory,
  LEDGER_FILE,
  type Ledger,
  openLedger,
  takeLedgerNotices,
} from '../../main/core/ledger';
import { tempDir } from './helpers/cli';
import { buildGenerations, NIX_ENV, setProfile } from './helpers/generations';

let systems: string[];
let home: string;
let darwin: string;
const ledgers: Ledger[] = [];

beforeAll(() => {
  const built = buildGenerations([
    { label: '25.05.1', packages: ['hello-2.12', 'curl-8.5.0'], revision: 'aaaa1111' },
    {
      label: '25.05.2',
      packages: ['hello-2.13', 'curl-8.5.0'],
      revision: 'bbbb2222-dirty',
      kernel: '6.6.2',
    },
    { label: '25.05.3', packages: ['hello-2.13', 'git-2.44.0'], host: 'atlas' },
    { label: '25.05.4', packages: ['hello-2.14'] },
    { kind: 'home-manager', label: '25.05', packages: ['git-2.44.0'] },
    { kind: 'nix-darwin', label: '25.05.darwin', revision: 'cccc3333' },
  ]);
  systems = built.slice(0, 4);
  [home, darwin] = built.slice(4) as [string, string];
});

afterEach(() => {
  for (const ledger of ledgers.splice(0)) ledger.close();
});

function open(dir = tempDir('ledger-data')): Ledger {
  const ledger = openLedger(dir);
  ledgers.push(ledger);
  return ledger;
}

/** A system profile Nix made of the first `count` built systems, generation 1 first. */
function systemProfile(count: number): string {
  const profile = path.join(tempDir('profile'), 'system');
  setProfile(profile, systems.slice(0, count));
  return profile;
}

function nixEnv(profile: string, ...args: string[]): void {
  execFileSync('nix-env', ['-p', profile, ...args], { env: NIX_ENV, stdio: 'pipe' });
}

describe('importing a profile Nix made', () => {
  it('lists every generation with what the store tells about it', async () => {
    const profile = systemProfile(3);
    const { report, generations } = await generationHistory(open(), { profile });
    expect(report).toMatchObject({ added: 3, vanished: 0, current: 3, kind: 'nixos' });
    expect(generations.map((g) => [g.number, g.current, g.present])).toEqual([
      [1, false, true],
      [2, false, true],
      [3, true, true],
    ]);
    const [first, second, third] = generations;
    expect(first).toMatchObject({
      storePath: systems[0],
      kind: 'nixos',
      nixosVersion: '25.05.1',
      kernelVersion: '6.6.1',
      commit: 'aaaa1111',
      dirty: false,
      runId: null,
      host: 'demo',
    });
    expect(second).toMatchObject({ commit: 'bbbb2222', dirty: true, kernelVersion: '6.6.2' });
    expect(third).toMatchObject({ commit: null, dirty: null, host: 'atlas' });
    const linkTime = fs.lstatSync(`${profile}-2-link`).mtime.toISOString();
    expect(second?.createdAt).toBe(linkTime);
    const sizes = JSON.parse(
      execFileSync('nix', ['path-info', '-S', '--json', ...systems.slice(0, 3)], {
        env: NIX_ENV,
        encoding: 'utf8',
      }),
    ) as { path: string; closureSize: number }[];
    for (const g of generations) {
      expect(g.closureBytes).toBe(sizes.find((s) => s.path === g.storePath)?.closureSize);
    }
  });

  it('joins a generation to the Nixstrap run that built it: commit, dirty flag, host', async () => {
    const profile = systemProfile(2);
    const ledger = open();
    const runs = createRunStore(ledger);
    const run = runs.start({
      kind: 'rebuild',
      action: 'switch',
      argv: ['nixstrap', 'rebuild'],
      host: 'atlas',
      repo: '/home/alice/nixos-config',
      commit: 'feedbeef',
      dirty: true,
      profile,
      answers: { hostName: 'atlas' },
    });
    runs.finish(run.id, { status: 'succeeded', storePath: systems[1] as string, generation: 2 });
    const { generations } = await generationHistory(ledger, { profile });
    expect(generations[1]).toMatchObject({
      runId: run.id,
      commit: 'feedbeef',
      dirty: true,
      host: 'atlas',
      repo: '/home/alice/nixos-config',
      answers: { hostName: 'atlas' },
    });
    expect(generations[0]).toMatchObject({ runId: null, commit: 'aaaa1111', answers: null });
  });

  it('marks the running and the booted system from the run folder', async () => {
    const profile = systemProfile(3);
    const runDir = tempDir('run');
    fs.symlinkSync(systems[1] as string, path.join(runDir, 'current-system'));
    fs.symlinkSync(systems[0] as string, path.join(runDir, 'booted-system'));
    const { generations } = await generationHistory(open(), { profile, runDir });
    expect(generations.map((g) => [g.number, g.current, g.running, g.booted])).toEqual([
      [1, false, false, true],
      [2, false, true, false],
      [3, true, false, false],
    ]);
  });

  it('tells Home Manager and nix-darwin generations from what they contain', async () => {
    const dir = tempDir('profiles');
    setProfile(path.join(dir, 'system'), systems.slice(0, 1));
    setProfile(path.join(dir, 'home-manager'), [home]);
    setProfile(path.join(dir, 'darwin'), [darwin]);
    const ledger = open();
    const hm = await generationHistory(ledger, { profile: path.join(dir, 'home-manager') });
    const sys = await generationHistory(ledger, { profile: path.join(dir, 'system') });
    const mac = await generationHistory(ledger, { profile: path.join(dir, 'darwin') });
    expect(hm.report.kind).toBe('home-manager');
    expect(hm.generations).toHaveLength(1);
    expect(hm.generations[0]).toMatchObject({
      kind: 'home-manager',
      nixosVersion: '25.05',
      commit: null,
    });
    expect(sys.report.kind).toBe('nixos');
    expect(sys.generations).toHaveLength(1);
    expect(mac.generations[0]).toMatchObject({
      kind: 'nix-darwin',
      nixosVersion: '25.05.darwin',
      commit: 'cccc3333',
    });
  });
});

describe('specialisations', () => {
  let special: string;
  beforeAll(() => {
    [special] = buildGenerations([
      { label: '25.05.9', packages: ['hello-2.14'], specialisations: ['work', 'gaming'] },
    ]) as [string];
  });

  /** Where `/run/current-system` points while a specialisation runs: its own toplevel. */
  const specialisationPath = (name: string) =>
    fs.realpathSync(path.join(special, 'specialisation', name));

  it('lists each generation with the specialisations it holds', async () => {
    const profile = path.join(tempDir('profile'), 'system');
    setProfile(profile, [systems[0] as string, special]);
    const { generations } = await generationHistory(open(), { profile });
    expect(generations.map((g) => [g.number, g.specialisations])).toEqual([
      [1, []],
      [2, ['gaming', 'work']],
    ]);
  });

  it('marks the generation running whose specialisation runs, and names it', async () => {
    const profile = path.join(tempDir('profile'), 'system');
    setProfile(profile, [special, systems[0] as string]);
    const runDir = tempDir('run');
    fs.symlinkSync(specialisationPath('gaming'), path.join(runDir, 'current-system'));
    fs.symlinkSync(special, path.join(runDir, 'booted-system'));
    const ledger = open();
    const { generations } = await generationHistory(ledger, { profile, runDir });
    expect(
      generations.map((g) => [g.number, g.current, g.running, g.runningSpecialisation, g.booted]),
    ).toEqual([
      [1, false, true, 'gaming', true],
      [2, true, false, null, false],
    ]);

    // The owner switches to the other specialisation of the same generation (a test activation).
    fs.rmSync(path.join(runDir, 'current-system'));
    fs.symlinkSync(specialisationPath('work'), path.join(runDir, 'current-system'));
    const moved = await generationHistory(ledger, { profile, runDir });
    expect(moved.generations[0]).toMatchObject({ running: true, runningSpecialisation: 'work' });
  });

  it('reads them for generations a ledger listed before it recorded specialisations', async () => {
    const profile = path.join(tempDir('profile'), 'system');
    setProfile(profile, [special]);
    const ledger = open();
    await generationHistory(ledger, { profile });
    // What migration 10 leaves: the column unread, and the stamp cleared.
    ledger.db.exec('UPDATE generations SET specialisations = NULL');
    ledger.db.exec('UPDATE targets SET profile_stamp = NULL');
    const { generations } = await generationHistory(ledger, { profile });
    expect(generations[0]?.specialisations).toEqual(['gaming', 'work']);
  });
});

describe('a profile that has not changed since the last look', () => {
  it('is listed from the ledger, and a later change to the folder is still seen', async () => {
    const profile = systemProfile(2);
    const hourAgo = new Date(Date.now() - 3600_000);
    fs.utimesSync(path.dirname(profile), hourAgo, hourAgo);
    const runDir = tempDir('run');
    const ledger = open();
    await generationHistory(ledger, { profile, runDir });
    const stamp = () =>
      (ledger.db.prepare('SELECT profile_stamp FROM targets').get() as { profile_stamp: string })
        .profile_stamp;
    expect(stamp()).toBe(String(fs.statSync(path.dirname(profile), { bigint: true }).mtimeNs));

    // The running system moves without the profile folder changing (a `test` activation).
    fs.symlinkSync(systems[0] as string, path.join(runDir, 'current-system'));
    const quiet = await generationHistory(ledger, { profile, runDir });
    expect(quiet.report).toMatchObject({ added: 0, current: 2 });
    expect(quiet.generations.map((g) => [g.number, g.current, g.running])).toEqual([
      [1, false, true],
      [2, true, false],
    ]);
    expect(ledger.db.prepare('SELECT event FROM activations').all()).toEqual([
      { event: 'switched' },
    ]);

    setProfile(profile, [systems[2] as string]);
    const changed = await generationHistory(ledger, { profile, runDir });
    expect(changed.report).toMatchObject({ added: 1, current: 3 });
    expect(stamp()).toBeNull();
  });
});

describe('generations Nix deleted', () => {
  it('keeps a deleted generation, marked not present', async () => {
    const profile = systemProfile(3);
    const ledger = open();
    await generationHistory(ledger, { profile });
    nixEnv(profile, '--delete-generations', '1');
    const { report, generations } = await generationHistory(ledger, { profile });
    expect(report.vanished).toBe(1);
    expect(generations.map((g) => [g.number, g.present])).toEqual([
      [1, false],
      [2, true],
      [3, true],
    ]);
    expect(generations[0]).toMatchObject({ storePath: systems[0], commit: 'aaaa1111' });
  });

  it('tells a reused number apart by its store path', async () => {
    const profile = systemProfile(3);
    const ledger = open();
    await generationHistory(ledger, { profile });
    nixEnv(profile, '--switch-generation', '2');
    nixEnv(profile, '--delete-generations', '3');
    setProfile(profile, [systems[3] as string]);
    expect(fs.readlinkSync(`${profile}-3-link`)).toBe(systems[3]);
    const { generations } = await generationHistory(ledger, { profile });
    expect(generations.map((g) => [g.number, g.storePath, g.present, g.current])).toEqual([
      [1, systems[0], true, false],
      [2, systems[1], true, false],
      [3, systems[2], false, false],
      [3, systems[3], true, true],
    ]);
  });

  it('sees an older number remade under a newest link remade with its old store path', async () => {
    const profile = systemProfile(3);
    const ledger = open();
    await generationHistory(ledger, { profile });
    nixEnv(profile, '--switch-generation', '1');
    nixEnv(profile, '--delete-generations', '2', '3');
    // 2 comes back as another system; 3 as the very system it was, in a link made anew.
    setProfile(profile, [systems[3] as string, systems[2] as string]);
    const { generations } = await generationHistory(ledger, { profile });
    expect(generations.map((g) => [g.number, g.storePath, g.present])).toEqual([
      [1, systems[0], true],
      [2, systems[1], false],
      [2, systems[3], true],
      [3, systems[2], true],
    ]);
  });

  it('says in one sentence that a profile does not exist', async () => {
    const profile = path.join(tempDir('profile'), 'nothing', 'system');
    const failure = await generationHistory(open(), { profile }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(NixstrapFailure);
    expect((failure as NixstrapFailure).error.code).toBe('PROFILE_NOT_FOUND');
  });
});

describe('the difference between two generations', () => {
  it('lists packages added, removed and changed, and caches the answer', async () => {
    const profile = systemProfile(3);
    const ledger = open();
    const { from, to, changes } = await compareGenerations(ledger, { profile }, 1, 3);
    expect([from.number, to.number]).toEqual([1, 3]);
    // Generation 3 names another host, so its system's own name counts as added.
    expect(changes.added).toEqual([
      { name: 'git', version: '2.44.0' },
      { name: 'nixos-system-atlas', version: '25.05.3' },
    ]);
    expect(changes.removed).toEqual([
      { name: 'curl', version: '8.5.0' },
      { name: 'nixos-system-demo', version: '25.05.1' },
    ]);
    expect(changes.changed).toContainEqual({ name: 'hello', from: '2.12', to: '2.13' });
    expect(changes.sizeBefore).toBe(from.closureBytes);
    expect(changes.sizeAfter).toBe(to.closureBytes);
    const cached = ledger.db
      .prepare(
        'SELECT report_json FROM closure_diffs WHERE from_store_path = ? AND to_store_path = ?',
      )
      .get(from.storePath, to.storePath) as { report_json: string };
    expect(JSON.parse(cached.report_json)).toEqual(changes);
  });

  it('refuses a number the profile never had', async () => {
    const profile = systemProfile(2);
    const failure = await compareGenerations(open(), { profile }, 1, 9).catch((e: unknown) => e);
    expect((failure as NixstrapFailure).error.code).toBe('GENERATION_NOT_FOUND');
  });
});

describe('a damaged ledger', () => {
  it('is moved aside and rebuilt from the profile', async () => {
    const profile = systemProfile(2);
    const dir = tempDir('ledger-data');
    const first = openLedger(dir);
    await generationHistory(first, { profile });
    first.close();
    fs.writeFileSync(path.join(dir, LEDGER_FILE), 'not a database any more');
    const again = open(dir);
    expect(takeLedgerNotices(dir)[0]).toMatch(/damaged and has been moved/);
    const { generations } = await generationHistory(again, { profile });
    expect(generations.map((g) => [g.number, g.current])).toEqual([
      [1, false],
      [2, true],
    ]);
  });
});

describe('a profile with a link made by hand', () => {
  it('lists the generations Nix made when another link points outside the store', async () => {
    const profile = systemProfile(2);
    fs.symlinkSync(tempDir('not-a-store-path'), `${profile}-3-link`);
    const { generations } = await generationHistory(open(), { profile });
    expect(generations.map((g) => [g.number, g.current])).toEqual([
      [1, false],
      [2, true],
    ]);
  });
});

describe('a generation whose system is gone from the store', () => {
  it('is one row, marked gone, when its link is pointed at a path the store does not hold', async () => {
    const profile = systemProfile(2);
    const ledger = open();
    await generationHistory(ledger, { profile });
    const gone = '/nix/store/00000000000000000000000000000000-nixos-system-demo-gone';
    fs.rmSync(`${profile}-2-link`);
    fs.symlinkSync(gone, `${profile}-2-link`);
    const { report, generations } = await generationHistory(ledger, { profile });
    expect(report).toMatchObject({ added: 0, vanished: 0 });
    expect(generations.map((g) => [g.number, g.storePath, g.present, g.storePathGone])).toEqual([
      [1, systems[0], true, false],
      [2, gone, true, true],
    ]);
    // What the ledger knew of it stays: it is the same generation, not a new one.
    expect(generations[1]).toMatchObject({ commit: 'bbbb2222', current: true });
  });

  it('is marked gone when its system was removed from the store by hand', async () => {
    const [removed, kept] = buildGenerations([
      { label: '25.05.1', nonce: `removed-${Date.now()}` },
      { label: '25.05.2', nonce: 'removed' },
    ]) as [string, string];
    const profile = path.join(tempDir('profile'), 'system');
    setProfile(profile, [removed, kept]);
    const ledger = open();
    await generationHistory(ledger, { profile });
    execFileSync('nix-store', ['--delete', '--ignore-liveness', removed], {
      env: NIX_ENV,
      stdio: 'pipe',
    });
    const { generations } = await generationHistory(ledger, { profile });
    expect(generations.map((g) => [g.number, g.present, g.storePathGone])).toEqual([
      [1, true, true],
      [2, true, false],
    ]);
    // Its link keeps it from the garbage collector: something else took it, and nothing guesses what.
    const failure = await compareGenerations(ledger, { profile }, 1, 2).catch((e: unknown) => e);
    expect((failure as NixstrapFailure).error).toMatchObject({
      code: 'STORE_PATH_GONE',
      message: `${removed} is gone from the Nix store, so its contents cannot be read.`,
    });
  });

  it('says it was garbage-collected when its generation was deleted first', async () => {
    const nonce = `collected-${Date.now()}`;
    const [collected, kept] = buildGenerations([
      { label: '25.05.1', nonce },
      { label: '25.05.2', nonce },
    ]) as [string, string];
    const profile = path.join(tempDir('profile'), 'system');
    setProfile(profile, [collected, kept]);
    const ledger = open();
    await generationHistory(ledger, { profile });
    nixEnv(profile, '--delete-generations', '1');
    execFileSync('nix-store', ['--delete', collected], { env: NIX_ENV, stdio: 'pipe' });
    const { generations } = await generationHistory(ledger, { profile });
    // A deleted generation is marked deleted, not gone: its link is what went.
    expect(generations.map((g) => [g.number, g.present, g.storePathGone])).toEqual([
      [1, false, false],
      [2, true, false],
    ]);
    const failure = await compareGenerations(ledger, { profile }, 1, 2).catch((e: unknown) => e);
    expect((failure as NixstrapFailure).error.message).toBe(
      `Generation 1 was deleted and its system, ${collected}, garbage-collected since, so its contents cannot be read.`,
    );
  });
});

describe('two processes reconciling one profile at once', () => {
  it('both list it, each generation recorded once', async () => {
    const profile = systemProfile(2);
    const dir = tempDir('ledger-data');
    // Two connections, as the app and the CLI hold: both read the ledger before either writes.
    const [a, b] = await Promise.all([
      generationHistory(open(dir), { profile }),
      generationHistory(open(dir), { profile }),
    ]);
    expect(a.generations.map((g) => g.number)).toEqual([1, 2]);
    expect(b.generations.map((g) => g.number)).toEqual([1, 2]);
    expect(a.report.added + b.report.added).toBe(2);
  });
});
