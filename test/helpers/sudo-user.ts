import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { STAND_IN_NIX_CONFIG } from './stand-in-flake';

/**
 * A real user who is not root and whose sudo asks for a password, as on a desktop: what most
 * Nixstrap users are. Made on this machine (root, Debian) for the tests that run Nixstrap as
 * that user; Nix then reaches the store through a real nix-daemon, as a multi-user install does.
 */
export interface SudoUser {
  readonly name: string;
  readonly password: string;
  readonly home: string;
  /** An environment as a login of this user has it, with Nix's flakes on. */
  env(extra?: Record<string, string>): Record<string, string>;
  /** Hands a folder (and everything in it) to the user. */
  own(dir: string): void;
  /** `argv` run as this user, in the given environment only. */
  argv(command: string[], env: Record<string, string>): string[];
  /** Takes the user's sudo rule away: sudo then refuses them, as a user outside wheel is. */
  revoke(): void;
  /**
   * Gives the rule back; `askEachTime` makes sudo forget the password at once
   * (`timestamp_timeout=0`), as some users set it.
   */
  grant(options?: { askEachTime?: boolean }): void;
  /** Takes sudo's rule away again; the user and the daemon the tests may reuse stay. */
  close(): void;
}

const NAME = 'nixstrap-sudo';
const SUDOERS = '/etc/sudoers.d/nixstrap-sudo-test';
const SOCKET = '/nix/var/nix/daemon-socket/socket';

/** Why this machine cannot host the user, or null when it can. */
export function sudoUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'making a user needs root';
  for (const tool of ['sudo', 'useradd', 'chpasswd', 'runuser', 'nix-daemon']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} is missing`;
  }
  return null;
}

function socketAnswers(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(SOCKET);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * A nix-daemon for users who are not root: the one already running, else one started here for
 * as long as this process lives (Debian's nix-bin starts none without systemd).
 */
async function nixDaemon(): Promise<void> {
  if (await socketAnswers()) return;
  fs.mkdirSync('/nix/var/nix/daemon-socket', { recursive: true });
  const daemon = spawn('nix-daemon', [], {
    env: { ...process.env, NIX_CONFIG: STAND_IN_NIX_CONFIG },
    stdio: 'ignore',
  });
  // It must not keep the test process alive, nor outlive it.
  daemon.unref();
  process.once('exit', () => daemon.kill());
  for (let waited = 0; waited < 10_000; waited += 100) {
    if (await socketAnswers()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('nix-daemon did not open its socket within 10 s');
}

export async function makeSudoUser(): Promise<SudoUser> {
  const password = 'correct horse battery';
  if (spawnSync('id', ['-u', NAME]).status !== 0) {
    execFileSync('useradd', ['--create-home', '--shell', '/bin/sh', NAME]);
  }
  execFileSync('chpasswd', { input: `${NAME}:${password}\n` });
  // A password asked for, as a desktop's sudo does; no lecture to wade through.
  const grant = (options: { askEachTime?: boolean } = {}) => {
    // The stand-in activations' own knobs reach them through sudo, as NIX_CONFIG does not.
    const keep = 'STANDIN_ACTIVATION_DIR STANDIN_BOOT_FAILS_FOR';
    const forget = options.askEachTime ? `Defaults:${NAME} timestamp_timeout=0\n` : '';
    fs.writeFileSync(
      SUDOERS,
      `Defaults:${NAME} lecture=never\nDefaults:${NAME} env_keep += "${keep}"\n${forget}${NAME} ALL=(ALL:ALL) ALL\n`,
      { mode: 0o440 },
    );
    execFileSync('visudo', ['-c', '-q', '-f', SUDOERS]);
  };
  const revoke = () => fs.rmSync(SUDOERS, { force: true });
  grant();
  await nixDaemon();
  const home = `/home/${NAME}`;
  return {
    name: NAME,
    password,
    home,
    env: (extra = {}) => ({
      HOME: home,
      USER: NAME,
      LOGNAME: NAME,
      PATH: '/usr/local/bin:/usr/bin:/bin',
      TERM: 'xterm-256color',
      NIX_CONFIG: 'experimental-features = nix-command flakes',
      ...extra,
    }),
    own: (dir) => execFileSync('chown', ['-R', `${NAME}:${NAME}`, dir]),
    argv: (command, env) => [
      'runuser',
      '-u',
      NAME,
      '--',
      'env',
      '-i',
      ...Object.entries(env).map(([key, value]) => `${key}=${value}`),
      ...command,
    ],
    grant,
    revoke,
    close: revoke,
  };
}
