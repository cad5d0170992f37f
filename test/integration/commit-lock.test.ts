import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GenerationSchema, NixstrapFailure, type RunSummary } from '../../common';
import { openLedger } from '../../main/core/ledger';
import { commitBuiltLock, lockCommitRefusal } from '../../main/core/rebuild/commit-lock';
import { gitEnvAt } from '../helpers/git-at';
import { makeStandInFlake, type StandInFlake } from '../helpers/stand-in-flake';
import { nixstrap, tempDir } from './helpers/cli';
import { rebuildDirs, standInRun, terminalText } from './helpers/rebuild';

type Dirs = { dataDir: string; profile: string };

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    env: gitEnvAt('2026-11-27T10:00:00Z'),
  });
}

/** A local git repo with one commit, for a flake to take as an input with no network. */
function localSource(prefix: string): string {
  const source = path.join(tempDir(prefix), 'source');
  fs.mkdirSync(source);
  git(source, 'init', '-q', '-b', 'main');
  fs.writeFileSync(path.join(source, 'version'), '1\n');
  git(source, 'add', '-A');
  git(source, 'commit', '-q', '-m', 'source');
  return source;
}

/** A fresh repo whose first build writes flake.lock: an input declared, nothing locked. */
function unlockedFlake(prefix: string): StandInFlake {
  const nixpkgs = localSource(prefix);
  return makeStandInFlake({ demo: {} }, { inputs: { nixpkgs: `git+file://${nixpkgs}` } });
}

/**
 * A fresh repo whose first build writes a flake.lock over 256 KB, more than the ledger keeps as
 * text: forty inputs on one local branch whose name runs to 3,000 characters, each locked with it.
 */
function bigUnlockedFlake(prefix: string): StandInFlake {
  const source = localSource(prefix);
  const branch = Array.from({ length: 15 }, (_, i) => `${i}`.padEnd(200, 'r')).join('/');
  git(source, 'branch', branch);
  const inputs = Object.fromEntries(
    Array.from({ length: 40 }, (_, i) => [`in${i}`, `git+file://${source}?ref=${branch}`]),
  );
  return makeStandInFlake({ demo: {} }, { inputs });
}

