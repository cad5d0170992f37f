import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { spawn as spawnPty } from 'node-pty';
import { describe, expect, it } from 'vitest';
import { RunEventSchema, RunSummarySchema } from '../../common';
import { openLedger, recordWrite } from '../../main/core/ledger';
import { getRun } from '../../main/core/rebuild';
import { stripAnsi } from '../../main/core/rebuild/text';
import { makeStandInFlake, type StandInFlake, standInEnv } from '../helpers/stand-in-flake';
import { nixstrap, nixstrapInTerminal, repoRoot } from './helpers/cli';
import { listGenerations, rebuildDirs } from './helpers/rebuild';

const env = standInEnv();

function runsOf(dataDir: string) {
  const run = nixstrap(['runs', '--json', '--data-dir', dataDir], { env });
  expect(run.code).toBe(0);
  return RunSummarySchema.array().parse(JSON.parse(run.stdout));
}

/** `nixstrap rebuild` of the stand-in flake into the test's data dir; `args` say the rest. */
function rebuild(flake: StandInFlake, dataDir: string, ...args: string[]) {
  const host = args.includes('--host') ? [] : ['--host', 'demo'];
  return nixstrap(['rebuild', '--repo', flake.dir, ...host, ...args, '--data-dir', dataDir], {
    env,
  });
}

/**
 * `nixstrap rebuild` in a process of its own, for a test to signal: `until` waits for a line of
 * its output, `exit` gives its exit code.
 */
