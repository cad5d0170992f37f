import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { CommitCheckSchema, GenerationSchema } from '../../common';
import { shellWord } from '../../common/shell-word';
import { LEDGER_FILE } from '../../main/core/ledger';
import { loseLastCommit } from '../helpers/lost-commit';
import { nixstrap, nixstrapInTerminal, repoRoot, tempDir } from './helpers/cli';
import {
  buildGenerations,
  currentNumber,
  NIX_ENV,
  type StandInGeneration,
  setProfile,
} from './helpers/generations';
import { commitAll, committedRepo, gitCli } from './helpers/repo-trees';

let stores: string[];

beforeAll(() => {
  expect(fs.existsSync(path.join(repoRoot, 'out/main/cli.js')), 'run `npm run build` first').toBe(
    true,
  );
  stores = buildGenerations([
    { label: '25.05.1', packages: ['hello-2.12', 'curl-8.5.0'], revision: 'aaaa1111' },
    { label: '25.05.2', packages: ['hello-2.13', 'curl-8.5.0'], revision: 'bbbb2222-dirty' },
    { label: '25.05.3', packages: ['hello-2.13', 'git-2.44.0'] },
  ]);
});

/** A real profile of three generations, its data dir and the stand-in /run folder. */
function machine() {
  const root = tempDir('cli-generations');
  const profile = path.join(root, 'profiles', 'system');
  setProfile(profile, stores);
  const runDir = path.join(root, 'run');
  fs.mkdirSync(runDir);
  fs.symlinkSync(stores[2] as string, path.join(runDir, 'current-system'));
  fs.symlinkSync(stores[0] as string, path.join(runDir, 'booted-system'));
  const env = { ...NIX_ENV, NIXSTRAP_RUN_DIR: runDir, STANDIN_ACTIVATION_DIR: runDir };
  const dataDir = path.join(root, 'data');
  const run = (...args: string[]) =>
    nixstrap([...args, '--profile', profile, '--data-dir', dataDir], { env });
  return { profile, runDir, dataDir, run };
}

