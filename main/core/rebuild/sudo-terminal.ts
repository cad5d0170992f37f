import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { shellCommand, shellWord } from '../../../common/shell-word';
import { type PtyCommand, type PtyExit, spawnPty } from './pty';

/**
 * The one terminal session a run's sudo steps share. sudo remembers that it asked per terminal
 * session (its default `timestamp_type=tty`): steps each in a pty of their own were asked for the
 * password at each root step, two or three times a switch. In one session sudo asks once a run,
 * as when `nixos-rebuild switch` is typed into a terminal.
 *
 * A small shell leads the session. It reads the steps from a FIFO in the run's folder, never from
 * the terminal, where the user's keys (sudo's password) go; it runs each in the terminal and then
 * writes a mark with its exit status: an OSC sequence with a nonce of this run, taken out of the
 * stream here. What came before the mark is the step's output, so no step's last lines are read
 * as the next's, and the shell holding the terminal open keeps them from being lost at its exit.
 */

/** The OSC number of the mark; terminals ignore OSC numbers they do not know. */
const MARK_OSC = '7770';
const BEL = 0x07;
const ESC = 0x1b;

/**
 * The session's leader, run by `/bin/sh` with the FIFO and the nonce. A Ctrl-C in the terminal
 * reaches the whole foreground group: the shell catches it (so the step's command takes it the
 * default way, and the shell lives on for the next step) and goes back to reading.
 */
const LEADER_SCRIPT = String.raw`
fifo=$1 mark=$2
trap : INT
exec 3<>"$fifo"
while :; do
  if IFS= read -r step <&3; then
    /bin/sh "$step" 3<&-
    printf '\033]${MARK_OSC};%s;%s\007' "$mark" "$?"
  fi
done
`;

/** How many bytes at the end of `data` are the start of `prefix` (a mark split across reads). */
function partialPrefix(data: Buffer, prefix: Buffer): number {
  const from = data.lastIndexOf(ESC);
  if (from < 0 || data.length - from >= prefix.length) return 0;
  return data.subarray(from).equals(prefix.subarray(0, data.length - from))
    ? data.length - from
    : 0;
}

/**
 * Splits a terminal's byte stream at the marks `ESC ] 7770 ; NONCE ; STATUS BEL`, however the
 * reads cut it: `output` gets every byte that is not part of a mark, in order, and `mark` each
 * status where its mark ends. A sequence with another nonce is output like any other.
 */
export class MarkReader {
  private readonly prefix: Buffer;
  private pending: Buffer = Buffer.alloc(0);

  constructor(
    nonce: string,
    private readonly output: (data: Buffer) => void,
    private readonly mark: (status: number) => void,
  ) {
    this.prefix = Buffer.from(`\u001b]${MARK_OSC};${nonce};`);
  }

  push(chunk: Buffer): void {
    let data = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = Buffer.alloc(0);
    for (;;) {
      const at = data.indexOf(this.prefix);
      if (at < 0) break;
      const end = data.indexOf(BEL, at + this.prefix.length);
      if (end < 0) {
        this.emit(data.subarray(0, at));
        this.pending = data.subarray(at);
        return;
      }
      this.emit(data.subarray(0, at));
      const status = Number(data.subarray(at + this.prefix.length, end).toString('latin1'));
      this.mark(Number.isInteger(status) ? status : 1);
      data = data.subarray(end + 1);
    }
    const held = partialPrefix(data, this.prefix);
    this.emit(data.subarray(0, data.length - held));
    this.pending = data.subarray(data.length - held);
  }

  /** What was held back as the possible start of a mark, once no mark can follow. */
  end(): void {
    const rest = this.pending;
    this.pending = Buffer.alloc(0);
    this.emit(rest);
  }

  private emit(data: Buffer): void {
    if (data.length) this.output(data);
  }
}

interface RunningStep {
  onData(data: Buffer): void;
  finish(exit: PtyExit): void;
}