function rebuildProcess(...args: string[]) {
  const child = spawn(
    process.execPath,
    [path.join(repoRoot, 'bin/nixstrap.js'), 'rebuild', ...args],
    {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const output = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => {
    output.stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output.stderr += chunk.toString();
  });
  const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const until = (text: string) =>
    new Promise<void>((resolve, reject) => {
      const seen = () => output.stdout.includes(text) && resolve();
      child.stdout.on('data', seen);
      seen();
      exit.then(() => reject(new Error(`the rebuild ended before "${text}": ${output.stdout}`)));
    });
  return { child, output, until, exit };
}

describe('nixstrap rebuild', () => {
  // This machine is Debian: the system profile is NixOS's, and switching it here would run a
  // NixOS activation over the running system.
  it.skipIf(fs.existsSync('/etc/NIXOS'))(
    'will not switch the system profile of a machine that does not run NixOS',
    () => {
      const flake = makeStandInFlake({ demo: {} });
      const { dataDir } = rebuildDirs('cli-not-nixos');
      const run = rebuild(flake, dataDir, '--yes');
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(
        /^nixstrap: This machine does not run NixOS \(it has no \/etc\/NIXOS\), so activating .*\.\n {2}hint: Only build it here \(Build only, or `--action build`\)/,
      );
      expect(flake.calls()).toEqual([]);
      expect(runsOf(dataDir)).toEqual([]);
    },
  );

  it('streams one event per line with --json, the last one the result, and switches', () => {
    const flake = makeStandInFlake({ demo: { steps: [{ name: 'hello-2.12', lines: ['hi ✓'] }] } });
    const { dataDir, profile } = rebuildDirs('cli-json');
    const run = rebuild(flake, dataDir, '--profile', profile, '--yes', '--json');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const events = run.stdout
      .trim()
      .split('\n')
      .map((line) => RunEventSchema.parse(JSON.parse(line)));
    expect(events.at(-1)).toMatchObject({
      type: 'result',
      status: 'succeeded',
      exitCode: 0,
      generation: 1,
    });
    expect(events.some((e) => e.type === 'output' && e.text.includes('hello-2.12> hi ✓'))).toBe(
      true,
    );
    expect(events.findLast((e) => e.type === 'progress')).toMatchObject({
      builds: { done: 2, expected: 2, running: 0, failed: 0 },
    });
    expect(events.filter((e) => e.type === 'phase').length).toBeGreaterThanOrEqual(10);
    expect(listGenerations(profile)).toEqual([{ number: 1, current: true }]);
    expect(flake.calls()).toEqual(['switch-to-configuration switch']);
  });

  describe('--specialisation', () => {
    it("switches the profile to the new system and activates that specialisation's configuration", () => {
      const flake = makeStandInFlake({ demo: { specialisations: ['gaming', 'work'] } });
      const { dataDir, profile } = rebuildDirs('cli-specialisation');
      const runDir = path.join(path.dirname(profile), 'run');
      fs.mkdirSync(runDir);
      const run = nixstrap(
        [
          'rebuild',
          '--repo',
          flake.dir,
          '--host',
          'demo',
          '--profile',
          profile,
          '--specialisation',
          'gaming',
          '--yes',
          '--data-dir',
          dataDir,
        ],
        { env: { ...env, NIXSTRAP_RUN_DIR: runDir, STANDIN_ACTIVATION_DIR: runDir } },
      );
      expect(run.stderr).toMatch(/^Run \S+ recorded/);
      expect(run.code).toBe(0);
      expect(flake.calls()).toEqual(['gaming/switch-to-configuration switch']);
      expect(listGenerations(profile)).toEqual([{ number: 1, current: true }]);
      // The profile holds the base system; what runs is its specialisation's own toplevel.
      const base = fs.realpathSync(profile);
      expect(fs.realpathSync(path.join(runDir, 'current-system'))).toBe(
        fs.realpathSync(path.join(base, 'specialisation/gaming')),
      );
      const listed = nixstrap(
        ['generations', '--json', '--profile', profile, '--data-dir', dataDir],
        { env: { ...env, NIXSTRAP_RUN_DIR: runDir } },
      );
      expect(JSON.parse(listed.stdout)).toMatchObject([
        { number: 1, running: true, runningSpecialisation: 'gaming' },
      ]);
    });

    it('refuses a name the new build lacks before the profile moves, naming the ones it has', () => {
      const flake = makeStandInFlake({ demo: { specialisations: ['gaming', 'work'] } });
      const { dataDir, profile } = rebuildDirs('cli-specialisation-missing');
      const run = rebuild(
        flake,
        dataDir,
        '--profile',
        profile,
        '--specialisation',
        'office',
        '--yes',
      );
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(
        'nixstrap: The new configuration has no specialisation office, so nothing was activated and the profile did not change.',
      );
      expect(run.stderr).toMatch(/hint: It has gaming, work: choose one of them/);
      expect(fs.existsSync(profile)).toBe(false);
      expect(flake.calls()).toEqual([]);
    });

    it('is a usage error with boot or build, in one sentence, recording nothing', () => {
      const flake = makeStandInFlake({ demo: { specialisations: ['gaming'] } });
      const { dataDir, profile } = rebuildDirs('cli-specialisation-boot');
      for (const action of ['boot', 'build']) {
        const run = rebuild(
          flake,
          dataDir,
          '--profile',
          profile,
          '--action',
          action,
          '--specialisation',
          'gaming',
          '--yes',
        );
        expect(run.code).toBe(2);
        expect(run.stderr.split('\n')[0]).toBe(
          `nixstrap: --specialisation activates a specialisation of a NixOS system now, so it goes with switch or test, not with a nixos ${action}.`,
        );
      }
      expect(runsOf(dataDir)).toEqual([]);
    });
  });

  describe('while a specialisation runs', () => {
    /** Generation 1 of the flake, running its gaming specialisation; the flake then changed. */
    function inGaming(prefix: string) {
      const flake = makeStandInFlake({ demo: { label: '25.05.1', specialisations: ['gaming'] } });
      const { dataDir, profile } = rebuildDirs(prefix);
      const runDir = path.join(path.dirname(profile), 'run');
      fs.mkdirSync(runDir);
      const runEnv = { ...env, NIXSTRAP_RUN_DIR: runDir, STANDIN_ACTIVATION_DIR: runDir };
      const args = (...more: string[]) => [
        'rebuild',
        '--repo',
        flake.dir,
        '--host',
        'demo',
        '--profile',
        profile,
        '--data-dir',
        dataDir,
        ...more,
      ];
      expect(nixstrap(args('--specialisation', 'gaming', '--yes'), { env: runEnv }).code).toBe(0);
      flake.update({ demo: { label: '25.05.2', specialisations: ['gaming'] } });
      const running = () => fs.realpathSync(path.join(runDir, 'current-system'));
      const gamingOf = () => fs.realpathSync(path.join(profile, 'specialisation/gaming'));
      return { flake, profile, runEnv, args, running, gamingOf };
    }

    it('asks on a terminal whether to stay in it: Enter stays, no goes to the base', async () => {
      const m = inGaming('cli-specialisation-ask');
      const before = m.gamingOf();
      const stay = await nixstrapInTerminal(m.args(), {
        env: m.runEnv,
        answers: [
          ['[y/N] ', 'y'],
          ['Stay in specialisation gaming?', '\r'],
        ],
      });
      expect(stay.code).toBe(0);
      const screen = stripAnsi(stay.screen);
      expect(screen).toContain(`What will change in specialisation gaming (from ${before}):`);
      expect(screen).toContain('Stay in specialisation gaming? [Y/n] yes');
      expect(screen).toMatch(/Switched to \S+ \(generation 2\), in its specialisation gaming\./);
      expect(m.flake.calls().at(-1)).toBe('gaming/switch-to-configuration switch');
      expect(m.running()).toBe(m.gamingOf());

      m.flake.update({ demo: { label: '25.05.3', specialisations: ['gaming'] } });
      const base = fs.realpathSync(m.profile);
      const leave = await nixstrapInTerminal(m.args(), {
        env: m.runEnv,
        answers: [
          ['[y/N] ', 'y'],
          ['Stay in specialisation gaming?', 'n'],
        ],
      });
      expect(leave.code).toBe(0);
      const left = stripAnsi(leave.screen);
      // The base's own changes, told once the answer chose it.
      const told = left.indexOf('Activating the base configuration; specialisation gaming stops.');
      expect(told).toBeGreaterThan(0);
      expect(left.slice(told).split(/\r*\n/)[1]).toBe(
        `What will change in the base configuration instead (from ${base}):`,
      );
      expect(left).toMatch(/Switched to \S+ \(generation 3\)\.\r?\n/);
      expect(m.flake.calls().at(-1)).toBe('switch-to-configuration switch');
      expect(m.running()).toBe(fs.realpathSync(m.profile));
    });

    it('--yes stays in it, --no-specialisation goes to the base, and --json says which', () => {
      const m = inGaming('cli-specialisation-yes');
      const events = (run: { stdout: string }) =>
        run.stdout
          .trim()
          .split('\n')
          .map((line) => RunEventSchema.parse(JSON.parse(line)));
      const stay = nixstrap(m.args('--yes', '--json'), { env: m.runEnv });
      expect(stay.code).toBe(0);
      const stayed = events(stay);
      expect(stayed.find((e) => e.type === 'changes')).toMatchObject({ specialisation: 'gaming' });
      expect(stayed.at(-1)).toMatchObject({ type: 'result', specialisation: 'gaming' });
      expect(m.running()).toBe(m.gamingOf());

      m.flake.update({ demo: { label: '25.05.3', specialisations: ['gaming'] } });
      const leave = nixstrap(m.args('--yes', '--json', '--no-specialisation'), { env: m.runEnv });
      expect(leave.code).toBe(0);
      const left = events(leave);
      expect(left.find((e) => e.type === 'changes')).not.toHaveProperty('specialisation');
      expect(left.at(-1)).toMatchObject({ type: 'result', specialisation: null });
      expect(m.flake.calls()).toEqual([
        'gaming/switch-to-configuration switch',
        'gaming/switch-to-configuration switch',
        'switch-to-configuration switch',
      ]);
      expect(m.running()).toBe(fs.realpathSync(m.profile));
    });

    it('--no-specialisation is a usage error with boot or build, and beside --specialisation', () => {
      const flake = makeStandInFlake({ demo: { specialisations: ['gaming'] } });
      const { dataDir, profile } = rebuildDirs('cli-no-specialisation-usage');
      for (const action of ['boot', 'build']) {
        const run = rebuild(
          flake,
          dataDir,
          '--profile',
          profile,
          '--action',
          action,
          '--no-specialisation',
          '--yes',
        );
        expect(run.code).toBe(2);
        expect(run.stderr.split('\n')[0]).toBe(
          `nixstrap: --no-specialisation activates the base configuration of a NixOS system now, so it goes with switch or test, not with a nixos ${action}.`,
        );
      }
      const both = rebuild(
        flake,
        dataDir,
        '--profile',
        profile,
        '--specialisation',
        'gaming',
        '--no-specialisation',
        '--yes',
      );
      expect(both.code).toBe(2);
      expect(both.stderr).toMatch(
        /^nixstrap: --specialisation and --no-specialisation exclude each other/,
      );
      expect(runsOf(dataDir)).toEqual([]);
    });
  });

  it('refuses to switch without a terminal and without --yes, recording nothing', () => {
    const flake = makeStandInFlake({ demo: {} });
    const { dataDir, profile } = rebuildDirs('cli-refuse');
    const run = rebuild(flake, dataDir, '--profile', profile);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no terminal to ask on/);
    expect(run.stderr).toMatch(/hint: .*--yes/);
    expect(run.stdout).toBe('');
    expect(fs.existsSync(profile)).toBe(false);
    expect(runsOf(dataDir)).toEqual([]);
  });

  it('prints plain lines without a terminal, explains a failure on stderr and exits 1', () => {
    const flake = makeStandInFlake({
      demo: { steps: [{ name: 'broken-1.0', lines: ['cc: error: no input files'], exitCode: 4 }] },
    });
    const { dataDir } = rebuildDirs('cli-fail');
    const run = rebuild(flake, dataDir, '--action', 'build');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('broken-1.0> cc: error: no input files\n');
    expect(run.stdout).not.toContain('\u001b');
    expect(run.stdout).not.toContain('\r');
    expect(run.stderr).toMatch(
      /^nixstrap: Building broken-1\.0 failed \(its builder exited with 4\)\.\n {2}hint: /,
    );
    const [summary] = runsOf(dataDir);
    expect(summary).toMatchObject({
      status: 'failed',
      action: 'build',
      host: 'demo',
      repo: flake.dir,
    });

    const log = nixstrap(['log', String(summary?.id), '--data-dir', dataDir], { env });
    expect(log.code).toBe(0);
    expect(log.stdout).toContain('broken-1.0> cc: error: no input files');
    expect(log.stdout).toMatch(/error: builder for '.*broken-1\.0\.drv' failed with exit code 4/);

    // With --json the events stay on stdout, and the error is on stderr as in any other verb.
    const json = rebuild(flake, dataDir, '--action', 'build', '--json');
    expect(json.code).toBe(1);
    const events = json.stdout
      .trim()
      .split('\n')
      .map((line) => RunEventSchema.parse(JSON.parse(line)));
    expect(events.at(-1)).toMatchObject({ type: 'result', status: 'failed' });
    expect(json.stderr).toMatch(
      /^nixstrap: Building broken-1\.0 failed \(its builder exited with 4\)\.\n {2}hint: [^\n]+\n$/,
    );
  });

  it('names an unknown run and a bad --action in one sentence', () => {
    const { dataDir } = rebuildDirs('cli-unknown');
    const log = nixstrap(['log', '20200101000000-abcdef', '--data-dir', dataDir], { env });
    expect(log.code).toBe(1);
    expect(log.stderr).toMatch(/^nixstrap: There is no recorded run 20200101000000-abcdef/);
    const bad = nixstrap([
      'rebuild',
      '--repo',
      '.',
      '--host',
      'x',
      '--action',
      'explode',
      '--data-dir',
      dataDir,
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--action must be one of build, dry-build, test, switch, boot/);
  });

  it('a dry build says once, in numbers, what it would build, and builds nothing', () => {
    const flake = makeStandInFlake({ demo: { steps: [{ name: 'hello-2.12' }] } });
    const { dataDir } = rebuildDirs('cli-dry');
    const run = rebuild(flake, dataDir, '--action', 'dry-build');
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines.at(-1)).toBe(
      'Nothing was built: 2 derivation(s) would be built and 0 path(s) fetched.',
    );
    expect(run.stdout.match(/[Nn]othing was built/g)).toHaveLength(1);
  });

  it('tells a repo folder that does not exist from one without a flake, recording nothing', () => {
    const { dataDir } = rebuildDirs('cli-no-repo');
    const root = path.dirname(dataDir);
    const missing = path.join(root, 'nixos-confg');
    const file = path.join(root, 'flake.txt');
    fs.writeFileSync(file, '');
    const empty = fs.mkdtempSync(path.join(root, 'empty-'));
    const stderr = (repo: string) => {
      const run = nixstrap(['rebuild', '--repo', repo, '--host', 'demo', '--action', 'build'], {
        env: { ...env, NIXSTRAP_DATA_DIR: dataDir },
      });
      expect(run.code).toBe(1);
      return run.stderr.split('\n')[0];
    };
    expect(stderr(missing)).toBe(`nixstrap: There is no folder ${missing}.`);
    expect(stderr(file)).toBe(`nixstrap: ${file} is a file, not the folder of a repository.`);
    expect(stderr(empty)).toBe(`nixstrap: There is no flake.nix in ${empty}.`);
    expect(runsOf(dataDir)).toEqual([]);
  });

  it('refuses a host name no flake address carries before Nix runs, recording nothing', () => {
    const flake = makeStandInFlake({ demo: {} });
    const { dataDir } = rebuildDirs('cli-bad-host');
    // A `nix` ahead of the real one on PATH, which leaves a mark when anything runs it.
    const bin = fs.mkdtempSync(path.join(path.dirname(dataDir), 'bin-'));
    const mark = path.join(bin, 'ran');
    const realNix = execFileSync('sh', ['-c', 'command -v nix'], { encoding: 'utf8' }).trim();
    fs.writeFileSync(
      path.join(bin, 'nix'),
      `#!/bin/sh\ntouch '${mark}'\nexec '${realNix}' "$@"\n`,
      {
        mode: 0o755,
      },
    );
    const run = nixstrap(
      ['rebuild', '--repo', flake.dir, '--host', 'demo#x', '--action', 'build'],
      { env: { ...env, PATH: `${bin}:${env.PATH}`, NIXSTRAP_DATA_DIR: dataDir } },
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      `nixstrap: A host name may hold only letters, digits, '-' and '_' (NixOS's networking.hostName rule); "demo#x" has '#'.\n` +
        `  hint: A host's name is its folder under hosts/; list them with \`nixstrap hosts --repo ${flake.dir}\` and pass that name with --host.\n`,
    );
    expect(fs.existsSync(mark)).toBe(false);
    expect(flake.calls()).toEqual([]);
    expect(runsOf(dataDir)).toEqual([]);
  });

  it('refuses a Home Manager user no flake address carries before Nix runs, recording nothing', () => {
    const flake = makeStandInFlake({ demo: { kind: 'home-manager', user: 'alice' } });
    const { dataDir } = rebuildDirs('cli-bad-user');
    const run = nixstrap(
      ['rebuild', '--repo', flake.dir, '--host', 'demo', '--target', 'home-manager'].concat([
        '--user',
        'a#b',
        '--action',
        'build',
      ]),
      { env: { ...env, NIXSTRAP_DATA_DIR: dataDir } },
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `nixstrap: The Home Manager user "a#b" has '#', which a flake address cannot carry.\n` +
        `  hint: Pass the user as in homeConfigurations."USER@HOST" of the flake with --user, or leave --user out for yourself.\n`,
    );
    expect(flake.calls()).toEqual([]);
    expect(runsOf(dataDir)).toEqual([]);
  });

  it('shows a terminal escape in the repo path a failed run names as its code', () => {
    const { dataDir } = rebuildDirs('cli-escape');
    const flake = makeStandInFlake(
      { demo: {} },
      { dir: path.join(path.dirname(dataDir), 'my config\u001b]0;owned\u0007') },
    );
    const run = rebuild(flake, dataDir, '--action', 'build');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('my config\\u001b]0;owned\\u0007: its path has a space');
    expect(run.stderr).not.toContain('\u001b');
    expect(run.stderr).not.toContain('\u0007');
  });

  it('says a file stands where the data folder should be, as runs does, in both modes', () => {
    const flake = makeStandInFlake({ demo: {} });
    const { dataDir } = rebuildDirs('cli-data-file');
    fs.writeFileSync(dataDir, 'not a folder');
    for (const mode of [[], ['--json']]) {
      const run = rebuild(flake, dataDir, '--action', 'build', ...mode);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(
        `nixstrap: The data folder ${dataDir} cannot be created: a file stands where it or one of its parent folders should be.\n` +
          '  hint: Point --data-dir (or NIXSTRAP_DATA_DIR) at a folder you can write to.\n',
      );
    }
    expect(fs.readFileSync(dataDir, 'utf8')).toBe('not a folder');
  });
});

