import fs from 'node:fs';
import path from 'node:path';
import * as nodePty from 'node-pty';

export interface PtyExit {
  exitCode: number;
  signal: number | null;
}

/** A command running in a pseudo-terminal, as if typed into the user's own terminal. */
export interface PtyCommand {
  write(input: string): void;
  resize(cols: number, rows: number): void;
  /** Ctrl-C: SIGINT through the terminal and to the process itself. */
  interrupt(): void;
  /** A signal to the whole process group the command leads. */
  signal(signal: 'SIGTERM' | 'SIGKILL'): void;
  readonly exit: Promise<PtyExit>;
}

/** The exit code a shell gives a command it cannot find. */
export const NOT_FOUND = 127;

/** The absolute path `name` resolves to on `PATH`, or null; paths with a slash are checked as they are. */
export function findExecutable(name: string, env: NodeJS.ProcessEnv): string | null {
  const candidates = name.includes('/')
    ? [name]
    : (env.PATH ?? '').split(path.delimiter).map((dir) => path.join(dir || '.', name));
  for (const candidate of candidates) {
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // Not here: try the next folder.
    }
  }
  return null;
}

/**
 * Linux throws away what a pty still holds once the last process with its terminal open has
 * exited, so the last lines of a command that prints and exits at once (a build's error) could
 * be lost. Holding the terminal open from here keeps them readable: node-pty reads them all and
 * reports the exit once its read side is done, and then the terminal is let go. node-pty names
 * the terminal device only at runtime; where it cannot be opened, nothing is held.
 */
function holdTerminal(term: nodePty.IPty): () => void {
  const device = (term as unknown as { ptsName?: unknown }).ptsName;
  if (typeof device !== 'string') return () => {};
  try {
    const fd = fs.openSync(device, fs.constants.O_RDWR | fs.constants.O_NOCTTY);
    return () => fs.closeSync(fd);
  } catch {
    return () => {};
  }
}

/**
 * Starts `argv` in a pty with raw output bytes (decoded by the caller, so a character split
 * across reads is joined once). The caller checks the command exists first: a pty reports a
 * failed exec only as an exit code.
 */
export function spawnPty(
  argv: string[],
  options: {
    env: NodeJS.ProcessEnv;
    cwd: string;
    cols: number;
    rows: number;
    onData(data: Buffer): void;
  },
): PtyCommand {
  const [file, ...args] = argv as [string, ...string[]];
  const term = nodePty.spawn(file, args, {
    name: 'xterm-256color',
    cols: options.cols,
    rows: options.rows,
    cwd: options.cwd,
    env: { ...options.env, TERM: options.env.TERM ?? 'xterm-256color' } as Record<string, string>,
    encoding: null,
  });
  const release = holdTerminal(term);
  term.onData((data) => options.onData(data as unknown as Buffer));
  const exit = new Promise<PtyExit>((resolve) => {
    term.onExit(({ exitCode, signal }) => {
      release();
      // node-pty reports a command a signal ended (a cancel's SIGINT, the OOM killer's SIGKILL)
      // as exit code 0: given as a shell gives it, 128 + the signal, it never reads as success.
      resolve({ exitCode: signal ? 128 + signal : exitCode, signal: signal || null });
    });
  });
  let exited = false;
  void exit.then(() => {
    exited = true;
  });
  const send = (target: number, signal: NodeJS.Signals) => {
    try {
      process.kill(target, signal);
    } catch {
      // Already gone, or not ours to signal (a sudo'd command): the terminal's Ctrl-C remains.
    }
  };
  return {
    write: (input) => {
      if (!exited) term.write(input);
    },
    resize: (cols, rows) => {
      if (!exited) term.resize(Math.max(1, cols), Math.max(1, rows));
    },
    interrupt: () => {
      if (exited) return;
      term.write('\u0003');
      send(term.pid, 'SIGINT');
    },
    signal: (signal) => {
      if (exited) return;
      send(-term.pid, signal);
      send(term.pid, signal);
    },
    exit,
  };
}