export interface SudoTerminalOptions {
  /** The run's folder: the FIFO and the step scripts live there while the run lasts. */
  dir: string;
  env: NodeJS.ProcessEnv;
  cols: number;
  rows: number;
  /** Output while no step runs (the kernel's echo of a key typed then). */
  idle(data: Buffer): void;
}

export class SudoTerminal {
  private readonly term: PtyCommand;
  private readonly fifo: number;
  private readonly scripts: string;
  private readonly marks: MarkReader;
  private current: RunningStep | null = null;
  private steps = 0;
  private ended = false;
  private closed = false;

  /** Null where this machine cannot make the FIFO (no `mkfifo`, a file system without them). */
  static open(options: SudoTerminalOptions): SudoTerminal | null {
    const scripts = path.join(options.dir, 'sudo-steps');
    const fifo = path.join(scripts, 'steps');
    try {
      fs.mkdirSync(scripts, { recursive: true, mode: 0o700 });
      const made = spawnSync('mkfifo', ['-m', '600', fifo], { stdio: 'ignore', env: options.env });
      if (made.status !== 0) return null;
      // Read and write: opening a FIFO so never waits for the other end, and the shell's reads
      // never see its end while this side is open.
      return new SudoTerminal(options, scripts, fs.openSync(fifo, 'r+'));
    } catch {
      return null;
    }
  }

  private constructor(options: SudoTerminalOptions, scripts: string, fifo: number) {
    this.scripts = scripts;
    this.fifo = fifo;
    const nonce = crypto.randomBytes(12).toString('hex');
    this.marks = new MarkReader(
      nonce,
      (data) => (this.current ? this.current.onData(data) : options.idle(data)),
      (status) => this.current?.finish({ exitCode: status, signal: null }),
    );
    this.term = spawnPty(
      ['/bin/sh', '-c', LEADER_SCRIPT, 'nixstrap-sudo-steps', path.join(scripts, 'steps'), nonce],
      {
        env: options.env,
        cwd: options.dir,
        cols: options.cols,
        rows: options.rows,
        onData: (data) => this.marks.push(data),
      },
    );
    void this.term.exit.then((exit) => {
      this.ended = true;
      this.marks.end();
      this.current?.finish(exit);
      this.current = null;
    });
  }

  /** Whether the session can take another step: a cancel's SIGTERM ends its shell too. */
  get alive(): boolean {
    return !this.ended;
  }

  resize(cols: number, rows: number): void {
    this.term.resize(cols, rows);
  }

  /** Runs `argv` in the session, as if typed there; one step at a time. */
  run(argv: string[], cwd: string, onData: (data: Buffer) => void): PtyCommand {
    if (this.current || this.ended || this.closed)
      throw new Error('the sudo terminal is busy or ended');
    this.steps += 1;
    const script = path.join(this.scripts, `${this.steps}.sh`);
    fs.writeFileSync(script, `cd ${shellWord(cwd)} || exit 127\nexec ${shellCommand(argv)}\n`, {
      mode: 0o600,
    });
    const exit = new Promise<PtyExit>((resolve) => {
      this.current = {
        onData,
        finish: (result) => {
          this.current = null;
          fs.rmSync(script, { force: true });
          resolve(result);
        },
      };
    });
    fs.writeSync(this.fifo, `${script}\n`);
    const term = this.term;
    return {
      write: (input) => term.write(input),
      resize: (cols, rows) => term.resize(cols, rows),
      // The terminal's Ctrl-C reaches the step's whole group; the shell leading it catches it.
      interrupt: () => term.interrupt(),
      signal: (signal) => term.signal(signal),
      exit,
    };
  }

  /** Ends the session's shell and removes its FIFO and scripts. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (!this.ended) this.term.signal('SIGTERM');
    fs.closeSync(this.fifo);
    fs.rmSync(this.scripts, { recursive: true, force: true });
  }
}