describe('nixstrap rollback --repo after Nixstrap rebuilds', () => {
  it('refuses a --repo other than the one the generation was built from, changing nothing', () => {
    const flake = makeStandInFlake({ demo: { label: '24.11.1' } });
    const { dataDir, profile } = rebuildDirs('cli-rollback-repo');
    expect(rebuild(flake, dataDir, '--profile', profile, '--yes').code).toBe(0);
    flake.update({ demo: { label: '24.11.2' } });
    expect(rebuild(flake, dataDir, '--profile', profile, '--yes').code).toBe(0);
    const other = makeStandInFlake({ demo: {} });
    const branches = (dir: string) =>
      execFileSync('git', ['-C', dir, 'branch', '--format=%(refname:short)'], {
        encoding: 'utf8',
      });
    const rollback = (repo: string) =>
      nixstrap(
        [
          ...['rollback', '--to', '1', '--repo', repo, '--move-repo', '--yes'],
          ...['--profile', profile, '--data-dir', dataDir],
        ],
        { env },
      );

    const refused = rollback(other.dir);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toBe(
      `nixstrap: Generation 1 was built from ${flake.dir}, not from ${other.dir}, so --repo names another repository.\n` +
        `  hint: Pass --repo ${flake.dir}, or leave --repo out.\n`,
    );
    expect(listGenerations(profile).find((g) => g.current)?.number).toBe(2);
    expect([branches(flake.dir), branches(other.dir)]).toEqual(['main\n', 'main\n']);

    const moved = rollback(flake.dir);
    expect(moved.code).toBe(0);
    expect(listGenerations(profile).find((g) => g.current)?.number).toBe(1);
    expect(branches(flake.dir)).toBe('main\nnixstrap/rollback-1\n');
  });
});