describe('nixstrap generations', () => {
  it('stops quietly when its reader closes the pipe early', () => {
    const root = tempDir('cli-generations-pipe');
    const profile = path.join(root, 'profiles', 'system');
    fs.mkdirSync(path.dirname(profile));
    // Enough generations that the JSON outgrows the pipe's buffer before `head` is done.
    for (let n = 1; n <= 400; n++) {
      fs.symlinkSync(stores[n % stores.length] as string, `${profile}-${n}-link`);
    }
    fs.symlinkSync('system-400-link', profile);
    const cli = path.join(repoRoot, 'bin/nixstrap.js');
    const script = `"$0" "$1" generations --json --profile "$2" --data-dir "$3" | head -c 100 >/dev/null; echo "\${PIPESTATUS[0]}"`;
    const result = spawnSync(
      'bash',
      ['-c', script, process.execPath, cli, profile, path.join(root, 'data')],
      { env: { ...process.env, ...NIX_ENV }, encoding: 'utf8' },
    );
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('0');
  });

  it('--json prints exactly the promised fields, null where unknown', () => {
    const m = machine();
    const result = m.run('generations', '--json');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const generations = (JSON.parse(result.stdout) as unknown[]).map((g) =>
      GenerationSchema.parse(g),
    );
    for (const field of [
      'number',
      'storePath',
      'current',
      'booted',
      'present',
      'createdAt',
      'commit',
      'dirty',
      'runId',
      'nixosVersion',
      'closureBytes',
    ]) {
      expect(Object.keys(generations[0] as object)).toContain(field);
    }
    expect(
      generations.map((g) => [
        g.number,
        g.current,
        g.booted,
        g.present,
        g.commit,
        g.dirty,
        g.runId,
      ]),
    ).toEqual([
      [1, false, true, true, 'aaaa1111', false, null],
      [2, false, false, true, 'bbbb2222', true, null],
      [3, true, false, true, null, null, null],
    ]);
    // Built outside Nixstrap: nothing says what flake inputs they were built from.
    expect(generations.map((g) => g.inputs)).toEqual([[], [], []]);
    expect(generations[0]?.nixosVersion).toBe('25.05.1');
    expect(generations[0]?.closureBytes).toBeGreaterThan(0);
    expect(generations[0]?.createdAt).toBe(fs.lstatSync(`${m.profile}-1-link`).mtime.toISOString());
  });

  it('prints a table a person reads, with the boot default, running, booted and deleted marked', () => {
    const m = machine();
    execFileSync('nix-env', ['-p', m.profile, '--switch-generation', '2'], { env: NIX_ENV });
    m.run('generations');
    execFileSync('nix-env', ['-p', m.profile, '--delete-generations', '3'], { env: NIX_ENV });
    const result = m.run('generations');
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Gen\s+Created\s+Version\s+Kernel\s+Commit\s+Closure\s+Marks$/);
    expect(lines[1]).toMatch(
      /^ {2}1\s.*25\.05\.1\s+6\.6\.1\s+aaaa1111\s+\d+(\.\d)? (B|KiB)\s+booted$/,
    );
    // Generation 3 still runs though its link is gone: generation 2 is only what boots next.
    expect(lines[2]).toMatch(/25\.05\.2\s.*bbbb2222\+dirty.*boot default$/);
    expect(lines[3]).toMatch(/25\.05\.3\s.*running now, deleted$/);
  });

  it('lists specialisations, and says which one runs', () => {
    const [special] = buildGenerations([
      { label: '25.05.4', packages: ['hello-2.14'], specialisations: ['gaming', 'work'] },
    ]) as [string];
    const m = machine();
    setProfile(m.profile, [special]);
    fs.rmSync(path.join(m.runDir, 'current-system'));
    fs.symlinkSync(
      fs.realpathSync(path.join(special, 'specialisation', 'gaming')),
      path.join(m.runDir, 'current-system'),
    );
    const json = m.run('generations', '--json');
    expect(json.stderr).toBe('');
    const generations = (JSON.parse(json.stdout) as unknown[]).map((g) =>
      GenerationSchema.parse(g),
    );
    expect(
      generations.map((g) => [g.number, g.running, g.runningSpecialisation, g.specialisations]),
    ).toEqual([
      [1, false, null, []],
      [2, false, null, []],
      [3, false, null, []],
      [4, true, 'gaming', ['gaming', 'work']],
    ]);
    const lines = m.run('generations').stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/\sMarks\s+Specialisations$/);
    expect(lines[4]).toMatch(/\scurrent, running now · specialisation gaming\s+gaming, work$/);
  });

  it('says in one sentence that the profile does not exist', () => {
    const dataDir = tempDir('cli-data');
    const result = nixstrap([
      'generations',
      '--profile',
      path.join(dataDir, 'nope', 'system'),
      '--data-dir',
      dataDir,
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /^nixstrap: There is no Nix profile at .*nope\/system\.\n {2}hint: /,
    );
  });

  it('says a profile nothing has switched to yet has no generation, not that its path is wrong', () => {
    const dataDir = tempDir('cli-data');
    const profile = path.join(dataDir, 'profiles', 'system');
    fs.mkdirSync(path.dirname(profile));
    const result = nixstrap(['generations', '--profile', profile, '--data-dir', dataDir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `nixstrap: The profile ${profile} has no generation yet.\n  hint: Its first switch makes one; if you meant another profile, check the path: it is the profile link itself, e.g. /nix/var/nix/profiles/system.\n`,
    );
  });

  it('refuses a ledger from a newer Nixstrap and leaves it as it was', () => {
    const m = machine();
    m.run('generations');
    const file = path.join(m.dataDir, LEDGER_FILE);
    const db = new Database(file);
    db.pragma('user_version = 999');
    db.close();
    const before = fs.readFileSync(file);
    const result = m.run('generations');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/newer Nixstrap/);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('tells of a damaged ledger, moves it aside and lists the profile again', () => {
    const m = machine();
    m.run('generations');
    fs.writeFileSync(path.join(m.dataDir, LEDGER_FILE), 'garbage, not SQLite');
    const result = m.run('generations', '--json');
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/damaged and has been moved/);
    expect((JSON.parse(result.stdout) as unknown[]).length).toBe(3);
  });

  it('tells of a damaged ledger once, whichever verb opens it first', () => {
    const m = machine();
    m.run('generations');
    fs.writeFileSync(path.join(m.dataDir, LEDGER_FILE), 'garbage, not SQLite');
    const runs = nixstrap(['runs', '--data-dir', m.dataDir]);
    expect(runs.code).toBe(0);
    expect(runs.stdout).toBe('No runs recorded yet.\n');
    expect(runs.stderr).toMatch(
      /^nixstrap: The ledger was damaged and has been moved to .*damaged-/,
    );
    expect(m.run('generations').stderr).toBe('');
  });
});

