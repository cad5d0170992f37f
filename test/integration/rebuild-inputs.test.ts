import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { type Generation, GenerationSchema, inputDifferences, type RunSummary } from '../../common';
import { LEDGER_FILE } from '../../main/core/ledger';
import { gitEnvAt } from '../helpers/git-at';
import { makeStandInFlake, standInEnv } from '../helpers/stand-in-flake';
import { nixstrap, tempDir } from './helpers/cli';
import { rebuildDirs, standInRun, terminalText } from './helpers/rebuild';

/** Commits all of a repo at a fixed date, so the lock's lastModified is known. */
function commitAt(dir: string, date: string): string {
  const env = gitEnvAt(date);
  execFileSync('git', ['add', '-A'], { cwd: dir, env });
  execFileSync('git', ['commit', '-q', '-m', `at ${date}`], { cwd: dir, env });
  return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: dir, encoding: 'utf8' }).trim();
}

/** A local git repo standing in for nixpkgs: an input Nix locks with no network. */
function localSource(root: string): string {
  const dir = path.join(root, 'nixpkgs');
  fs.mkdirSync(dir);
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir });
  return dir;
}

/** `nixstrap ARGS` on the test's profile and data dir; its output, once it succeeded. */
function cli(dirs: { dataDir: string; profile: string }, ...args: string[]): string {
  const result = nixstrap([...args, '--profile', dirs.profile, '--data-dir', dirs.dataDir]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return result.stdout;
}

function generationsJson(dirs: { dataDir: string; profile: string }) {
  const listed = JSON.parse(cli(dirs, 'generations', '--json')) as unknown[];
  return listed.map((g) => GenerationSchema.parse(g));
}

describe('a rebuild records the flake inputs it built from', () => {
  it('records the pins Nix locked, the moved pin of the next run, and says what differs', async () => {
    const root = tempDir('rebuild-inputs');
    const nixpkgs = localSource(root);
    fs.writeFileSync(path.join(nixpkgs, 'version'), '1\n');
    const first = commitAt(nixpkgs, '2026-11-20T10:00:00Z');
    // A plain folder beside it, pinned by its contents alone: it has no commit.
    const wallpapers = path.join(root, 'wallpapers');
    fs.mkdirSync(wallpapers);
    fs.writeFileSync(path.join(wallpapers, 'dunes.svg'), '<svg/>');
    const flake = makeStandInFlake(
      { demo: {} },
      { inputs: { nixpkgs: `git+file://${nixpkgs}`, wallpapers: `path:${wallpapers}` } },
    );
    const dirs = rebuildDirs('rebuild-inputs');

    const one = await (await standInRun(flake, dirs)).done;
    expect(one).toMatchObject({ status: 'succeeded', generation: 1 });

    // The owner moves the pin as `nix flake update` does, and rebuilds.
    fs.writeFileSync(path.join(nixpkgs, 'version'), '2\n');
    const second = commitAt(nixpkgs, '2026-11-27T09:30:00Z');
    execFileSync('nix', ['flake', 'lock', '--update-input', 'nixpkgs'], {
      cwd: flake.dir,
      env: standInEnv(),
      stdio: 'ignore',
    });
    commitAt(flake.dir, '2026-11-27T10:00:00Z');
    const two = await (await standInRun(flake, dirs)).done;
    expect(two).toMatchObject({ status: 'succeeded', generation: 2 });

    const [g1, g2] = generationsJson(dirs) as [Generation, Generation];
    const pinned = (rev: string, lastModified: string) => [
      {
        name: 'nixpkgs',
        source: `git+file://${nixpkgs}`,
        rev,
        lastModified,
        narHash: expect.stringMatching(/^sha256-/),
      },
      {
        name: 'wallpapers',
        source: `path:${wallpapers}`,
        rev: null,
        lastModified: expect.any(String),
        narHash: expect.stringMatching(/^sha256-/),
      },
    ];
    expect(g1?.inputs).toEqual(pinned(first, '2026-11-20T10:00:00.000Z'));
    expect(g2?.inputs).toEqual(pinned(second, '2026-11-27T09:30:00.000Z'));
    const moved = `nixpkgs: ${second.slice(0, 7)} (27 Nov) now, ${first.slice(0, 7)} (20 Nov) in generation 1`;
    expect(inputDifferences(g2, g1, true)).toEqual([moved]);
    expect(cli(dirs, 'generations', '1')).toMatch(
      new RegExp(`\\n  Inputs +nixpkgs ${first.slice(0, 7)} · 20 Nov 2026, wallpapers \\S{7} · `),
    );
    expect(cli(dirs, 'diff', '2', '1')).toContain(`Flake inputs that differ:\n  ${moved}\n`);
    // Rolling back says what it brings back besides the repo's commit, before it runs.
    expect(cli(dirs, 'rollback', '--to', '1', '--yes')).toContain(`\n  ${moved}\nCommands:`);

    // The lock's text is kept with the run, as Nix wrote it.
    const db = new Database(path.join(dirs.dataDir, LEDGER_FILE), { readonly: true });
    const lock = db.prepare('SELECT flake_lock FROM runs WHERE generation = 2').pluck().get();
    db.close();
    expect(JSON.parse(lock as string).nodes.nixpkgs.locked.rev).toBe(second);
  });

  it('records nothing from a garbled lock, and the run still succeeds', async () => {
    const flake = makeStandInFlake({ demo: {} });
    // Nix ignores a lock git does not track; the work tree's file is what would be read.
    fs.writeFileSync(path.join(flake.dir, 'flake.lock'), '{"nodes": {"root": ');
    const dirs = rebuildDirs('rebuild-inputs-garbled');

    const done = await (await standInRun(flake, dirs)).done;
    expect(done).toMatchObject({ status: 'succeeded', generation: 1 });

    const db = new Database(path.join(dirs.dataDir, LEDGER_FILE), { readonly: true });
    const run = db.prepare('SELECT flake_lock FROM runs WHERE id = ?').get(done.runId);
    const inputs = db.prepare('SELECT count(*) FROM run_inputs').pluck().get();
    db.close();
    expect(run).toEqual({ flake_lock: null });
    expect(inputs).toBe(0);
    expect(generationsJson(dirs)[0]?.inputs).toEqual([]);
  });
});

describe('a build that writes flake.lock is recorded as built from more than its commit', () => {
  it('records the lock the first build wrote as uncommitted, says so everywhere, and not once it is committed', async () => {
    const root = tempDir('rebuild-lock-written');
    const nixpkgs = localSource(root);
    fs.writeFileSync(path.join(nixpkgs, 'version'), '1\n');
    commitAt(nixpkgs, '2026-11-20T10:00:00Z');
    // A fresh repo as init writes it: inputs declared, nothing locked yet.
    const flake = makeStandInFlake({ demo: {} }, { inputs: { nixpkgs: `git+file://${nixpkgs}` } });
    const head = () =>
      execFileSync('git', ['rev-parse', 'HEAD'], { cwd: flake.dir, encoding: 'utf8' }).trim();
    const written = head();
    const dirs = rebuildDirs('rebuild-lock-written');

    const first = await standInRun(flake, dirs);
    expect(await first.done).toMatchObject({ status: 'succeeded', generation: 1 });
    const hint = `\`git -C ${flake.dir} commit -m 'Lock flake inputs' flake.lock\` commits it`;
    expect(terminalText(first)).toContain(hint);

    const runs = nixstrap(['runs', '--json', '--data-dir', dirs.dataDir]);
    const [run] = JSON.parse(runs.stdout) as RunSummary[];
    expect(run, 'the commit read before the build is not what was built').toMatchObject({
      commit: written,
      dirty: true,
      lockWritten: true,
    });
    expect(generationsJson(dirs)[0]).toMatchObject({
      commit: written,
      dirty: true,
      lockWritten: true,
    });
    expect(cli(dirs, 'generations', '1')).toMatch(
      /\n {2}Uncommitted +flake\.lock written by its build, not committed\n/,
    );

    // The owner commits the lock as told; the next build of that commit is the commit.
    execFileSync('sh', ['-c', hint.slice(1, hint.indexOf('`', 1))], {
      env: gitEnvAt('2026-11-27T10:00:00Z'),
    });
    expect(
      execFileSync('git', ['status', '--porcelain'], { cwd: flake.dir, encoding: 'utf8' }),
    ).toBe('');
    flake.update({ demo: { label: 'second' } });
    const second = await standInRun(flake, dirs);
    expect(await second.done).toMatchObject({ status: 'succeeded', generation: 2 });
    expect(terminalText(second)).not.toContain('flake.lock, which is not committed');
    const g2 = generationsJson(dirs)[1];
    expect(g2).toMatchObject({ commit: head(), dirty: false, lockWritten: false });

    // Going back to generation 1 does not pretend its commit rebuilds it.
    expect(cli(dirs, 'rollback', '--to', '1', '--yes')).toContain(
      `Generation 1 was built with a flake.lock its own build wrote, which commit ${written.slice(0, 12)} does not hold`,
    );
  });
});