function cli(dirs: Dirs, ...args: string[]): string {
  const result = nixstrap([...args, '--profile', dirs.profile, '--data-dir', dirs.dataDir]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return result.stdout;
}

function runJson(dirs: Dirs, id: string): RunSummary {
  const runs = JSON.parse(nixstrap(['runs', '--json', '--data-dir', dirs.dataDir]).stdout);
  return (runs as RunSummary[]).find((run) => run.id === id) as RunSummary;
}

function generation(dirs: Dirs, number: number) {
  const listed = JSON.parse(cli(dirs, 'generations', '--json')) as unknown[];
  return listed.map((g) => GenerationSchema.parse(g)).find((g) => g.number === number);
}

/** commit-lock through the engine: the failure's code, or the run it recorded. */
async function commitLock(dirs: Dirs, runId: string): Promise<RunSummary | string> {
  const ledger = openLedger(dirs.dataDir);
  try {
    return await commitBuiltLock(ledger, runId);
  } catch (error) {
    if (error instanceof NixstrapFailure) return error.error.code;
    throw error;
  } finally {
    ledger.close();
  }
}

/** What commit-lock would refuse now, read without writing: the refusal's code, or null. */
async function refusalNow(dirs: Dirs, runId: string): Promise<string | null> {
  const ledger = openLedger(dirs.dataDir);
  try {
    return (await lockCommitRefusal(ledger, runId))?.code ?? null;
  } finally {
    ledger.close();
  }
}

/** A first build that writes the lock, succeeded; its run's id. */
async function firstBuild(flake: StandInFlake, dirs: Dirs): Promise<string> {
  const run = await standInRun(flake, dirs);
  expect(await run.done).toMatchObject({ status: 'succeeded', generation: 1 });
  expect(runJson(dirs, run.id)).toMatchObject({ lockWritten: true });
  return run.id;
}

describe('commit-lock commits the flake.lock a build wrote', () => {
  it('commits flake.lock alone on the commit built from, leaves every other change as it was, and records the run and generation as built from it', async () => {
    const flake = unlockedFlake('commit-lock');
    const dirs = rebuildDirs('commit-lock');
    const started = git(flake.dir, 'rev-parse', 'HEAD').trim();
    const run = await standInRun(flake, dirs);
    expect(await run.done).toMatchObject({ status: 'succeeded', generation: 1 });
    expect(terminalText(run)).toContain(`\`nixstrap commit-lock ${run.id}\` commits it`);
    const lock = fs.readFileSync(path.join(flake.dir, 'flake.lock'), 'utf8');

    // The owner's work after the build: a file staged, flake.nix edited and not staged.
    fs.writeFileSync(path.join(flake.dir, 'notes.txt'), 'staged\n');
    git(flake.dir, 'add', 'notes.txt');
    fs.appendFileSync(path.join(flake.dir, 'flake.nix'), '# mine\n');
    const staged = git(flake.dir, 'diff', '--cached', '--', '.', ':!flake.lock');
    const unstaged = git(flake.dir, 'diff', '--', '.', ':!flake.lock');

    const committed = nixstrap(['commit-lock', run.id, '--data-dir', dirs.dataDir]);
    expect(committed).toMatchObject({ code: 0, stderr: '' });
    const out = committed.stdout;
    const head = git(flake.dir, 'rev-parse', 'HEAD').trim();
    expect(out).toContain(`Committed flake.lock in ${flake.dir} as ${head.slice(0, 12)}`);
    expect(git(flake.dir, 'rev-parse', 'HEAD^').trim()).toBe(started);
    expect(git(flake.dir, 'show', '--name-only', '--format=%s', 'HEAD')).toBe(
      'Lock flake inputs\n\nflake.lock\n',
    );
    expect(git(flake.dir, 'show', 'HEAD:flake.lock')).toBe(lock);
    expect(git(flake.dir, 'status', '--porcelain')).toBe(' M flake.nix\nA  notes.txt\n');
    expect(git(flake.dir, 'diff', '--cached')).toBe(staged);
    expect(git(flake.dir, 'diff')).toBe(unstaged);
    git(flake.dir, 'fsck', '--no-dangling');

    expect(runJson(dirs, run.id)).toMatchObject({
      commit: head,
      dirty: false,
      lockWritten: false,
      subject: 'Lock flake inputs',
      branch: 'main',
    });
    expect(generation(dirs, 1)).toMatchObject({ commit: head, dirty: false, lockWritten: false });
    expect(cli(dirs, 'generations', '1')).not.toContain('Uncommitted');

    // Once is enough: a second time says it is done, and changes nothing.
    const again = nixstrap(['commit-lock', run.id, '--data-dir', dirs.dataDir]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`The flake.lock run ${run.id} built with is already committed`);
    expect(git(flake.dir, 'rev-parse', 'HEAD').trim()).toBe(head);
  });

  it('keeps a generation built with other uncommitted changes marked as such', async () => {
    const flake = unlockedFlake('commit-lock-dirty');
    const dirs = rebuildDirs('commit-lock-dirty');
    fs.appendFileSync(path.join(flake.dir, 'flake.nix'), '# built with this\n');
    const runId = await firstBuild(flake, dirs);

    const done = await commitLock(dirs, runId);
    const head = git(flake.dir, 'rev-parse', 'HEAD').trim();
    expect(done).toMatchObject({ commit: head, dirty: true, lockWritten: false });
    expect(generation(dirs, 1)).toMatchObject({ commit: head, dirty: true, lockWritten: false });
    expect(git(flake.dir, 'status', '--porcelain')).toBe(' M flake.nix\n');
  });

  it('commits a lock too big for the ledger to keep, told by its sha256, and refuses it once changed', async () => {
    const flake = bigUnlockedFlake('commit-lock-big');
    const dirs = rebuildDirs('commit-lock-big');
    const runId = await firstBuild(flake, dirs);
    const lockFile = path.join(flake.dir, 'flake.lock');
    const lock = fs.readFileSync(lockFile, 'utf8');
    expect(lock.length).toBeGreaterThan(256 * 1024);
    const status = git(flake.dir, 'status', '--porcelain');

    fs.writeFileSync(lockFile, lock.replace('"version": 7', '"version":  7'));
    expect(await commitLock(dirs, runId)).toBe('LOCK_CHANGED');
    expect(git(flake.dir, 'status', '--porcelain')).toBe(status);
    fs.writeFileSync(lockFile, lock);

    const head = git(flake.dir, 'rev-parse', 'HEAD').trim();
    expect(await commitLock(dirs, runId)).toMatchObject({ dirty: false, lockWritten: false });
    expect(git(flake.dir, 'rev-parse', 'HEAD^').trim()).toBe(head);
    expect(git(flake.dir, 'show', 'HEAD:flake.lock')).toBe(lock);
    expect(git(flake.dir, 'status', '--porcelain')).toBe('');
  });

  it('refuses, writing nothing, when the lock changed, the repo moved on or is gone, the lock is committed, or the build wrote none', async () => {
    const flake = unlockedFlake('commit-lock-refused');
    const dirs = rebuildDirs('commit-lock-refused');
    const runId = await firstBuild(flake, dirs);
    const started = git(flake.dir, 'rev-parse', 'HEAD').trim();
    const lockFile = path.join(flake.dir, 'flake.lock');
    const lock = fs.readFileSync(lockFile, 'utf8');
    const untouched = () => {
      expect(git(flake.dir, 'rev-parse', 'HEAD').trim()).toBe(started);
      expect(runJson(dirs, runId)).toMatchObject({ commit: started, lockWritten: true });
    };

    // Each refusal is known before commit-lock is asked, so the app's button can say why not.
    expect(await refusalNow(dirs, runId)).toBeNull();
    fs.writeFileSync(lockFile, `${lock}\n`);
    expect(await refusalNow(dirs, runId)).toBe('LOCK_CHANGED');
    expect(await commitLock(dirs, runId)).toBe('LOCK_CHANGED');
    untouched();
    fs.writeFileSync(lockFile, lock);

    fs.writeFileSync(path.join(flake.dir, 'other.txt'), 'other\n');
    git(flake.dir, 'add', 'other.txt');
    git(flake.dir, 'commit', '-q', '-m', 'other', '--', 'other.txt');
    expect(await refusalNow(dirs, runId)).toBe('LOCK_HEAD_MOVED');
    expect(await commitLock(dirs, runId)).toBe('LOCK_HEAD_MOVED');
    expect(git(flake.dir, 'show', '--name-only', '--format=', 'HEAD')).toBe('other.txt\n');
    git(flake.dir, 'reset', '-q', '--soft', started);
    git(flake.dir, 'rm', '-q', '--cached', 'other.txt');
    fs.rmSync(path.join(flake.dir, 'other.txt'));
    untouched();

    const moved = `${flake.dir}-moved`;
    fs.renameSync(flake.dir, moved);
    const gone = nixstrap(['commit-lock', runId, '--data-dir', dirs.dataDir]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain(`The repo run ${runId} built from, ${flake.dir}, is gone`);
    fs.renameSync(moved, flake.dir);
    untouched();

    expect(await refusalNow(dirs, runId)).toBeNull();
    git(flake.dir, 'commit', '-q', '-m', 'by hand', '--', 'flake.lock');
    expect(await refusalNow(dirs, runId)).toBe('LOCK_ALREADY_COMMITTED');
    expect(await commitLock(dirs, runId)).toBe('LOCK_ALREADY_COMMITTED');
    expect(runJson(dirs, runId)).toMatchObject({ commit: started, lockWritten: true });

    const second = await standInRun(flake, dirs);
    expect(await second.done).toMatchObject({ status: 'succeeded' });
    expect(await commitLock(dirs, second.id)).toBe('LOCK_NOT_WRITTEN');
  });
});