describe('nixstrap generations N', () => {
  /** A config repo of two commits, the second dropped by a rewrite; a generation from each. */
  function rewrittenMachine() {
    const repo = committedRepo({ 'flake.nix': '{ }\n' });
    const kept = gitCli(repo, 'rev-parse', 'HEAD').trim();
    fs.writeFileSync(path.join(repo, 'flake.nix'), '{ outputs = _: { }; }\n');
    commitAll(repo, 'second');
    const lost = loseLastCommit(repo);
    const root = tempDir('cli-generations-one');
    const profile = path.join(root, 'profiles', 'system');
    setProfile(
      profile,
      buildGenerations([
        { label: '25.05.1', revision: kept },
        { label: '25.05.2', revision: lost },
      ]),
    );
    const dataDir = path.join(root, 'data');
    const run = (...args: string[]) =>
      nixstrap([...args, '--profile', profile, '--data-dir', dataDir], {
        env: { ...NIX_ENV, NIXSTRAP_RUN_DIR: path.join(root, 'run') },
      });
    return { repo, kept, lost, run };
  }

  it('says when the commit is no longer in the repo, and what that means for a rollback', () => {
    const m = rewrittenMachine();
    const gone = m.run('generations', '2', '--repo', m.repo);
    expect(gone.stderr).toBe('');
    expect(gone.code).toBe(0);
    expect(gone.stdout).toMatch(/^Generation 2\n {2}Created +\d{4}-/);
    expect(gone.stdout).toContain(`  Commit      ${m.lost.slice(0, 12)} in ${m.repo}\n`);
    expect(gone.stdout.trimEnd().split('\n').at(-1)).toBe(
      `Generation 2 was built from commit ${m.lost.slice(0, 12)}, which is no longer in ${m.repo}: it stays the current generation, but the configuration repo can no longer build it.`,
    );
    const json = JSON.parse(m.run('generations', '2', '--repo', m.repo, '--json').stdout);
    expect(
      GenerationSchema.extend({ commitCheck: CommitCheckSchema }).parse(json).commitCheck,
    ).toEqual({
      repo: m.repo,
      commitInRepo: false,
      warning: gone.stdout.trimEnd().split('\n').at(-1),
      repoFolderGone: false,
    });
    const there = m.run('generations', '1', '--repo', m.repo);
    expect(there.code).toBe(0);
    expect(there.stdout).toContain(`${m.kept.slice(0, 12)} in ${m.repo}`);
    expect(there.stdout).not.toContain('no longer');
  });

  it('says when the repo folder itself is gone', () => {
    const m = rewrittenMachine();
    fs.rmSync(m.repo, { recursive: true });
    const result = m.run('generations', '1', '--repo', m.repo);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      `Generation 1 was built from commit ${m.kept.slice(0, 12)} in ${m.repo}, which no longer exists: the system can go back to it, the configuration repo cannot.`,
    );
  });

  it('shows a terminal escape in the repo path as its code, and reads ~ as the home folder', () => {
    const m = rewrittenMachine();
    const result = m.run('generations', '1', '--repo', `${m.repo}\u001b]0;owned\u0007`);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('\u001b');
    expect(result.stdout).toContain(`in ${m.repo}\\u001b]0;owned\\u0007, which no longer exists`);
    const home = m.run('generations', '1', '--repo=~/nixstrap-no-such-repo');
    expect(home.stdout).toContain(`in ${path.join(os.homedir(), 'nixstrap-no-such-repo')}, which`);
  });

  it('takes one generation number, and --repo only with it', () => {
    const m = rewrittenMachine();
    expect(m.run('generations', 'two').stderr).toMatch(/N must be a generation number/);
    expect(m.run('generations', '9').stderr).toMatch(/There is no generation 9/);
    const repoAlone = m.run('generations', '--repo', m.repo);
    expect(repoAlone.code).toBe(2);
    expect(repoAlone.stderr).toMatch(/--repo is for one generation/);
  });
});

