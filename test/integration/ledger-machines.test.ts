import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRunStore, generationHistory, type Ledger, openLedger } from '../../main/core/ledger';
import { planDelete } from '../../main/core/ledger/delete-plan';
import { planRollback } from '../../main/core/ledger/rollback-plan';
import { machineId } from '../../main/core/platform';
import { tempDir } from './helpers/cli';
import { buildGenerations, setProfile } from './helpers/generations';

/** Another machine sharing the data folder (a home folder on NFS), as the ledger names it. */
const OTHER = 'e'.repeat(32);
const HERE = machineId();

let systems: string[];
const ledgers: Ledger[] = [];

beforeAll(() => {
  systems = buildGenerations([
    { label: '25.05.b1', host: 'attic' },
    { label: '25.05.b2', host: 'attic' },
    { label: '25.05.a1', host: 'desk' },
    { label: '25.05.a2', host: 'desk' },
    { label: '25.05.a3', host: 'desk' },
  ]);
});

afterEach(() => {
  for (const ledger of ledgers.splice(0)) ledger.close();
});

/**
 * Two machines' system profiles at one path, as each sees /nix/var/nix/profiles/system: the
 * profile's folder is a link to one machine's folder or the other's.
 */
function sharedProfilePath() {
  const root = tempDir('machines');
  const folder = path.join(root, 'profiles');
  const profile = path.join(folder, 'system');
  const onMachine = (name: string) => {
    fs.mkdirSync(path.join(root, name), { recursive: true });
    fs.rmSync(folder, { force: true });
    fs.symlinkSync(path.join(root, name), folder);
  };
  return { root, profile, onMachine };
}

/**
 * Runs `look` as the other machine: the ledger's machine names of this one and the other are
 * swapped around it, as the ledger would see them from the other machine.
 */
async function asOther<T>(ledger: Ledger, look: () => Promise<T>): Promise<T> {
  const swap = () => {
    for (const table of ['targets', 'runs']) {
      const rename = ledger.db.prepare(`UPDATE ${table} SET machine = ? WHERE machine = ?`);
      rename.run('swap', HERE);
      rename.run(HERE, OTHER);
      rename.run(OTHER, 'swap');
    }
  };
  swap();
  try {
    return await look();
  } finally {
    swap();
  }
}

