import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MarkReader, SudoTerminal } from '../../main/core/rebuild/sudo-terminal';

/**
 * The session a run's sudo steps share, in a real pty with real commands (the steps here need no
 * sudo: what is tested is that they share one session, apart in output and status).
 */
describe('the terminal session a run’s sudo steps share', () => {
  const opened: { terminal: SudoTerminal; dir: string }[] = [];
  afterEach(() => {
    for (const { terminal, dir } of opened.splice(0)) {
      terminal.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  function open(): { terminal: SudoTerminal; idle: Buffer[]; dir: string } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nixstrap-sudo-terminal-'));
    const idle: Buffer[] = [];
    const terminal = SudoTerminal.open({
      dir,
      env: process.env,
      cols: 80,
      rows: 24,
      idle: (data) => idle.push(Buffer.from(data)),
    });
    if (!terminal) throw new Error('no FIFO could be made');
    opened.push({ terminal, dir });
    return { terminal, idle, dir };
  }

  async function step(terminal: SudoTerminal, argv: string[], input?: string) {
    const chunks: Buffer[] = [];
    const running = terminal.run(argv, process.cwd(), (data) => chunks.push(Buffer.from(data)));
    if (input !== undefined) running.write(input);
    const exit = await running.exit;
    return { ...exit, output: Buffer.concat(chunks).toString('utf8') };
  }

  /** The session a command runs in, and its terminal: sudo's timestamp is kept per both. */
  const whereAmI = ['sh', '-c', 'printf "%s %s" "$(cut -d" " -f6 /proc/$$/stat)" "$(tty)"'];

  it('runs steps one after another in one session and one terminal, each with its own output and status', async () => {
    const { terminal, dir } = open();
    const first = await step(terminal, whereAmI);
    const second = await step(terminal, ['sh', '-c', 'echo "two"; printf "no newline"; exit 3']);
    const third = await step(terminal, whereAmI);
    expect(first.exitCode).toBe(0);
    expect(first.output).toMatch(/^\d+ \/dev\/pts\/\d+$/);
    expect(third.output).toBe(first.output);
    expect(second).toEqual({ exitCode: 3, signal: null, output: 'two\r\nno newline' });
    // Its scripts and FIFO live only as long as the session.
    terminal.close();
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('passes words as they are, a hostile one included, and runs in the folder given', async () => {
    const { terminal } = open();
    const word = `it's $(touch /tmp/nixstrap-pwned) "; exit 9 \`id\``;
    const echoed = await step(terminal, ['printf', '%s|%s', word, 'two words']);
    expect(echoed).toEqual({ exitCode: 0, signal: null, output: `${word}|two words` });
    expect(fs.existsSync('/tmp/nixstrap-pwned')).toBe(false);
  });

  it('gives the keys typed to the step running, and goes on after a Ctrl-C ends one', async () => {
    const { terminal } = open();
    const answered = await step(terminal, ['sh', '-c', 'read -r line; echo "got $line"'], 'yes\r');
    expect(answered.output).toBe('yes\r\ngot yes\r\n');
    const chunks: Buffer[] = [];
    const sleeping = terminal.run(['sleep', '30'], process.cwd(), (data) => chunks.push(data));
    setTimeout(() => sleeping.interrupt(), 300);
    expect((await sleeping.exit).exitCode).toBe(130);
    expect(terminal.alive).toBe(true);
    expect((await step(terminal, ['echo', 'after'])).output).toBe('after\r\n');
  });

  it('is not opened where no FIFO can be made, so each sudo step gets a terminal of its own', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nixstrap-sudo-terminal-'));
    const options = { dir, cols: 80, rows: 24, idle: () => {} };
    expect(SudoTerminal.open({ ...options, env: { PATH: '/nonexistent' } })).toBeNull();
    // A run folder where nothing can be made (here: a file in its place).
    const file = path.join(dir, 'not-a-folder');
    fs.writeFileSync(file, '');
    expect(SudoTerminal.open({ ...options, dir: file, env: process.env })).toBeNull();
    fs.rmSync(dir, { recursive: true });
  });

  it('ends the step and itself on SIGTERM, as a cancel escalates', async () => {
    const { terminal } = open();
    const sleeping = terminal.run(['sleep', '30'], process.cwd(), () => {});
    setTimeout(() => sleeping.signal('SIGTERM'), 300);
    const exit = await sleeping.exit;
    expect(exit.exitCode !== 0 || exit.signal !== null).toBe(true);
    expect(terminal.alive).toBe(false);
  });
});

describe('reading the marks between steps', () => {
  const nonce = 'n0nce';
  const mark = (status: number) => `\u001b]7770;${nonce};${status}\u0007`;

  function read(chunks: string[]): (string | number)[] {
    const out: (string | number)[] = [];
    const reader = new MarkReader(
      nonce,
      (data) => {
        const text = data.toString('utf8');
        if (typeof out.at(-1) === 'string') out[out.length - 1] += text;
        else out.push(text);
      },
      (status) => out.push(status),
    );
    for (const chunk of chunks) reader.push(Buffer.from(chunk));
    reader.end();
    return out;
  }

  it('finds every mark however the reads cut the stream', () => {
    const stream = `first\r\n${mark(0)}second ${'\u001b[1mbold\u001b[0m'}${mark(4)}\u001b`;
    const expected = ['first\r\n', 0, 'second \u001b[1mbold\u001b[0m', 4, '\u001b'];
    expect(read([stream])).toEqual(expected);
    for (let size = 1; size <= 7; size += 1) {
      const chunks = [];
      for (let at = 0; at < stream.length; at += size) chunks.push(stream.slice(at, at + size));
      expect(read(chunks), `reads of ${size}`).toEqual(expected);
    }
  });

  it('leaves a sequence with another nonce, as a command could print, in the output', () => {
    const forged = '\u001b]7770;guess;0\u0007';
    expect(read([`out ${forged} more`, mark(1)])).toEqual([`out ${forged} more`, 1]);
  });
});