describe('nixstrap diff', () => {
  it('lists what changes from A to B, as text and as JSON', () => {
    const m = machine();
    const text = m.run('diff', '1', '3');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^Generation 1 → 3\n/);
    expect(text.stdout).toContain('  ~ hello: 2.12 → 2.13');
    expect(text.stdout).toContain('  + git 2.44.0');
    expect(text.stdout).toContain('  - curl 8.5.0');
    expect(text.stdout).toMatch(/Closure: .* → .*/);
    const json = JSON.parse(m.run('diff', '1', '3', '--json').stdout);
    expect(json.changes.added).toEqual([{ name: 'git', version: '2.44.0' }]);
    expect([json.from.number, json.to.number]).toEqual([1, 3]);
  });

  it('needs two generation numbers', () => {
    const m = machine();
    expect(m.run('diff', '1').code).toBe(2);
    expect(m.run('diff', '1', 'two').stderr).toMatch(/B must be a generation number/);
    expect(m.run('diff', '1', '9').stderr).toMatch(/There is no generation 9/);
  });
});

describe('nixstrap rollback', () => {
  it('points at the same profile when it cannot roll back', () => {
    const m = machine();
    const result = m.run('rollback', '--to', '9', '--yes');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('There is no generation 9 in this profile.');
    expect(result.stderr).toContain(
      `hint: Run \`nixstrap generations --profile ${m.profile}\` to see the numbers it has.`,
    );
    const boot = m.run('rollback', '--to', '3', '--boot', '--yes');
    expect(boot.stderr).toMatch(
      /already the current one.*\n {2}hint: Pick another one from `nixstrap generations --profile /,
    );
  });

  it('--yes rolls back to the previous generation and says so', () => {
    const m = machine();
    const result = m.run('rollback', '--yes');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Roll back .* from generation 3 to generation 2:/);
    expect(result.stdout).toMatch(/Generation 2 is active \(run \S+\)\.\n$/);
    // Piped, the commands it runs are plain lines as in `nixstrap rebuild`, with no colour codes.
    expect(result.stdout).toContain(`$ nix-env -p ${m.profile} --switch-generation 2\n`);
    expect(result.stdout).not.toContain('\u001b');
    expect(currentNumber(m.profile)).toBe(2);
    expect(fs.readFileSync(path.join(m.runDir, 'calls'), 'utf8')).toBe(
      `nixos switch ${stores[1]}\n`,
    );
  });

  it('--to N --boot --json streams the run events, the last one the result', () => {
    const m = machine();
    const result = m.run('rollback', '--to', '1', '--boot', '--yes', '--json');
    expect(result.code).toBe(0);
    const events = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(events.at(-1)).toMatchObject({ type: 'result', status: 'succeeded', generation: 1 });
    expect(events.find((e) => e.type === 'changes')).toMatchObject({
      removed: [{ name: 'git', version: '2.44.0' }],
    });
    expect(currentNumber(m.profile)).toBe(1);
    expect(fs.realpathSync(path.join(m.runDir, 'current-system'))).toBe(stores[2]);
    // Generation 3 still runs: generation 1 is what boots next, not what is current.
    const table = m.run('generations').stdout.trimEnd().split('\n');
    expect(table[1]).toMatch(/25\.05\.1\s.*boot default, booted$/);
    expect(table[3]).toMatch(/25\.05\.3\s.*running now$/);
  });

  it('--json: a failed activation ends in a failed result, and its sentence is on stderr', () => {
    const m = machine();
    const result = nixstrap(
      ['rollback', '--to', '2', '--yes', '--json', '--profile', m.profile, '--data-dir', m.dataDir],
      {
        env: {
          ...NIX_ENV,
          NIXSTRAP_RUN_DIR: m.runDir,
          STANDIN_ACTIVATION_DIR: m.runDir,
          STANDIN_ACTIVATION_EXIT: '2',
        },
      },
    );
    expect(result.code).toBe(1);
    const events = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(events.at(-1)).toMatchObject({ type: 'result', status: 'failed' });
    expect(result.stderr).toMatch(/^nixstrap: [^\n]+\n {2}hint: [^\n]+\n$/);
  });

  it('takes SIGINT as a cancel, as a rebuild does: the run ends recorded, not cut off', async () => {
    const m = machine();
    const child = spawn(
      process.execPath,
      [
        path.join(repoRoot, 'bin/nixstrap.js'),
        ...['rollback', '--to', '2', '--yes', '--json'],
        ...['--profile', m.profile, '--data-dir', m.dataDir],
      ],
      {
        env: {
          ...NIX_ENV,
          NIXSTRAP_RUN_DIR: m.runDir,
          STANDIN_ACTIVATION_DIR: m.runDir,
          STANDIN_ACTIVATION_SLEEP: '30',
        },
      },
    );
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const calls = path.join(m.runDir, 'calls');
    const started = Date.now();
    while (!fs.existsSync(calls)) {
      if (Date.now() - started > 30_000) throw new Error('the rollback never reached activation');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    child.kill('SIGINT');
    const code = await exited;
    const events = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    // The stand-in activation outlives its killed `sleep`, so the run ends as activation did.
    const result = events.at(-1);
    expect(result).toMatchObject({ type: 'result' });
    expect(code).toBe(result.status === 'succeeded' ? 0 : 1);
    expect(events.some((e) => e.type === 'output' && e.text.includes('Cancelling'))).toBe(true);
    const runs = JSON.parse(nixstrap(['runs', '--json', '--data-dir', m.dataDir]).stdout);
    expect(runs[0]).toMatchObject({ kind: 'rollback', status: result.status });
  });

  it('after Boot into, refuses "the previous generation" and prints the command for each choice', () => {
    const m = machine();
    expect(m.run('rollback', '--to', '2', '--boot', '--yes').code).toBe(0);
    const result = m.run('rollback', '--yes');
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    const flags = `--yes --profile ${shellWord(m.profile)} --data-dir ${shellWord(m.dataDir)}`;
    expect(result.stderr).toBe(
      [
        'nixstrap: Generation 3 is running now and generation 2 is the boot default, so "the previous generation" is not one generation.',
        '  hint: Name the generation with --to.',
        '  To roll back to generation 2, the one before the running one (3):',
        `    nixstrap rollback --to 2 ${flags}`,
        '  To roll back to generation 1, the one before the boot default (2):',
        `    nixstrap rollback --to 1 ${flags}`,
        '',
      ].join('\n'),
    );
    expect(currentNumber(m.profile)).toBe(2);
    // A printed command, run as it stands, does what it says.
    const command = result.stderr.split('\n')[5]?.trim().split(' ') ?? [];
    expect(command.slice(0, 4)).toEqual(['nixstrap', 'rollback', '--to', '1']);
    const chosen = nixstrap(command.slice(1), {
      env: { ...NIX_ENV, NIXSTRAP_RUN_DIR: m.runDir, STANDIN_ACTIVATION_DIR: m.runDir },
    });
    expect(chosen.stderr).toBe('');
    expect(chosen.code).toBe(0);
    expect(currentNumber(m.profile)).toBe(1);
  });

  it('will not ask without a terminal: it wants --yes', () => {
    const m = machine();
    const result = m.run('rollback');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no terminal to answer in.*\n {2}hint: Pass --yes/);
    expect(currentNumber(m.profile)).toBe(3);
  });
});

describe('nixstrap rollback while a specialisation runs', () => {
  /** Three generations, the last two with a gaming specialisation; generation 3's runs. */
  function inGaming() {
    const root = tempDir('cli-rollback-gaming');
    const profile = path.join(root, 'profiles', 'system');
    const paths = buildGenerations([
      { label: '25.05.1', packages: ['hello-2.12'] },
      { label: '25.05.2', packages: ['hello-2.13'], specialisations: ['gaming'] },
      { label: '25.05.3', packages: ['hello-2.14'], specialisations: ['gaming'] },
    ]);
    setProfile(profile, paths);
    const gaming = (n: number) =>
      fs.realpathSync(path.join(paths[n - 1] as string, 'specialisation/gaming'));
    const runDir = path.join(root, 'run');
    fs.mkdirSync(runDir);
    fs.symlinkSync(gaming(3), path.join(runDir, 'current-system'));
    const env = { ...NIX_ENV, NIXSTRAP_RUN_DIR: runDir, STANDIN_ACTIVATION_DIR: runDir };
    const dataDir = path.join(root, 'data');
    const args = (...more: string[]) => [...more, '--profile', profile, '--data-dir', dataDir];
    const run = (...more: string[]) => nixstrap(args(...more), { env });
    const calls = () => fs.readFileSync(path.join(runDir, 'calls'), 'utf8').trim().split('\n');
    const running = () => fs.realpathSync(path.join(runDir, 'current-system'));
    return { profile, runDir, dataDir, paths, gaming, env, args, run, calls, running };
  }

  it('--yes stays in it when the generation has it too, and --json says so', () => {
    const m = inGaming();
    const result = m.run('rollback', '--yes', '--json');
    expect(result.code).toBe(0);
    const events = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(events.find((e) => e.type === 'changes')).toMatchObject({ specialisation: 'gaming' });
    expect(events.at(-1)).toMatchObject({
      type: 'result',
      generation: 2,
      specialisation: 'gaming',
    });
    expect(m.calls()).toEqual([`nixos switch ${m.gaming(2)}`]);
    expect(m.running()).toBe(m.gaming(2));
    const [run] = JSON.parse(nixstrap(['runs', '--json', '--data-dir', m.dataDir]).stdout);
    expect(run).toMatchObject({ kind: 'rollback', status: 'succeeded' });
  });

  it('says which systems it compares, and --no-specialisation goes to the base', () => {
    const m = inGaming();
    const result = m.run('rollback', '--to', '2', '--no-specialisation', '--yes');
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('in specialisation');
    expect(result.stdout).toMatch(/Generation 2 is active \(run \S+\)\.\n$/);
    expect(m.calls()).toEqual([`nixos switch ${m.paths[1]}`]);
    // Told a name, it activates that one of the generation's.
    const back = m.run('rollback', '--to', '3', '--specialisation', 'gaming', '--yes');
    expect(back.code).toBe(0);
    expect(back.stdout).toContain('What will change in specialisation gaming:');
    expect(back.stdout).toMatch(
      /Generation 3 is active, in its specialisation gaming \(run \S+\)\.\n$/,
    );
    expect(m.running()).toBe(m.gaming(3));
  });

  it('asks on a terminal whether to stay in it; no goes to the base', async () => {
    const m = inGaming();
    const asked = await nixstrapInTerminal(m.args('rollback'), {
      env: m.env,
      answers: [
        ['Stay in specialisation gaming? [Y/n] ', 'n\r'],
        ['[y/N] ', 'y\r'],
      ],
    });
    expect(asked.code).toBe(0);
    expect(asked.screen).toContain(
      'Specialisation gaming runs now, and generation 2 has it too. Stay in specialisation gaming? [Y/n]',
    );
    expect(asked.screen).not.toContain('What will change in specialisation');
    expect(m.calls()).toEqual([`nixos switch ${m.paths[1]}`]);
    expect(m.running()).toBe(m.paths[1]);
  });

  it('refuses a name the generation lacks, and either flag with --boot', () => {
    const m = inGaming();
    const missing = m.run('rollback', '--to', '1', '--specialisation', 'gaming', '--yes');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(
      /^nixstrap: Generation 1 has no specialisation gaming, so nothing was changed\.\n {2}hint: It has no specialisations/,
    );
    for (const flag of [['--specialisation', 'gaming'], ['--no-specialisation']]) {
      const boot = m.run('rollback', '--to', '2', '--boot', ...flag, '--yes');
      expect(boot.code).toBe(2);
      expect(boot.stderr).toMatch(
        new RegExp(`^nixstrap: ${flag[0]} chooses what runs now, and --boot runs nothing`),
      );
    }
    expect(fs.existsSync(path.join(m.runDir, 'calls'))).toBe(false);
    expect(currentNumber(m.profile)).toBe(3);
  });
});

describe('nixstrap rollback --test', () => {
  /** Two generations, the second current and running: as after a switch. */
  function twoGenerations(specs: StandInGeneration[] | null = null, name = 'system') {
    const root = tempDir('cli-rollback-test');
    const profile = path.join(root, 'profiles', name);
    const paths = specs ? buildGenerations(specs) : stores.slice(0, 2);
    setProfile(profile, paths);
    const runDir = path.join(root, 'run');
    fs.mkdirSync(runDir);
    fs.symlinkSync(paths[1] as string, path.join(runDir, 'current-system'));
    const env = { ...NIX_ENV, NIXSTRAP_RUN_DIR: runDir, STANDIN_ACTIVATION_DIR: runDir };
    const dataDir = path.join(root, 'data');
    const run = (...args: string[]) =>
      nixstrap([...args, '--profile', profile, '--data-dir', dataDir], { env });
    /** What a refusal must leave as it was: the profile, the running system, activations. */
    const disk = () => [
      fs.readlinkSync(profile),
      fs.readlinkSync(path.join(runDir, 'current-system')),
      fs.existsSync(path.join(runDir, 'calls')),
    ];
    return { profile, runDir, dataDir, paths, run, disk };
  }

  it('runs generation 1 until the next reboot: the profile stays at 2, and the list says which runs', () => {
    const m = twoGenerations();
    const result = m.run('rollback', '--test', '--to', '1', '--yes');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^Try generation 1 of \S+ until the next reboot, in place of generation 2;/,
    );
    expect(result.stdout).not.toContain('--switch-generation');
    expect(result.stdout).toMatch(
      /Generation 1 runs until the next reboot; the profile and the boot default did not change \(run \S+\)\.\n$/,
    );
    expect(fs.readFileSync(path.join(m.runDir, 'calls'), 'utf8')).toBe(
      `nixos test ${m.paths[0]}\n`,
    );
    expect(fs.readlinkSync(m.profile)).toBe('system-2-link');
    expect(fs.realpathSync(path.join(m.runDir, 'current-system'))).toBe(m.paths[0]);

    const [run] = JSON.parse(nixstrap(['runs', '--json', '--data-dir', m.dataDir]).stdout);
    expect(run).toMatchObject({
      kind: 'rollback',
      action: 'test',
      status: 'succeeded',
      generation: 1,
    });
    const listed = JSON.parse(m.run('generations', '--json').stdout) as {
      number: number;
      current: boolean;
      running: boolean;
    }[];
    expect(listed.map((g) => [g.number, g.current, g.running])).toEqual([
      [1, false, true],
      [2, true, false],
    ]);
    const table = m.run('generations').stdout.trimEnd().split('\n');
    expect(table[1]).toMatch(/25\.05\.1\s.*running now$/);
    expect(table[2]).toMatch(/25\.05\.2\s.*boot default$/);
  });

  it('refuses --test with --boot, or with --move-repo, in one sentence, and changes nothing', () => {
    const m = twoGenerations();
    const before = m.disk();
    const result = m.run('rollback', '--test', '--boot', '--to', '1', '--yes');
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      [
        'nixstrap: --boot and --test exclude each other: --boot makes the generation the boot default without running it, --test runs it until the next reboot without making it the boot default.',
        '  hint: Pass one of them.',
        '',
      ].join('\n'),
    );
    expect(m.disk()).toEqual(before);
    // A repo moved for a try would outlast it: the next reboot undoes the try, not the move.
    const moved = m.run(
      'rollback',
      '--test',
      '--to',
      '1',
      '--repo',
      m.runDir,
      '--move-repo',
      '--yes',
    );
    expect(moved.code).toBe(2);
    expect(moved.stderr).toBe(
      [
        'nixstrap: --move-repo keeps a rollback for the next rebuild, and --test lasts only until the next reboot.',
        '  hint: Leave out --move-repo, or roll back without --test.',
        '',
      ].join('\n'),
    );
    expect(m.disk()).toEqual(before);
  });

  it.each([
    ['nix-darwin', 'system'],
    ['home-manager', 'home-manager'],
  ] as const)('refuses a %s profile: it has no test activation', (kind, name) => {
    const m = twoGenerations(
      [
        { kind, label: '25.05', packages: ['git-2.43.0'], nonce: 'a' },
        { kind, label: '25.05', packages: ['git-2.44.0'], nonce: 'b' },
      ],
      name,
    );
    const before = m.disk();
    const result = m.run('rollback', '--test', '--to', '1', '--yes');
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      [
        `nixstrap: "Until the next reboot" exists only for NixOS; a ${kind} generation has no test activation, so it can only be switched to.`,
        '  hint: Roll back without --test, which also makes it the current generation.',
        '',
      ].join('\n'),
    );
    expect(m.disk()).toEqual(before);
  });
});