describe('two machines sharing a data folder', () => {
  it("each lists its own generations, and never the other's as deleted or to roll back to", async () => {
    expect(HERE, 'this machine can name itself').toMatch(/^[0-9a-f]{32}$/);
    const { profile, onMachine } = sharedProfilePath();
    const ledger = openLedger(tempDir('machines-data'));
    ledgers.push(ledger);
    onMachine('other');
    setProfile(profile, systems.slice(0, 2));
    onMachine('here');
    setProfile(profile, systems.slice(2, 5));

    onMachine('other');
    const theirs = await asOther(ledger, () => generationHistory(ledger, { profile }));
    expect(theirs.generations.map((g) => [g.number, g.host, g.present])).toEqual([
      [1, 'attic', true],
      [2, 'attic', true],
    ]);

    onMachine('here');
    const mine = await generationHistory(ledger, { profile });
    expect(mine.report).toMatchObject({ vanished: 0, current: 3 });
    expect(mine.generations.map((g) => [g.number, g.host, g.present])).toEqual([
      [1, 'desk', true],
      [2, 'desk', true],
      [3, 'desk', true],
    ]);
    const rollback = await planRollback(ledger, { profile, to: 1 });
    expect(rollback.to.storePath, 'generation 1 here is this machine’s').toBe(systems[2]);
    // The other machine's unanswered "Keep this configuration?" goes back to its generation 2,
    // which protects that one there, not this machine's generation 2.
    ledger.db
      .prepare(
        `INSERT INTO keep_trials (machine, profile, run_id, generation, revert_to, deadline, pid)
         VALUES (?, ?, 'theirs', 3, 2, '2026-11-27T10:00:00.000Z', 1)`,
      )
      .run(OTHER, profile);
    const deletion = await planDelete(ledger, { profile, keep: 1 });
    expect(deletion.delete.map((g) => g.storePath)).toEqual(systems.slice(2, 4));

    onMachine('other');
    const again = await asOther(ledger, () => generationHistory(ledger, { profile }));
    expect(again.report, 'nothing of the other machine’s vanished').toMatchObject({
      added: 0,
      vanished: 0,
    });
    expect(again.generations).toEqual(theirs.generations);
  });

  it('splits a ledger from before machines were told apart between the two, every row kept', async () => {
    const { profile, onMachine } = sharedProfilePath();
    const ledger = openLedger(tempDir('machines-before'));
    ledgers.push(ledger);
    onMachine('other');
    setProfile(profile, systems.slice(0, 2));
    onMachine('here');
    setProfile(profile, systems.slice(2, 4));
    // The other machine's rebuild of its generation 2, recorded with its machine.
    const runs = createRunStore(ledger);
    const built = runs.start({ kind: 'rebuild', action: 'switch', argv: ['nixstrap'], profile });
    runs.finish(built.id, { status: 'succeeded', storePath: systems[1] as string, generation: 2 });
    ledger.db.prepare('UPDATE runs SET machine = ? WHERE id = ?').run(OTHER, built.id);

    // As both machines read the one profile path before: each took the other's for deleted.
    onMachine('other');
    await generationHistory(ledger, { profile });
    onMachine('here');
    const before = await generationHistory(ledger, { profile });
    expect(before.report.vanished).toBe(2);
    const rows = () =>
      ledger.db
        .prepare(
          `SELECT g.id, t.machine, g.store_path AS storePath, g.first_seen_at AS firstSeen
           FROM generations g JOIN targets t ON t.id = g.target_id ORDER BY g.id`,
        )
        .all() as { id: number; machine: string; storePath: string; firstSeen: string }[];
    const recorded = rows();
    expect(new Set(recorded.map((r) => r.machine))).toEqual(new Set([HERE]));
    // A ledger from before names no machine.
    ledger.db.prepare("UPDATE targets SET machine = ''").run();
    ledger.db.prepare('UPDATE runs SET machine = NULL WHERE id != ?').run(built.id);

    // This machine looks first. The old target holds a run the other machine recorded, so it is
    // not this machine's to claim: this machine's rows move to a target of its own.
    const mine = await generationHistory(ledger, { profile });
    expect(mine.generations.filter((g) => g.present).map((g) => g.storePath)).toEqual(
      systems.slice(2, 4),
    );

    // The other machine's first look claims the old target, its rows and run with it.
    onMachine('other');
    const theirs = await asOther(ledger, () => generationHistory(ledger, { profile }));
    expect(theirs.report).toMatchObject({ added: 0 });
    expect(theirs.generations.map((g) => [g.number, g.storePath, g.present, g.runId])).toEqual([
      [1, systems[0], true, null],
      [2, systems[1], true, built.id],
    ]);
    onMachine('here');
    const after = await generationHistory(ledger, { profile });
    expect(after.generations.map((g) => [g.number, g.storePath, g.present])).toEqual([
      [1, systems[2], true],
      [2, systems[3], true],
    ]);
    expect(
      rows().map(({ id, storePath, firstSeen }) => ({ id, storePath, firstSeen })),
      'every row kept, with when it was first seen',
    ).toEqual(recorded.map(({ id, storePath, firstSeen }) => ({ id, storePath, firstSeen })));
  });

  it('keeps the generations a ledger from before machines were told apart has for this machine', async () => {
    const { profile, onMachine } = sharedProfilePath();
    onMachine('here');
    setProfile(profile, systems.slice(2, 4));
    const ledger = openLedger(tempDir('machines-alone'));
    ledgers.push(ledger);
    const first = await generationHistory(ledger, { profile });
    ledger.db.prepare("UPDATE targets SET machine = ''").run();

    const again = await generationHistory(ledger, { profile });
    expect(again.report).toMatchObject({ targetId: first.report.targetId, added: 0, vanished: 0 });
    expect(again.generations).toEqual(first.generations);
    expect(ledger.db.prepare('SELECT machine FROM targets').pluck().all()).toEqual([HERE]);
  });
});
