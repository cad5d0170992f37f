import { StringDecoder } from 'node:string_decoder';
import { shellCommand } from '../../../common/shell-word';
import type { ResultName } from './codes';
import { NixLogParser } from './nix-log';
import type { ProgressModel } from './progress';
import { findExecutable, NOT_FOUND, type PtyCommand, spawnPty } from './pty';
import type { RunRecording } from './recording';
import { renderRecord, terminalLines } from './render';
import type { SudoTerminal } from './sudo-terminal';
import { stripAnsi } from './text';
import type { StepCommand, StepOutcome } from './types';

/** Plain lines a step keeps to explain its failure from. */
const LINES_KEPT = 300;

/** Collects a command's plain output as lines without escapes, the last few hundred. */
class LineTail {
  readonly lines: string[] = [];
  private partial = '';
  push(text: string): void {
    const parts = (this.partial + text).split('\n');
    this.partial = parts.pop() ?? '';
    for (const part of parts) this.add(part);
  }
  end(): string[] {
    if (this.partial) this.add(this.partial);
    this.partial = '';
    return this.lines;
  }
  private add(line: string): void {
    this.lines.push(stripAnsi(line).replace(/\r/g, ''));
    if (this.lines.length > LINES_KEPT) this.lines.shift();
  }
}

export interface StepContext {
  env: NodeJS.ProcessEnv;
  cwd: string;
  cols: number;
  rows: number;
  recording: RunRecording;
  /** Where `@nix` records go; null for a command that writes none. */
  model: ProgressModel | null;
  results: Record<number, ResultName>;
  onRecord(): void;
  onStart(command: PtyCommand): void;
  /** The run's one session for sudo steps (sudo then asks once a run); null where none can be. */
  sudoTerminal(): SudoTerminal | null;
}

/**
 * Runs one command in a pty: its output goes to the run's terminal and log, records feed the
 * progress model and show as readable lines. The command line is shown first, as a shell
 * would, and a command missing from PATH fails like one (exit 127) instead of throwing.
 */
export async function runStep(command: StepCommand, ctx: StepContext): Promise<StepOutcome> {
  const [name = ''] = command.argv;
  const shown = command.shown ?? shellCommand(command.argv);
  ctx.recording.terminal(terminalLines(`\u001b[2m$ ${shown}\u001b[0m`));
  if (!findExecutable(name, ctx.env)) {
    const line = `${name}: command not found (not on PATH)`;
    ctx.recording.terminal(terminalLines(line));
    return { exitCode: NOT_FOUND, signal: null, lines: [line] };
  }
  const tail = new LineTail();
  const text = (chunk: string) => {
    ctx.recording.terminal(chunk);
    tail.push(chunk);
  };
  const model = ctx.model;
  const parser = new NixLogParser({
    text,
    record: (record) => {
      if (!model) return;
      model.apply(record);
      const rendered = renderRecord(record, model, ctx.results);
      if (rendered) text(rendered);
      ctx.onRecord();
    },
  });
  const decoder = new StringDecoder('utf8');
  const onData = model
    ? (data: Buffer) => parser.push(data)
    : (data: Buffer) => text(decoder.write(data));
  const cwd = command.cwd ?? ctx.cwd;
  const shared = name === 'sudo' && !command.env ? ctx.sudoTerminal() : null;
  const running = shared
    ? shared.run(command.argv, cwd, onData)
    : spawnPty(command.argv, { env: ctx.env, cwd, cols: ctx.cols, rows: ctx.rows, onData });
  ctx.onStart(running);
  const exit = await running.exit;
  if (model) parser.end();
  else text(decoder.end());
  ctx.recording.flushOutput(true);
  return { ...exit, lines: tail.end() };
}
