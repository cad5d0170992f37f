import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { hostname, platform, release, userInfo } from 'node:os';
import type { CommandResult, MachineInfo, Probe } from './probe';
import { DETECTION_ENV_VARS, isAllowedCommand, PRESENCE_ONLY_ENV_VARS } from './probe-rules';

/** Long enough for a cold `nix --version`, short enough that a hung tool cannot stall the wizard. */
const COMMAND_TIMEOUT_MS = 4000;
const TIMED_OUT_EXIT_CODE = 124;

function currentUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? process.env.LOGNAME ?? '';
  }
}

interface ExecError {
  code?: string;
  status?: number | null;
  signal?: string | null;
  stdout?: string | Buffer;
}

function runAllowed(argv: readonly string[]): CommandResult | null {
  const [file, ...args] = argv;
  if (!file) return null;
  try {
    const stdout = execFileSync(file, args, {
      encoding: 'utf8',
      timeout: COMMAND_TIMEOUT_MS,
      stdio: ['ignore', 'pipe', 'ignore'],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C' },
    });
    return { stdout, exitCode: 0 };
  } catch (error) {
    const failed = error as ExecError;
    if (failed.code === 'ENOENT' || failed.code === 'EACCES') return null;
    const stdout = failed.stdout === undefined ? '' : String(failed.stdout);
    if (typeof failed.status === 'number') return { stdout, exitCode: failed.status };
    return { stdout, exitCode: TIMED_OUT_EXIT_CODE };
  }
}

/** A path that is missing, forbidden or of the wrong kind reads as absent: detection moves on. */
function unlessUnreadable<T>(read: () => T): T | null {
  try {
    return read();
  } catch {
    return null;
  }
}

/** The machine this process runs on, read with synchronous fs calls and a few allowed commands. */
export function createLiveProbe(): Probe {
  let info: MachineInfo | undefined;
  return {
    machine() {
      info ??= {
        platform: platform(),
        arch: process.arch,
        release: release(),
        hostName: hostname(),
        userName: currentUserName(),
      };
      return { ...info };
    },
    env(name) {
      if (!DETECTION_ENV_VARS.includes(name)) return undefined;
      const value = process.env[name];
      return value !== undefined && PRESENCE_ONLY_ENV_VARS.includes(name) ? '1' : value;
    },
    readFile: (path) => unlessUnreadable(() => readFileSync(path, 'utf8')),
    readBytes: (path) => unlessUnreadable(() => new Uint8Array(readFileSync(path))),
    readDir: (path) => unlessUnreadable(() => readdirSync(path).sort()),
    readLink: (path) => unlessUnreadable(() => readlinkSync(path, 'utf8')),
    exists(path) {
      return existsSync(path);
    },
    run(argv) {
      return isAllowedCommand(argv) ? runAllowed(argv) : null;
    },
  };
}