describe('nixstrap generations and rollback after the repo was moved', () => {
  it('finds the commit in the folder --repo names now, and --move-repo moves that repo', () => {
    const flake = makeStandInFlake({ demo: { label: '24.11.1' } });
    const { dataDir, profile } = rebuildDirs('cli-rollback-moved');
    expect(rebuild(flake, dataDir, '--profile', profile, '--yes').code).toBe(0);
    flake.update({ demo: { label: '24.11.2' } });
    expect(rebuild(flake, dataDir, '--profile', profile, '--yes').code).toBe(0);
    const commit = execFileSync('git', ['-C', flake.dir, 'rev-parse', 'HEAD~1'], {
      encoding: 'utf8',
    }).trim();
    const moved = `${flake.dir}-moved`;
    fs.renameSync(flake.dir, moved);
    const cli = (...args: string[]) =>
      nixstrap([...args, '--profile', profile, '--data-dir', dataDir], { env });

    // Without --repo, the folder the build recorded is gone: the same hint as rollback's, in its words.
    const unnamed = cli('generations', '1');
    expect(unnamed.code).toBe(0);
    expect(unnamed.stdout.trimEnd().split('\n').slice(-2)).toEqual([
      `Generation 1 was built from commit ${commit.slice(0, 12)} in ${flake.dir}, which no longer exists: the system can go back to it, the configuration repo cannot.`,
      'If the repo was moved, pass --repo with the folder it was moved to: nixstrap generations 1 --repo DIR.',
    ]);
    expect(JSON.parse(cli('generations', '1', '--json').stdout).commitCheck).toMatchObject({
      commitInRepo: false,
      repoFolderGone: true,
    });

    const shown = cli('generations', '1', '--repo', moved);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`  Commit      ${commit.slice(0, 12)} in ${moved}\n`);
    expect(shown.stdout).not.toContain('no longer');

    // A folder that does not hold the commit is refused without sending the user to the old one.
    const other = makeStandInFlake({ demo: {} });
    const refused = cli('rollback', '--to', '1', '--repo', other.dir, '--move-repo', '--yes');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      `nixstrap: Generation 1 was built from commit ${commit.slice(0, 12)} in ${flake.dir}, which no longer exists, and ${other.dir} does not hold that commit, so --repo names another repository.\n` +
        '  hint: Pass --repo with the folder the repo was moved to, or leave --repo out.\n',
    );
    expect(listGenerations(profile).find((g) => g.current)?.number).toBe(2);

    const back = cli('rollback', '--to', '1', '--repo', moved, '--move-repo', '--yes');
    expect(back.stderr).toBe('');
    expect(back.code).toBe(0);
    expect(back.stdout).not.toContain('no longer');
    expect(listGenerations(profile).find((g) => g.current)?.number).toBe(1);
    const head = (...args: string[]) =>
      execFileSync('git', ['-C', moved, 'rev-parse', ...args], { encoding: 'utf8' }).trim();
    expect([head('--abbrev-ref', 'HEAD'), head('HEAD')]).toEqual(['nixstrap/rollback-1', commit]);
  });
});

