import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { NixstrapFailure } from '../../common';
import {
  createRunStore,
  generationHistory,
  LEDGER_FILE,
  openLedger,
  takeLedgerNotices,
} from '../../main/core/ledger';
import { MIGRATIONS } from '../../main/core/ledger/migrations';
import { readLog } from '../../main/core/rebuild/registry';
import { tempDir } from './helpers/cli';
import { buildGenerations, setProfile } from './helpers/generations';

const dirs: string[] = [];
function dataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nixstrap-ledger-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('the ledger database', () => {
  it('creates the schema at the newest version, with WAL and foreign keys', () => {
    const dir = path.join(dataDir(), 'nested', 'data');
    const ledger = openLedger(dir);
    expect(ledger.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(ledger.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(ledger.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(takeLedgerNotices(dir)).toEqual([]);
    ledger.close();
  });

  it('refuses a ledger from a newer Nixstrap and leaves it untouched', () => {
    const dir = dataDir();
    const file = path.join(dir, LEDGER_FILE);
    const newer = new Database(file);
    newer.pragma(`user_version = ${MIGRATIONS.length + 5}`);
    newer.exec('CREATE TABLE future (x)');
    newer.close();
    const before = fs.readFileSync(file);
    let failure: unknown;
    try {
      openLedger(dir);
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(NixstrapFailure);
    expect((failure as NixstrapFailure).error.code).toBe('LEDGER_TOO_NEW');
    expect((failure as NixstrapFailure).error.message).toMatch(/newer Nixstrap/);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('gives a run started in the same second as another, with the same random part, an id of its own', () => {
    const ledger = openLedger(dataDir());
    const runs = createRunStore(ledger);
    // The random part repeats once, as it will one day among millions of runs in one second.
    const draws = ['abcdef', 'abcdef', '123456'].map((hex) => Buffer.from(hex, 'hex'));
    const random = vi.spyOn(crypto, 'randomBytes').mockImplementation(() => draws.shift());
    vi.useFakeTimers({ now: new Date('2026-11-26T12:00:00Z'), toFake: ['Date'] });
    try {
      const first = runs.start({ kind: 'rebuild', action: 'build', argv: ['one'] });
      const second = runs.start({ kind: 'rebuild', action: 'build', argv: ['two'] });
      expect([first.id, second.id]).toEqual(['20261126120000-abcdef', '20261126120000-123456']);
      expect(
        runs
          .list()
          .map((r) => r.id)
          .sort(),
      ).toEqual([first.id, second.id].sort());
    } finally {
      vi.useRealTimers();
      random.mockRestore();
      ledger.close();
    }
  });

  it('skips the full check for a file as a clean close left it, and still finds damage done since', () => {
    const dir = dataDir();
    const file = path.join(dir, LEDGER_FILE);
    const first = openLedger(dir);
    const runs = createRunStore(first);
    for (let i = 0; i < 400; i++) {
      runs.start({ kind: 'rebuild', action: 'build', argv: ['nix', 'build', 'x'.repeat(200)] });
    }
    first.close();
    expect(fs.existsSync(`${file}.checked`)).toBe(true);
    const again = openLedger(dir);
    expect(takeLedgerNotices(dir)).toEqual([]);
    again.close();

    // Trusted means not read: bytes changed and the stamp rewritten as a clean close would leave
    // it open without a full check (the WAL that opening creates must not spoil the stamp).
    const sound = fs.readFileSync(file);
    const trusted = Buffer.from(sound);
    trusted.fill(0x5a, 8192, 8192 + 4096);
    fs.writeFileSync(file, trusted);
    const stat = fs.statSync(file, { bigint: true });
    fs.writeFileSync(`${file}.checked`, `${stat.size}:${stat.mtimeNs} -`);
    const unchecked = openLedger(dir);
    expect(takeLedgerNotices(dir)).toEqual([]);
    unchecked.db.close();
    fs.writeFileSync(file, sound);
    fs.rmSync(`${file}.checked`);

    // Same size, new bytes in the middle: a disk error or a stray write, not a clean close.
    const bytes = fs.readFileSync(file);
    bytes.fill(0x5a, 8192, 8192 + 4096);
    fs.writeFileSync(file, bytes);
    const damaged = openLedger(dir);
    expect(takeLedgerNotices(dir)[0]).toMatch(/damaged and has been moved/);
    expect(createRunStore(damaged).list()).toEqual([]);
    damaged.close();
  });

  it('moves a damaged file aside with a notice and starts a new ledger', () => {
    const dir = dataDir();
    fs.writeFileSync(path.join(dir, LEDGER_FILE), 'this is not a database, it is a shopping list');
    const ledger = openLedger(dir);
    expect(takeLedgerNotices(dir)).toEqual([
      expect.stringMatching(/damaged and has been moved to .*damaged-/),
    ]);
    expect(takeLedgerNotices(dir)).toEqual([]);
    const aside = fs.readdirSync(dir).find((name) => name.includes('.damaged-'));
    expect(aside).toBeDefined();
    expect(fs.readFileSync(path.join(dir, aside as string), 'utf8')).toMatch(/shopping list/);
    expect(ledger.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    ledger.close();
  });

  it('records a run with its phases and marks one left running by a dead process interrupted', () => {
    const dir = dataDir();
    const ledger = openLedger(dir);
    const runs = createRunStore(ledger);
    const run = runs.start({
      kind: 'rebuild',
      action: 'switch',
      argv: ['nix', 'build'],
      host: 'atlas',
      repo: '/tmp/repo',
      commit: 'abc123',
      dirty: false,
      profile: '/tmp/profile/system',
      answers: { hostName: 'atlas' },
    });
    runs.phase(run.id, 'build', 'started');
    runs.phase(run.id, 'build', 'succeeded', 0);
    expect(runs.phases(run.id)).toEqual([{ phase: 'build', status: 'succeeded', exitCode: 0 }]);
    expect(runs.get(run.id)).toMatchObject({ status: 'running', profile: '/tmp/profile/system' });
    // Another process's view after this one died: its pid is not alive.
    expect(runs.markInterrupted(() => false)).toEqual([run.id]);
    expect(runs.get(run.id)?.status).toBe('interrupted');
    runs.finish(run.id, { status: 'succeeded' });
    expect(runs.get(run.id)?.status).toBe('interrupted');
    ledger.close();
    const again = createRunStore(openLedger(dir));
    expect(again.list().map((r) => r.id)).toEqual([run.id]);
  });
});

/** A new ledger, its runs, and a way to start a switch recorded as this process's. */
function runningRuns() {
  const ledger = openLedger(dataDir());
  const runs = createRunStore(ledger);
  const start = () => runs.start({ kind: 'rebuild', action: 'switch', argv: ['nixstrap'] });
  return { ledger, runs, start };
}

describe('a run whose process is gone while its pid lives on', () => {
  it('is marked interrupted when the pid belongs to another boot or another process now', () => {
    const { ledger, runs, start } = runningRuns();
    // Each recorded by this very process, whose pid is alive: only what else was recorded differs.
    const [beforeReboot, reusedPid, live] = [start(), start(), start()];
    const set = ledger.db.prepare('UPDATE runs SET boot_id = ?, process_started = ? WHERE id = ?');
    const row = (id: string) =>
      ledger.db
        .prepare('SELECT boot_id AS boot, process_started AS started FROM runs WHERE id = ?')
        .get(id) as {
        boot: string;
        started: string;
      };
    const mine = row(live.id);
    expect(mine.boot, 'this boot is recorded').toMatch(/^[0-9a-f-]{36}$/);
    expect(mine.started, 'and when this process started').toMatch(/^\d+$/);
    set.run('00000000-0000-0000-0000-000000000000', mine.started, beforeReboot.id);
    set.run(mine.boot, String(Number(mine.started) + 1), reusedPid.id);
    expect(runs.markInterrupted().sort()).toEqual([beforeReboot.id, reusedPid.id].sort());
    expect(runs.get(live.id)?.status).toBe('running');
    ledger.close();
  });
});

describe('a data folder two machines share', () => {
  it("leaves a run another machine has under way to that machine, and marks this one's", () => {
    const { ledger, runs, start } = runningRuns();
    const [theirs, ours, older] = [start(), start(), start()];
    ledger.db.prepare('UPDATE runs SET machine = ? WHERE id = ?').run('e'.repeat(32), theirs.id);
    ledger.db.prepare('UPDATE runs SET machine = NULL WHERE id = ?').run(older.id);
    // Seen from here every pid is dead; the other machine's pid was never this machine's to judge.
    expect(runs.markInterrupted(() => false).sort()).toEqual([ours.id, older.id].sort());
    expect(runs.get(theirs.id)?.status).toBe('running');
    runs.finish(theirs.id, { status: 'succeeded' });
    expect(runs.get(theirs.id)?.status, 'its own outcome is what the ledger keeps').toBe(
      'succeeded',
    );
    ledger.close();
  });

  it('keeps a trial recorded before the machine was, through the migration', () => {
    const dir = dataDir();
    const file = path.join(dir, LEDGER_FILE);
    const old = new Database(file);
    for (const [i, sql] of MIGRATIONS.slice(0, 5).entries()) {
      old.exec(sql);
      old.pragma(`user_version = ${i + 1}`);
    }
    old
      .prepare('INSERT INTO keep_trials VALUES (?, ?, ?, ?, ?, ?)')
      .run('/nix/var/nix/profiles/system', 'r1', 7, 6, '2026-01-01T00:00:00.000Z', 42);
    old.close();
    const ledger = openLedger(dir);
    expect(ledger.db.prepare('SELECT * FROM keep_trials').all()).toEqual([
      {
        machine: '',
        profile: '/nix/var/nix/profiles/system',
        run_id: 'r1',
        generation: 7,
        revert_to: 6,
        deadline: '2026-01-01T00:00:00.000Z',
        pid: 42,
        boot_id: null,
        process_started: null,
        // A trial from before tries were offered went back by switching.
        revert_action: 'switch',
        // And to the base configuration: no specialisation was recorded then.
        revert_specialisation: null,
        // Its keep watch and shell were not recorded: no watch running now holds it.
        watcher: null,
        shell: null,
      },
    ]);
    ledger.close();
  });

  it('after the migration that records specialisations, reads those of generations listed before it', async () => {
    const [special] = buildGenerations([
      { label: '25.05.10', packages: ['hello-2.14'], specialisations: ['gaming'] },
    ]) as [string];
    const profile = path.join(tempDir('migrated-profile'), 'system');
    setProfile(profile, [special]);
    // A folder settled long ago: its stamp vouches for its links, so only a cleared stamp reads them.
    const hourAgo = new Date(Date.now() - 3600_000);
    fs.utimesSync(path.dirname(profile), hourAgo, hourAgo);
    const dir = dataDir();
    const before = openLedger(dir);
    await generationHistory(before, { profile });
    before.close();
    // The ledger as Nixstrap left it before that migration: the generation listed, its stamp kept.
    const old = new Database(path.join(dir, LEDGER_FILE));
    old.exec(`
      ALTER TABLE generations DROP COLUMN specialisations;
      ALTER TABLE targets DROP COLUMN running_specialisation;
      ALTER TABLE targets DROP COLUMN booted_specialisation;
      ALTER TABLE keep_trials DROP COLUMN revert_specialisation;
      ALTER TABLE runs DROP COLUMN lock_written;
      ALTER TABLE runs DROP COLUMN dirty_beside_lock;
      ALTER TABLE runs DROP COLUMN flake_lock_sha256;
      ALTER TABLE keep_trials DROP COLUMN watcher;
      ALTER TABLE keep_trials DROP COLUMN shell;
    `);
    // Migration 11 is the one that records specialisations; those after it run again too.
    old.pragma('user_version = 10');
    old.close();
    const ledger = openLedger(dir);
    const { generations } = await generationHistory(ledger, { profile });
    expect(generations.map((g) => g.specialisations)).toEqual([['gaming']]);
    ledger.close();
  });

  it('takes delete runs after migration 9, keeping the runs, their phases and the generations that name them', () => {
    const dir = dataDir();
    const file = path.join(dir, LEDGER_FILE);
    const old = new Database(file);
    old.pragma('foreign_keys = ON');
    for (const [i, sql] of MIGRATIONS.slice(0, 8).entries()) {
      old.exec(sql);
      old.pragma(`user_version = ${i + 1}`);
    }
    old.exec(`
      INSERT INTO targets (id, profile, created_at) VALUES (1, '/p', 't');
      INSERT INTO runs (id, kind, action, status, target_id, argv, started_at, branch)
        VALUES ('r1', 'rollback', 'switch', 'succeeded', 1, '[]', 't', 'main');
      INSERT INTO run_phases (run_id, phase, status, started_at) VALUES ('r1', 'activate', 'succeeded', 't');
      INSERT INTO generations (target_id, number, store_path, first_seen_at, run_id)
        VALUES (1, 1, '/nix/store/x', 't', 'r1');
    `);
    old.close();
    const ledger = openLedger(dir);
    expect(ledger.db.prepare('SELECT id, kind, branch FROM runs').all()).toEqual([
      { id: 'r1', kind: 'rollback', branch: 'main' },
    ]);
    expect(ledger.db.prepare('SELECT run_id FROM run_phases').all()).toEqual([{ run_id: 'r1' }]);
    expect(ledger.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(ledger.db.pragma('foreign_key_check')).toEqual([]);
    ledger.db
      .prepare(
        "INSERT INTO runs (id, kind, action, status, argv, started_at) VALUES ('r2', 'delete', 'delete', 'running', '[]', 't')",
      )
      .run();
    ledger.db.prepare("DELETE FROM run_phases WHERE run_id = 'r1'").run();
    // The phases still cascade from their run, as migration 1 made them.
    ledger.db
      .prepare(
        "INSERT INTO run_phases (run_id, phase, status, started_at) VALUES ('r2', 'confirm', 'started', 't')",
      )
      .run();
    ledger.db.prepare("DELETE FROM runs WHERE id = 'r2'").run();
    expect(ledger.db.prepare('SELECT count(*) AS n FROM run_phases').get()).toEqual({ n: 0 });
    ledger.close();
  });
});

describe('targets by machine (migration 13)', () => {
  it('keeps every target with its id, its marks and what refers to it, for no machine yet', () => {
    const dir = dataDir();
    const file = path.join(dir, LEDGER_FILE);
    const old = new Database(file);
    for (const [i, sql] of MIGRATIONS.slice(0, 12).entries()) {
      old.exec(sql);
      old.pragma(`user_version = ${i + 1}`);
    }
    old.exec(`
      INSERT INTO targets (id, profile, created_at, kind, profile_stamp)
        VALUES (7, '/nix/var/nix/profiles/system', 't', 'nixos', '42');
      INSERT INTO runs (id, kind, action, status, target_id, argv, started_at)
        VALUES ('r1', 'rebuild', 'switch', 'succeeded', 7, '[]', 't');
      INSERT INTO generations (id, target_id, number, store_path, first_seen_at, run_id)
        VALUES (3, 7, 1, '/nix/store/x', 't', 'r1');
      UPDATE targets SET current_generation_id = 3, running_generation_id = 3;
    `);
    old.close();
    const ledger = openLedger(dir);
    expect(
      ledger.db
        .prepare(
          'SELECT id, machine, profile, kind, profile_stamp, current_generation_id, running_generation_id FROM targets',
        )
        .all(),
    ).toEqual([
      {
        id: 7,
        machine: '',
        profile: '/nix/var/nix/profiles/system',
        kind: 'nixos',
        profile_stamp: '42',
        current_generation_id: 3,
        running_generation_id: 3,
      },
    ]);
    expect(ledger.db.pragma('foreign_key_check')).toEqual([]);
    // The same profile path, recorded for another machine, stands beside it.
    ledger.db
      .prepare(
        "INSERT INTO targets (machine, profile, created_at) VALUES (?, '/nix/var/nix/profiles/system', 't')",
      )
      .run('e'.repeat(32));
    expect(ledger.db.prepare('SELECT count(*) FROM targets').pluck().get()).toBe(2);
    ledger.close();
  });
});

describe('a data folder that cannot be one', () => {
  it('says a file is in the way, not a bare error code', () => {
    const file = path.join(dataDir(), 'data');
    fs.writeFileSync(file, 'not a folder');
    for (const dir of [file, path.join(file, 'below')]) {
      expect(() => openLedger(dir)).toThrow(
        expect.objectContaining({
          error: expect.objectContaining({
            code: 'LEDGER_FAILED',
            message: `The data folder ${dir} cannot be created: a file stands where it or one of its parent folders should be.`,
          }),
        }),
      );
    }
    expect(fs.readFileSync(file, 'utf8')).toBe('not a folder');
  });

  it('says a folder where the ledger file goes is a folder, and leaves it', () => {
    const dir = dataDir();
    fs.mkdirSync(path.join(dir, LEDGER_FILE, 'mine'), { recursive: true });
    expect(() => openLedger(dir)).toThrow(
      expect.objectContaining({
        error: expect.objectContaining({
          code: 'LEDGER_FAILED',
          message: `The ledger ${path.join(dir, LEDGER_FILE)} is a folder, not a database file, so Nixstrap cannot open it.`,
        }),
      }),
    );
    expect(fs.readdirSync(path.join(dir, LEDGER_FILE))).toEqual(['mine']);
  });
});

/**
 * Makes `file` unwritable for this test's user, root included (root ignores permission bits, so
 * as root it is made immutable); null where that cannot be done here.
 */
function lockFile(file: string): (() => void) | null {
  if (process.getuid?.() !== 0) {
    fs.chmodSync(file, 0o444);
    return () => fs.chmodSync(file, 0o644);
  }
  const chattr = (flag: string) =>
    spawnSync('chattr', [flag, file], { stdio: 'ignore' }).status === 0;
  return chattr('+i') ? () => chattr('-i') : null;
}

describe('a ledger file that cannot be written', () => {
  it('is refused in a sentence that says so and what to do, the file left as it was', (context) => {
    const dir = dataDir();
    openLedger(dir).close();
    const file = path.join(dir, LEDGER_FILE);
    const before = fs.readFileSync(file);
    const release = lockFile(file);
    if (!release) return context.skip('neither chmod nor chattr +i can make a file read-only here');
    try {
      expect(() => openLedger(dir)).toThrow(
        expect.objectContaining({
          error: {
            code: 'LEDGER_FAILED',
            message: expect.stringMatching(
              new RegExp(
                `^The ledger ${file} cannot be written \\((EACCES|EPERM|EROFS)\\), and Nixstrap records every run and generation in it, so it changed nothing\\.$`,
              ),
            ),
            hint: 'Make the file writable again (chmod u+w, or chattr -i where it was made immutable), or use another data folder.',
          },
        }),
      );
    } finally {
      release();
    }
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });
});

describe('the log of a run the ledger no longer knows', () => {
  it('is read from its folder, as after a damaged ledger was moved aside', () => {
    const dir = dataDir();
    const id = '20260101120000-abc123';
    fs.mkdirSync(path.join(dir, 'runs', id), { recursive: true });
    fs.writeFileSync(path.join(dir, 'runs', id, 'terminal.log'), '$ nix build\nbuilt\n');
    fs.writeFileSync(path.join(dir, 'secret.log'), 'not a run');
    expect(readLog(dir, id)).toBe('$ nix build\nbuilt\n');
    for (const unknown of ['20260101120000-abc124', '../secret.log/..', '..']) {
      expect(() => readLog(dir, unknown)).toThrow(
        expect.objectContaining({ error: expect.objectContaining({ code: 'RUN_NOT_FOUND' }) }),
      );
    }
  });
});
