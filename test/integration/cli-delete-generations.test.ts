import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { LEDGER_FILE } from '../../main/core/ledger';
import { nixstrap, repoRoot, tempDir } from './helpers/cli';
import { buildGenerations, currentNumber, NIX_ENV, setProfile } from './helpers/generations';

let stores: string[];

beforeAll(() => {
  expect(fs.existsSync(path.join(repoRoot, 'out/main/cli.js')), 'run `npm run build` first').toBe(
    true,
  );
  stores = buildGenerations([
    { label: '25.05.1', packages: ['hello-2.12', 'curl-8.5.0'] },
    { label: '25.05.2', packages: ['hello-2.13', 'curl-8.5.0'] },
    { label: '25.05.3', packages: ['hello-2.13', 'git-2.44.0'] },
    { label: '25.05.4', packages: ['hello-2.13', 'git-2.45.0'] },
  ]);
});

/**
 * A real NixOS profile of four generations, 4 current and running, `booted` the one booted,
 * with a stand-in /run whose switch-to-configuration records its calls in `calls`.
 */
function machine(booted: number, activation: NodeJS.ProcessEnv = {}) {
  const root = tempDir('cli-delete-generations');
  const profile = path.join(root, 'profiles', 'system');
  setProfile(profile, stores);
  const runDir = path.join(root, 'run');
  fs.mkdirSync(runDir);
  fs.symlinkSync(stores[3] as string, path.join(runDir, 'current-system'));
  fs.symlinkSync(stores[booted - 1] as string, path.join(runDir, 'booted-system'));
  const env = {
    ...NIX_ENV,
    NIXSTRAP_RUN_DIR: runDir,
    STANDIN_ACTIVATION_DIR: runDir,
    ...activation,
  };
  const dataDir = path.join(root, 'data');
  const run = (...args: string[]) =>
    nixstrap([...args, '--profile', profile, '--data-dir', dataDir], { env });
  const links = () =>
    fs
      .readdirSync(path.dirname(profile))
      .filter((name) => /^system-\d+-link$/.test(name))
      .sort();
  const calls = () => {
    const file = path.join(runDir, 'calls');
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  };
  const listed = () =>
    (JSON.parse(run('generations', '--json').stdout) as { number: number; present: boolean }[]).map(
      (g) => [g.number, g.present],
    );
  /** Where the run's phases went, as --json printed them and as the ledger keeps them. */
  const phases = (stdout: string) => {
    const events = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const result = events.at(-1);
    const ledger = new Database(path.join(dataDir, LEDGER_FILE), { readonly: true });
    const recorded = ledger
      .prepare('SELECT phase, status, exit_code FROM run_phases WHERE run_id = ? ORDER BY rowid')
      .all(result.runId) as { phase: string; status: string; exit_code: number | null }[];
    ledger.close();
    return {
      result,
      printed: events
        .filter((e) => e.type === 'phase')
        .map((e) => `${e.phase}:${e.status}${e.exitCode == null ? '' : `:${e.exitCode}`}`),
      recorded: recorded.map((r) => `${r.phase}:${r.status}`),
    };
  };
  return { profile, runDir, dataDir, env, run, links, calls, listed, phases };
}

describe('nixstrap delete-generations', () => {
  it('deletes 1 and 2, makes the boot menu again from the current one, and keeps their history', () => {
    const m = machine(3);
    expect(m.listed()).toEqual([
      [1, true],
      [2, true],
      [3, true],
      [4, true],
    ]);
    const result = m.run('delete-generations', '1', '2', '--yes');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`$ nix-env -p ${m.profile} --delete-generations 1 2\n`);
    expect(result.stdout).toMatch(
      /Generation\(s\) 1, 2 deleted and the boot menu made again \(run \S+\)\. .*`nix-collect-garbage`.*up to \d/,
    );
    expect(m.links()).toEqual(['system-3-link', 'system-4-link']);
    expect(currentNumber(m.profile)).toBe(4);
    expect(m.calls()).toBe(`nixos boot ${stores[3]}\n`);
    expect(m.listed()).toEqual([
      [1, false],
      [2, false],
      [3, true],
      [4, true],
    ]);
    const [run] = JSON.parse(nixstrap(['runs', '--json', '--data-dir', m.dataDir]).stdout);
    expect(run).toMatchObject({ kind: 'delete', action: 'delete', status: 'succeeded' });
  });

  it('refuses the current generation, naming which is which, and changes nothing', () => {
    const m = machine(3);
    const result = m.run('delete-generations', '1', '4', '--yes');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'Generation 4 is the current one (the boot default) and the running one, so it is never deleted.',
    );
    // The hint names the other one never deleted, not the refused one again.
    expect(result.stderr).toContain(
      'hint: Never deleted either: generation 3, the booted one. Choose others from',
    );
    expect(m.links()).toEqual(['system-1-link', 'system-2-link', 'system-3-link', 'system-4-link']);
    expect(m.calls()).toBe('');
    expect(JSON.parse(nixstrap(['runs', '--json', '--data-dir', m.dataDir]).stdout)).toEqual([]);
  });

  it('refuses the generation an unanswered "Keep this configuration?" goes back to', () => {
    const m = machine(4);
    expect(m.run('generations').code).toBe(0);
    const ledger = new Database(path.join(m.dataDir, LEDGER_FILE));
    ledger
      .prepare(
        `INSERT INTO keep_trials (machine, profile, run_id, generation, revert_to, deadline, pid)
         VALUES ('', ?, 'r1', 4, 2, '2099-01-01T00:00:00.000Z', 1)`,
      )
      .run(m.profile);
    ledger.close();
    const result = m.run('delete-generations', '2', '--yes');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'Generation 2 is the one an unanswered "Keep this configuration?" goes back to, so it is never deleted.',
    );
    const kept = m.run('delete-generations', '--keep', '1', '--yes');
    expect(kept.code).toBe(0);
    expect(m.links()).toEqual(['system-2-link', 'system-4-link']);
  });

  it('--keep 1 leaves the current one and the booted one', () => {
    const m = machine(2);
    const result = m.run('delete-generations', '--keep', '1', '--yes');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(m.links()).toEqual(['system-2-link', 'system-4-link']);
    expect(m.calls()).toBe(`nixos boot ${stores[3]}\n`);
    const again = m.run('delete-generations', '--keep', '1', '--yes');
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^Nothing to delete/);
  });

  it('--keep takes a count, and says so for one that is not', () => {
    const m = machine(4);
    for (const count of ['0', '1.5', 'two']) {
      const result = m.run('delete-generations', '--keep', count, '--yes');
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        `nixstrap: --keep must be how many of the newest generations to keep, 1 or more, not "${count}".\n  hint: The current, running and booted generations stay whatever K is: \`--keep 1\` deletes every other one.\n`,
      );
    }
    expect(m.links()).toHaveLength(4);
  });

  it('asks before deleting, and without a terminal needs --yes', () => {
    const m = machine(3);
    const result = m.run('delete-generations', '1');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('Pass --yes to delete without asking.');
    expect(m.links()).toHaveLength(4);
  });
});

