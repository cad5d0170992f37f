import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeStandInFlake, type StandInFlake } from '../helpers/stand-in-flake';
import { makeSudoUser, type SudoUser, sudoUnavailable } from '../helpers/sudo-user';
import { nixstrapInTerminal, repoRoot, tempDir } from './helpers/cli';
import { listGenerations } from './helpers/rebuild';

/**
 * Nixstrap as most people run it: a user who is not root, whose sudo asks for a password, on a
 * Nix with a daemon. The profile's folder is root's, so setting it and activating go through the
 * real sudo, whose prompt the user answers in the run's terminal.
 */
const unavailable = sudoUnavailable();
// CI runs as root with sudo installed: there the test must run, never quietly skip.
if (unavailable && process.env.CI) throw new Error(`the sudo tests cannot run: ${unavailable}`);

describe.skipIf(unavailable !== null)('a rebuild by a user whose sudo asks for a password', () => {
  let user: SudoUser;
  beforeAll(async () => {
    user = await makeSudoUser();
  });
  afterAll(() => user?.close());

  /** A stand-in flake and a data folder the user owns, and a profile folder only root may write. */
  function setting(prefix: string): { flake: StandInFlake; dataDir: string; profile: string } {
    const root = tempDir(prefix);
    fs.chmodSync(root, 0o755);
    const flake = makeStandInFlake({ demo: { label: `24.11.${prefix}` } });
    user.own(flake.dir);
    const dataDir = path.join(root, 'data');
    fs.mkdirSync(dataDir);
    user.own(dataDir);
    const profiles = path.join(root, 'profiles');
    fs.mkdirSync(profiles, { mode: 0o755 });
    return { flake, dataDir, profile: path.join(profiles, 'system') };
  }

  /** The CLI as the user, in the user's own environment only. */
  function asUser(argv: string[]): string[] {
    return user.argv(argv, user.env());
  }

  function cliArgv(args: string[]): string[] {
    return asUser([process.execPath, path.join(repoRoot, 'bin/nixstrap.js'), ...args]);
  }

  /** `nixstrap rebuild --yes` of the stand-in flake's host, as a switch unless `extra` says. */
  function rebuildArgs(flake: StandInFlake, dataDir: string, profile: string, ...extra: string[]) {
    return [
      'rebuild',
      '--repo',
      flake.dir,
      '--host',
      'demo',
      '--profile',
      profile,
      ...extra,
      '--data-dir',
      dataDir,
    ];
  }

  /** `nixstrap ARGS` as the user with no terminal at all, as a script or cron job runs it. */
  function withoutTerminal(args: string[]) {
    const [command = '', ...rest] = cliArgv(args);
    return spawnSync(command, rest, {
      encoding: 'utf8',
      timeout: 60_000,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  /**
   * `nixstrap ARGS` as the user in a real terminal, typing each of `passwords` at sudo's
   * prompts in turn; `prompts` is how many times sudo asked.
   */
  async function inTerminal(args: string[], passwords: string[], answers: [string, string][] = []) {
    const prompt = `[sudo] password for ${user.name}:`;
    const { code, screen } = await nixstrapInTerminal(args, {
      wrap: asUser,
      answers: [
        ...answers,
        ...passwords.map((password): [string, string] => [prompt, `${password}\r`]),
      ],
    });
    return { code, screen, prompts: screen.split(prompt).length - 1 };
  }

  it('asks once for the password in the run’s terminal, then sets the root profile and activates', async () => {
    const { flake, dataDir, profile } = setting('sudo-switch');
    const { code, screen, prompts } = await inTerminal(
      rebuildArgs(flake, dataDir, profile, '--yes'),
      [user.password],
    );
    expect(screen).toContain(`[sudo] password for ${user.name}:`);
    expect(screen).not.toContain(user.password);
    // Both root steps (the profile, then the activation) run in one terminal session, where
    // sudo remembers the password it took, as when nixos-rebuild is typed into a terminal.
    expect({ code, prompts }).toEqual({ code: 0, prompts: 1 });
    const asked = screen.indexOf('[sudo] password');
    expect(screen.indexOf('$ sudo nix-env ')).toBeLessThan(asked);
    expect(screen.indexOf('/bin/switch-to-configuration switch')).toBeGreaterThan(asked);
    expect(listGenerations(profile)).toEqual([{ number: 1, current: true }]);
    expect(fs.lstatSync(`${profile}-1-link`).uid).toBe(0);
    expect(flake.calls()).toEqual(['switch-to-configuration switch']);
  });

  /** The one sentence and hint the CLI ends a failed run with. */
  function failure(screen: string): string {
    const plain = screen.replace(/\r/g, '');
    return plain.slice(plain.lastIndexOf('nixstrap: '), plain.lastIndexOf('\nRun '));
  }

  it('says sudo did not take the password, and leaves the profile as it was', async () => {
    const { flake, dataDir, profile } = setting('sudo-wrong');
    const { code, screen, prompts } = await inTerminal(
      rebuildArgs(flake, dataDir, profile, '--yes'),
      Array(3).fill('not the password'),
    );
    expect({ code, prompts }).toEqual({ code: 1, prompts: 3 });
    expect(failure(screen)).toBe(
      'nixstrap: sudo did not accept the password, so the profile was not set and nothing changed.\n' +
        `  hint: Run it again and type the login password of ${user.name} at sudo's prompt.`,
    );
    expect(listGenerations(profile)).toEqual([]);
    expect(flake.calls()).toEqual([]);
  });

  it('tells a password refused at the activation apart from a failed activation', async () => {
    const { flake, dataDir, profile } = setting('sudo-wrong-activate');
    // A sudo that forgets the password at once asks again at the activation.
    user.grant({ askEachTime: true });
    const { code, screen } = await inTerminal(rebuildArgs(flake, dataDir, profile, '--yes'), [
      user.password,
      ...Array(3).fill('not the password'),
    ]).finally(() => user.grant());
    expect(code).toBe(1);
    expect(failure(screen)).toMatch(
      /^nixstrap: sudo did not accept the password, so the new configuration was not activated: the profile already points at it, while the running system and the boot menu are as they were\.\n/,
    );
    expect(listGenerations(profile)).toEqual([{ number: 1, current: true }]);
    expect(flake.calls()).toEqual([]);
  });

  it('says the user may not use sudo when sudo refuses them', async () => {
    const { flake, dataDir, profile } = setting('sudo-refused');
    user.revoke();
    try {
      const { code, screen } = await inTerminal(rebuildArgs(flake, dataDir, profile, '--yes'), [
        user.password,
      ]);
      expect(code).toBe(1);
      expect(failure(screen)).toBe(
        `nixstrap: ${user.name} may not use sudo on this machine, and this step needs root, so the profile was not set and nothing changed.\n` +
          `  hint: Run Nixstrap as a user who may (on NixOS, one in the wheel group: \`users.users.${user.name}.extraGroups = [ "wheel" ];\`), or as root.`,
      );
    } finally {
      user.grant();
    }
    expect(listGenerations(profile)).toEqual([]);
  });

  it('cancels at sudo’s prompt on Ctrl-C, leaving the profile as it was', async () => {
    const { flake, dataDir, profile } = setting('sudo-ctrl-c');
    const { code, screen } = await inTerminal(
      rebuildArgs(flake, dataDir, profile, '--yes'),
      [],
      [[`[sudo] password for ${user.name}:`, '\u0003']],
    );
    expect(code).not.toBe(0);
    expect(screen).toContain('Cancelling');
    // sudo never ran nix-env: nothing changed, whatever the phase was called.
    expect(screen).toContain('Cancelled: nothing more was done.');
    expect(screen).not.toContain('during activation');
    expect(listGenerations(profile)).toEqual([]);
    expect(flake.calls()).toEqual([]);
    const runs = JSON.parse(
      execFileSync(
        process.execPath,
        [path.join(repoRoot, 'bin/nixstrap.js'), 'runs', '--json', '--data-dir', dataDir],
        { encoding: 'utf8' },
      ),
    );
    expect(runs[0]).toMatchObject({ status: 'cancelled' });
  });

  /** Two generations made by the user through sudo: the stand-in's first label, then `two`. */
  async function twoGenerations(prefix: string) {
    const setup = setting(prefix);
    const pw = user.password;
    const { flake, dataDir, profile } = setup;
    expect((await inTerminal(rebuildArgs(flake, dataDir, profile, '--yes'), [pw])).code).toBe(0);
    // The test (root) commits as itself, then hands the repo back.
    execFileSync('chown', ['-R', 'root:root', flake.dir]);
    flake.update({ demo: { label: '24.11.two' } });
    user.own(flake.dir);
    expect((await inTerminal(rebuildArgs(flake, dataDir, profile, '--yes'), [pw])).code).toBe(0);
    return setup;
  }

  it('rolls back and deletes through sudo, and refuses both with no terminal', {
    timeout: 300_000,
  }, async () => {
    const { flake, dataDir, profile } = await twoGenerations('sudo-later');
    const rollback = ['rollback', '--profile', profile, '--yes', '--data-dir', dataDir];
    const remove = (n: string) => [
      'delete-generations',
      n,
      '--profile',
      profile,
      '--yes',
      '--data-dir',
      dataDir,
    ];
    for (const [args, verb] of [
      [rollback, 'rollback'],
      [remove('1'), 'delete-generations'],
    ] as const) {
      const result = withoutTerminal([...args]);
      expect({ code: result.status, stderr: result.stderr }).toEqual({
        code: 2,
        stderr:
          `nixstrap: Nothing was done: \`nixstrap ${verb}\` needs root through sudo, which asks for a password, and there is no terminal to type it in.\n` +
          '  hint: Run it in a terminal, or as root, or let this user run sudo without a password.\n',
      });
    }
    expect(listGenerations(profile)).toEqual([
      { number: 1, current: false },
      { number: 2, current: true },
    ]);

    // Asked, then sudo's password: both typed in the terminal the command runs in.
    const back = await inTerminal(
      rollback.filter((arg) => arg !== '--yes'),
      [user.password],
      [['[y/N] ', 'y']],
    );
    expect(back.screen).toMatch(/generation 1 \(24\.11\.sudo-later\) now\? /);
    expect(back.screen).not.toContain(user.password);
    expect({ code: back.code, prompts: back.prompts }).toEqual({ code: 0, prompts: 1 });
    const gone = await inTerminal(remove('2'), [user.password]);
    expect(gone.code).toBe(0);
    expect(listGenerations(profile)).toEqual([{ number: 1, current: true }]);
    expect(flake.calls()).toEqual([
      'switch-to-configuration switch',
      'switch-to-configuration switch',
      'switch-to-configuration switch',
      'switch-to-configuration boot',
    ]);
  });

  it('is refused before building when there is no terminal to type the password in', () => {
    const { flake, dataDir, profile } = setting('sudo-noterm');
    const result = withoutTerminal(rebuildArgs(flake, dataDir, profile, '--yes'));
    expect({ code: result.status, stdout: result.stdout }).toEqual({ code: 2, stdout: '' });
    expect(result.stderr).toBe(
      'nixstrap: Nothing was done: `nixstrap rebuild --action switch` needs root through sudo, which asks for a password, and there is no terminal to type it in.\n' +
        '  hint: Run it in a terminal, or as root, or let this user run sudo without a password.\n',
    );
    expect(listGenerations(profile)).toEqual([]);
    expect(fs.readdirSync(dataDir)).toEqual([]);
  });

  it('builds with no terminal when the action needs no root', () => {
    const { flake, dataDir, profile } = setting('sudo-build');
    const result = withoutTerminal(rebuildArgs(flake, dataDir, profile, '--action', 'build'));
    expect(result.status).toBe(0);
    expect(listGenerations(profile)).toEqual([]);
  });
});
