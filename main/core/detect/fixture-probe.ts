import {
  existsSync,
  lstatSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  type Stats,
  statSync,
} from 'node:fs';
import { join } from 'node:path';
import { NixstrapFailure } from '../../../common/result';
import {
  FIXTURE_COMMANDS_FILE,
  FIXTURE_MACHINE_FILE,
  FIXTURE_ROOT_DIR,
  type FixtureCommands,
  FixtureCommandsSchema,
  type FixtureMachine,
  FixtureMachineSchema,
  fixtureTextToBytes,
} from './fixture-format';
import { joinMachinePath, linkDestination, machinePathParts } from './machine-path';
import type { Probe } from './probe';

/** Linux gives up after 40 links too; a loop in a fixture must end as "absent", not hang. */
const MAX_LINK_HOPS = 40;
const FLATTENED_LINK_MAX_BYTES = 512;
const FLATTENED_LINK = /^(\.\.?\/|\/)[^\n\0]*$/;

/**
 * How the final path component is treated: `file` follows real symlinks only, `dir` also follows
 * flattened ones (a directory is needed there), `nofollow` stops at the last component.
 */
type FinalMode = 'file' | 'dir' | 'nofollow';
type Resolved = { path: string; stats: Stats };

const HINT = 'Capture the machine again, or fix the file by hand.';

function invalid(message: string, hint = HINT): never {
  throw new NixstrapFailure('FIXTURE_INVALID', message, hint);
}

function readJson(dir: string, name: string, required: boolean): unknown {
  const path = join(dir, name);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    if (!required) return undefined;
    return invalid(`The fixture ${dir} has no readable ${name}.`);
  }
  try {
    return JSON.parse(text);
  } catch {
    return invalid(`The fixture file ${path} is not valid JSON.`);
  }
}

function loadMachine(dir: string): FixtureMachine {
  const parsed = FixtureMachineSchema.safeParse(readJson(dir, FIXTURE_MACHINE_FILE, true));
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? ` at "${issue.path.join('.')}"` : '';
  return invalid(
    `The fixture file ${join(dir, FIXTURE_MACHINE_FILE)} is malformed${where}: ${issue?.message ?? 'unexpected shape'}.`,
  );
}