describe('nixstrap rollback with the repo left where it is', () => {
  it('says the next rebuild undoes it, and its git command makes the next rebuild keep it', () => {
    const flake = makeStandInFlake({ demo: { label: '24.11.1' } });
    const { dataDir, profile } = rebuildDirs('cli-rollback-ahead');
    expect(rebuild(flake, dataDir, '--profile', profile, '--yes').code).toBe(0);
    const first = fs.realpathSync(`${profile}-1-link`);
    flake.update({ demo: { label: '24.11.2' } });
    expect(rebuild(flake, dataDir, '--profile', profile, '--yes').code).toBe(0);
    const commit = (ref: string) =>
      execFileSync('git', ['-C', flake.dir, 'rev-parse', ref], { encoding: 'utf8' }).trim();
    const [one, two] = [commit('HEAD~1').slice(0, 12), commit('HEAD').slice(0, 12)];
    const rollback = (to: number) =>
      nixstrap(
        ['rollback', '--to', String(to), '--yes', '--profile', profile, '--data-dir', dataDir],
        { env },
      );

    const back = rollback(1);
    expect(back.code).toBe(0);
    const lines = back.stdout.split('\n');
    expect(lines).toContain(
      `The repo ${flake.dir} stays at ${two}, not at ${one}, the commit generation 1 was built from. Add --repo ${flake.dir} --move-repo to put it on a new branch nixstrap/rollback-1 at ${one}.`,
    );
    const advice = `The next rebuild from ${flake.dir} builds ${two} again and undoes this. To build generation 1's configuration instead: `;
    const last = lines.filter(Boolean).at(-1) ?? '';
    expect(last.startsWith(advice)).toBe(true);
    execFileSync('/bin/sh', ['-c', last.slice(advice.length)]);

    expect(rebuild(flake, dataDir, '--profile', profile, '--yes').code).toBe(0);
    expect(fs.realpathSync(profile)).toBe(first);

    // The repo back on main, at generation 2's commit: nothing to say about it.
    execFileSync('git', ['-C', flake.dir, 'switch', '-q', 'main']);
    const forth = rollback(2);
    expect(forth.code).toBe(0);
    expect(forth.stdout).not.toContain('The repo ');
    expect(forth.stdout).not.toContain('The next rebuild');

    // Back to 1 again: its branch is there from the first time, and the command uses it.
    const again = rollback(1);
    expect(again.code).toBe(0);
    const keep = again.stdout.split('\n').filter(Boolean).at(-1) ?? '';
    expect(keep).toBe(`${advice}git -C ${flake.dir} switch nixstrap/rollback-1`);
    execFileSync('/bin/sh', ['-c', keep.slice(advice.length)]);
    expect(commit('HEAD').slice(0, 12)).toBe(one);

    // A branch of that name the user moved elsewhere is theirs: the repo goes there detached.
    execFileSync('git', ['-C', flake.dir, 'switch', '-q', 'main']);
    execFileSync('git', ['-C', flake.dir, 'branch', '-f', 'nixstrap/rollback-1', 'main']);
    expect(rollback(2).code).toBe(0);
    const movedRun = rollback(1).stdout.split('\n');
    // --move-repo would leave the repo alone there, so it is not offered before the rollback.
    expect(movedRun).toContain(
      `The repo ${flake.dir} stays at ${two}, not at ${one}, the commit generation 1 was built from. The branch nixstrap/rollback-1 is at another commit already, so move the repo by hand after the rollback.`,
    );
    const moved = movedRun.filter(Boolean).at(-1) ?? '';
    expect(moved).toBe(`${advice}git -C ${flake.dir} switch --detach ${one}`);
    execFileSync('/bin/sh', ['-c', moved.slice(advice.length)]);
    expect(commit('HEAD').slice(0, 12)).toBe(one);
    expect(commit('nixstrap/rollback-1')).toBe(commit('main'));
  });
});