describe('nixstrap delete-generations: the phases are a deletion’s own', () => {
  it('--json names them "delete-links" and "boot-menu", as the ledger records them, never a profile set or an activation', () => {
    const m = machine(3);
    const result = m.run('delete-generations', '1', '2', '--yes', '--json');
    expect(result.code).toBe(0);
    const { result: end, printed, recorded } = m.phases(result.stdout);
    expect(end).toMatchObject({ type: 'result', status: 'succeeded' });
    expect(printed).toEqual([
      'confirm:started',
      'confirm:succeeded',
      'delete-links:started',
      'delete-links:succeeded:0',
      'boot-menu:started',
      'boot-menu:succeeded:0',
    ]);
    expect(recorded).toEqual([
      'confirm:succeeded',
      'delete-links:succeeded',
      'boot-menu:succeeded',
    ]);
  });

  it('a boot menu that fails is said as such: the generations are gone, the menu may still list them', () => {
    const m = machine(3, { STANDIN_ACTIVATION_EXIT: '1' });
    const result = m.run('delete-generations', '1', '--yes', '--json');
    expect(result.code).toBe(1);
    const { result: end, printed } = m.phases(result.stdout);
    expect(printed.slice(-2)).toEqual(['boot-menu:started', 'boot-menu:failed:1']);
    expect(end).toMatchObject({
      status: 'failed',
      explanation: {
        kind: 'boot-menu-failed',
        message:
          'Generation(s) 1 were deleted, but making the boot menu again failed (exit 1), so it may still list them.',
      },
    });
    expect(m.links()).toEqual(['system-2-link', 'system-3-link', 'system-4-link']);
  });

  it('Ctrl-C while the boot menu is made ends the run cancelled, saying the generations are gone and the menu may still list them', async () => {
    const m = machine(3, { STANDIN_ACTIVATION_SLEEP: '30' });
    const child = spawn(
      process.execPath,
      [
        path.join(repoRoot, 'bin/nixstrap.js'),
        ...['delete-generations', '1', '--yes', '--json'],
        ...['--profile', m.profile, '--data-dir', m.dataDir],
      ],
      { env: m.env },
    );
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const started = Date.now();
    while (!m.calls()) {
      if (Date.now() - started > 30_000)
        throw new Error('the deletion never reached the boot menu');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    child.kill('SIGINT');
    expect(await exited).toBe(1);
    const { result, printed } = m.phases(stdout);
    expect(printed.at(-1)).toMatch(/^boot-menu:failed:/);
    expect(result).toMatchObject({
      status: 'cancelled',
      explanation: {
        kind: 'boot-menu-failed',
        message:
          'Generation(s) 1 were deleted, but making the boot menu again was cancelled, so it may still list them.',
      },
    });
    expect(m.links()).toEqual(['system-2-link', 'system-3-link', 'system-4-link']);
  });
});

describe('nixstrap delete-generations with nothing to delete', () => {
  it('says so, and with --json ends in a result a script reads like a run’s', () => {
    const m = machine(4);
    const text = m.run('delete-generations', '--keep', '10', '--yes');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^Nothing to delete: /);
    const json = m.run('delete-generations', '--keep', '10', '--yes', '--json');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      type: 'result',
      status: 'succeeded',
      runId: null,
      exitCode: 0,
      deleted: [],
    });
    expect(m.links()).toHaveLength(4);
  });
});