function loadCommands(dir: string): FixtureCommands {
  const raw = readJson(dir, FIXTURE_COMMANDS_FILE, false);
  if (raw === undefined) return {};
  const parsed = FixtureCommandsSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  return invalid(
    `The fixture file ${join(dir, FIXTURE_COMMANDS_FILE)} must be an object mapping each command to { stdout, exitCode }.`,
  );
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Replays a captured machine; every path stays inside the fixture's `root/`. */
class FixtureProbe implements Probe {
  constructor(
    private readonly rootDir: string,
    private readonly info: FixtureMachine,
    private readonly commands: FixtureCommands,
  ) {}

  machine() {
    const { platform, arch, release, hostName, userName } = this.info;
    return { platform, arch, release, hostName, userName };
  }

  env(name: string): string | undefined {
    return Object.hasOwn(this.info.env, name) ? this.info.env[name] : undefined;
  }

  readFile(path: string): string | null {
    const found = this.resolve(path, 'file');
    if (!found?.stats.isFile()) return null;
    try {
      return readFileSync(this.host(found.path), 'utf8');
    } catch {
      return null;
    }
  }

  readBytes(path: string): Uint8Array | null {
    const text = this.readFile(path);
    return text === null ? null : fixtureTextToBytes(text);
  }

  readDir(path: string): string[] | null {
    const found = this.resolve(path, 'dir');
    if (!found?.stats.isDirectory()) return null;
    try {
      return readdirSync(this.host(found.path)).sort();
    } catch {
      return null;
    }
  }

  readLink(path: string): string | null {
    const found = this.resolve(path, 'nofollow');
    if (!found) return null;
    if (found.stats.isSymbolicLink()) {
      try {
        return readlinkSync(this.host(found.path), 'utf8');
      } catch {
        return null;
      }
    }
    return this.flattenedTarget(found.path, found.stats);
  }

  exists(path: string): boolean {
    const asDir = this.resolve(path, 'dir');
    // `dir/.` exists only for a folder, as the kernel answers it.
    if (/\/\.?$/.test(path)) return asDir?.stats.isDirectory() ?? false;
    return asDir !== null || this.resolve(path, 'file') !== null;
  }

  run(argv: readonly string[]) {
    const key = argv.join(' ');
    const recorded = Object.hasOwn(this.commands, key) ? this.commands[key] : undefined;
    return recorded ? { stdout: recorded.stdout, exitCode: recorded.exitCode } : null;
  }

  private host(machinePath: string): string {
    return join(this.rootDir, ...machinePathParts(machinePath));
  }

  /** A capture whose symlinks were flattened into files holding the link text. */
  private flattenedTarget(path: string, stats: Stats): string | null {
    if (!stats.isFile() || stats.size === 0 || stats.size > FLATTENED_LINK_MAX_BYTES) return null;
    try {
      const text = readFileSync(this.host(path), 'utf8');
      return FLATTENED_LINK.test(text) ? text : null;
    } catch {
      return null;
    }
  }

  private resolve(path: string, mode: FinalMode): Resolved | null {
    let pending = machinePathParts(path);
    let current = '/';
    let currentStats: Stats;
    try {
      currentStats = lstatSync(this.rootDir);
    } catch {
      return null;
    }
    let hops = 0;
    while (pending.length > 0) {
      const name = pending.shift() as string;
      const isLast = pending.length === 0;
      const candidate = joinMachinePath(current, name);
      let stats: Stats;
      try {
        stats = lstatSync(this.host(candidate));
      } catch {
        return null;
      }
      let target: string | null = null;
      if (stats.isSymbolicLink()) {
        if (isLast && mode === 'nofollow') return { path: candidate, stats };
        try {
          target = readlinkSync(this.host(candidate), 'utf8');
        } catch {
          return null;
        }
      } else if (stats.isFile() && (!isLast || mode === 'dir')) {
        target = this.flattenedTarget(candidate, stats);
      }
      if (target !== null) {
        hops += 1;
        if (hops > MAX_LINK_HOPS) return null;
        pending = [...machinePathParts(linkDestination(candidate, target)), ...pending];
        current = '/';
        currentStats = lstatSync(this.rootDir);
        continue;
      }
      if (!isLast && !stats.isDirectory()) return null;
      current = candidate;
      currentStats = stats;
    }
    return { path: current, stats: currentStats };
  }
}

/** Open a captured machine (FIXTURES.md) as a Probe; a malformed fixture is a FIXTURE_INVALID failure. */
export function openFixture(dir: string): Probe {
  if (!isDirectory(dir)) {
    invalid(
      existsSync(dir)
        ? `${dir} is a file, not a fixture folder.`
        : `The fixture folder ${dir} does not exist.`,
      // Nothing there to fix by hand: the path is wrong, or the capture was never made.
      'Check the path (a fixture is the folder `nixstrap capture --out DIR` writes), or capture the machine again.',
    );
  }
  const info = loadMachine(dir);
  const commands = loadCommands(dir);
  const rootDir = join(dir, FIXTURE_ROOT_DIR);
  // Detection on Linux always reads /proc, so a Linux capture always has root/; without it every
  // file would read as absent, and the machine as one with nothing in it. A Mac's capture may
  // have read no file at all, and git keeps no empty folder.
  if (info.platform === 'linux' && !isDirectory(rootDir)) {
    invalid(`The fixture ${dir} has no ${FIXTURE_ROOT_DIR}/ folder with the machine's files.`);
  }
  return new FixtureProbe(rootDir, info, commands);
}