describe('a rebuild of a commit Nixstrap wrote', () => {
  it('links its generation to the answers of that write; other commits and a dirty tree to none', () => {
    const flake = makeStandInFlake({ demo: { label: '24.11.1' } });
    const { dataDir, profile } = rebuildDirs('cli-written-answers');
    const head = () =>
      execFileSync('git', ['-C', flake.dir, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
    // As the wizard's "Write and commit" and `nixstrap init` record a write.
    const ledger = openLedger(dataDir);
    const answers = { hostName: 'demo', timeZone: 'UTC', passwordHash: '$y$j9T$secret' };
    recordWrite(ledger, { repo: flake.dir, host: 'demo', commit: head(), answers });
    ledger.close();
    const answersOf = () => {
      const listed = nixstrap(
        ['generations', '--json', '--profile', profile, '--data-dir', dataDir],
        {
          env,
        },
      );
      expect(listed.code).toBe(0);
      const generations = JSON.parse(listed.stdout) as {
        number: number;
        answers: unknown;
      }[];
      return generations.map((g) => [g.number, g.answers]).sort();
    };

    expect(rebuild(flake, dataDir, '--profile', profile, '--yes').code).toBe(0);
    expect(answersOf()).toEqual([[1, { ...answers, passwordHash: null }]]);

    // A commit of the user's own: no write made it.
    flake.update({ demo: { label: '24.11.2' } });
    expect(rebuild(flake, dataDir, '--profile', profile, '--yes').code).toBe(0);
    // The written commit again, with uncommitted changes on top: not what was written.
    execFileSync('git', ['-C', flake.dir, 'checkout', '-q', 'HEAD~1']);
    fs.appendFileSync(path.join(flake.dir, '.gitignore'), 'notes/\n');
    expect(rebuild(flake, dataDir, '--profile', profile, '--yes').code).toBe(0);
    expect(answersOf()).toEqual([
      [1, { ...answers, passwordHash: null }],
      [2, null],
      [3, null],
    ]);
  });
});

describe('a rebuild whose process is killed', () => {
  it('is marked interrupted on the next start, and earlier runs stay as they were', async () => {
    const flake = makeStandInFlake({
      ok: {},
      demo: { steps: [{ name: 'slow-1.0', lines: ['started the slow part'], sleepSeconds: 120 }] },
    });
    const { dataDir, profile } = rebuildDirs('cli-killed');
    const first = rebuild(flake, dataDir, '--host', 'ok', '--profile', profile, '--yes');
    expect(first.code).toBe(0);

    const build = rebuildProcess(
      ...['--repo', flake.dir, '--host', 'demo', '--action', 'build', '--json'],
      ...['--data-dir', dataDir],
    );
    await build.until('started the slow part');
    const killedId = runsOf(dataDir)[0]?.id;
    build.child.kill('SIGKILL');
    await build.exit;
    // The dead process's lock is still on disk.
    expect(fs.existsSync(path.join(dataDir, 'rebuild.lock'))).toBe(true);

    // The next start takes over the dead process's lock and marks its run interrupted.
    const next = rebuild(flake, dataDir, '--host', 'ok', '--action', 'build', '--yes');
    expect(next.code).toBe(0);
    const runs = runsOf(dataDir);
    expect(runs.map((r) => [r.host, r.status])).toEqual([
      ['ok', 'succeeded'],
      ['demo', 'interrupted'],
      ['ok', 'succeeded'],
    ]);
    expect(runs[1]?.id).toBe(killedId);
    expect(runs[2]).toMatchObject({ generation: 1, action: 'switch' });
    expect(listGenerations(profile)).toEqual([{ number: 1, current: true }]);

    // Its screen up to the kill is still there to replay.
    const replay = getRun(dataDir, String(killedId));
    let screen = '';
    replay?.onTerminal((chunk) => {
      screen += chunk;
    });
    expect(screen).toContain('started the slow part');
    expect(await replay?.done).toMatchObject({ status: 'interrupted', runId: killedId });
  });

  it('ends its replayed events with the result, so a page watching it stops saying "building"', async () => {
    const flake = makeStandInFlake({
      demo: { steps: [{ name: 'slow-1.0', lines: ['started the slow part'], sleepSeconds: 120 }] },
    });
    const { dataDir } = rebuildDirs('cli-killed-events');
    const build = rebuildProcess(
      ...['--repo', flake.dir, '--host', 'demo', '--action', 'build', '--json'],
      ...['--data-dir', dataDir],
    );
    await build.until('started the slow part');
    const killedId = String(runsOf(dataDir)[0]?.id);
    build.child.kill('SIGKILL');
    await build.exit;

    // What a page that reconnects (a restarted `nixstrap serve`) subscribes to, from the first.
    const events: { seq: number; type: string; status?: string }[] = [];
    getRun(dataDir, killedId)?.onEvent((event, seq) =>
      events.push({
        seq,
        type: event.type,
        ...('status' in event ? { status: event.status } : {}),
      }),
    );
    const last = events.at(-1);
    expect(last).toMatchObject({ type: 'result', status: 'interrupted', seq: events.length - 1 });
    // A page that saw everything up to the kill gets only the ending.
    const later: string[] = [];
    getRun(dataDir, killedId)?.onEvent((event) => later.push(event.type), events.length - 1);
    expect(later).toEqual(['result']);
  });
});

describe('a rebuild whose process is killed during activation', () => {
  it('is replayed as interrupted with the generation the profile now points at', async () => {
    const flake = makeStandInFlake({
      demo: { activationLines: ['restarting units...'], activationSleepSeconds: 60 },
    });
    const { dataDir, profile } = rebuildDirs('cli-killed-activation');
    const switching = rebuildProcess(
      ...['--repo', flake.dir, '--host', 'demo', '--profile', profile, '--yes'],
      ...['--data-dir', dataDir],
    );
    await switching.until('restarting units...');
    const killedId = String(runsOf(dataDir)[0]?.id);
    switching.child.kill('SIGKILL');
    await switching.exit;
    expect(await getRun(dataDir, killedId)?.done).toMatchObject({
      status: 'interrupted',
      generation: 1,
      explanation: {
        message:
          'Nixstrap stopped during activation (it was killed, or the machine went down): generation 1 is the boot default, and this machine may be running only part of it.',
        hint: 'Run it again to finish switching, or roll back to the generation before it.',
      },
    });
    // Its log, cut off mid-activation, is followed by why.
    const log = nixstrap(['log', killedId, '--data-dir', dataDir], { env });
    expect(log.code).toBe(0);
    expect(log.stdout).toContain('restarting units...');
    expect(log.stderr).toBe(
      `Run ${killedId} was interrupted. Nixstrap stopped during activation (it was killed, or the machine went down): generation 1 is the boot default, and this machine may be running only part of it.\n`,
    );
  });
});

describe('a rebuild stopped during activation', () => {
  it('says on stderr that the machine may be partly switched, not that nothing was done', async () => {
    const flake = makeStandInFlake({
      demo: { activationLines: ['restarting units...'], activationSleepSeconds: 60 },
    });
    const { dataDir, profile } = rebuildDirs('cli-cancel-activation');
    const switching = rebuildProcess(
      ...['--repo', flake.dir, '--host', 'demo', '--profile', profile, '--yes'],
      ...['--data-dir', dataDir],
    );
    await switching.until('restarting units...');
    // Ctrl-C, or a kill, is a cancel in the CLI.
    switching.child.kill('SIGTERM');
    expect(await switching.exit).toBe(1);
    const { stdout, stderr } = switching.output;
    expect(stdout).not.toContain('nothing more was done');
    expect(stderr).toMatch(
      /^nixstrap: The run was cancelled during activation: generation 1 is the boot default, and this machine may be running only part of it\.\n {2}hint: Run it again to finish switching, or roll back/,
    );
    expect(listGenerations(profile)).toEqual([{ number: 1, current: true }]);
  });
});

describe('a rebuild stopped with Ctrl-C in a terminal', () => {
  it('stops drawing its progress line once cancelling, and ends cancelled', async () => {
    const flake = makeStandInFlake({
      demo: { steps: [{ name: 'slow-1.0', lines: ['started the slow part'], sleepSeconds: 120 }] },
    });
    const { dataDir } = rebuildDirs('cli-ctrl-c');
    const term = spawnPty(
      process.execPath,
      [
        path.join(repoRoot, 'bin/nixstrap.js'),
        'rebuild',
        '--repo',
        flake.dir,
        '--host',
        'demo',
        '--action',
        'build',
        '--data-dir',
        dataDir,
      ],
      { cols: 120, rows: 30, env: env as Record<string, string> },
    );
    let screen = '';
    const exited = new Promise<number>((resolve) =>
      term.onExit(({ exitCode }) => resolve(exitCode)),
    );
    await new Promise<void>((resolve, reject) => {
      term.onData((data) => {
        screen += data;
        // The progress line is drawn under the build's own lines before the key comes.
        if (screen.includes('started the slow part') && /1 running/.test(screen)) resolve();
      });
      exited.then(() => reject(new Error(`the rebuild ended early: ${screen}`)));
    });
    term.write('\u0003');
    expect(await exited).toBe(1);
    const afterCancel = screen.slice(screen.indexOf('Cancelling'));
    expect(afterCancel).toContain('Cancelling');
    expect(afterCancel).not.toMatch(/\d+\/\d+ built/);
    expect(runsOf(dataDir)[0]).toMatchObject({ host: 'demo', status: 'cancelled' });
  });
});

describe('a generation is told by the commit it was built from', () => {
  it('records the commit subject and branch of each rebuild and rollback, and shows them', () => {
    const flake = makeStandInFlake({ demo: { label: '24.11.1' } });
    const { dataDir, profile } = rebuildDirs('cli-subject');
    expect(rebuild(flake, dataDir, '--profile', profile, '--yes').code).toBe(0);
    const git = (...args: string[]) => execFileSync('git', ['-C', flake.dir, ...args]);
    git('switch', '-q', '-c', 'desk');
    flake.update({ demo: { label: '24.11.2' } });
    git('commit', '-q', '--amend', '-m', 'Add the desk host\n\nWith its own disk layout.');
    expect(rebuild(flake, dataDir, '--profile', profile, '--yes').code).toBe(0);

    const generations = () => {
      const listed = nixstrap(
        ['generations', '--json', '--profile', profile, '--data-dir', dataDir],
        { env },
      );
      expect(listed.code).toBe(0);
      return JSON.parse(listed.stdout) as { number: number; subject: string; branch: string }[];
    };
    expect(
      generations().map(({ number, subject, branch }) => ({ number, subject, branch })),
    ).toEqual([
      { number: 1, subject: 'stand-in configuration', branch: 'main' },
      { number: 2, subject: 'Add the desk host', branch: 'desk' },
    ]);
    expect(runsOf(dataDir)[0]).toMatchObject({ subject: 'Add the desk host', branch: 'desk' });

    const table = nixstrap(['generations', '--profile', profile, '--data-dir', dataDir], { env });
    expect(table.stdout.split('\n')[0]).toMatch(/Closure\s+Marks\s+Subject$/);
    expect(table.stdout.split('\n')[2]).toMatch(/current\s+Add the desk host$/);
    const detail = nixstrap(['generations', '2', '--profile', profile, '--data-dir', dataDir], {
      env,
    });
    expect(detail.stdout).toMatch(/\n {2}Subject +Add the desk host\n {2}Branch +desk\n/);

    // A rollback builds nothing: it is told by the generation it goes back to.
    const back = nixstrap(
      ['rollback', '--to', '1', '--yes', '--profile', profile, '--data-dir', dataDir],
      { env },
    );
    expect(back.code).toBe(0);
    expect(runsOf(dataDir)[0]).toMatchObject({
      kind: 'rollback',
      subject: 'stand-in configuration',
      branch: 'main',
    });
  });
});
