import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import {
  type Explanation,
  type NixstrapError,
  NixstrapFailure,
  type Phase,
  type PhaseStatus,
  type Progress,
  type RunEvent,
} from '../../../common';
import { createRunStore, type Ledger, openLedger, type RunStore } from '../ledger';
import { makeDirsSync } from '../platform';
import { identifyNix, RESULT_CODES, type ResultName } from './codes';
import { acquireRunLock, type RunLock } from './lock';
import { NixLogParser } from './nix-log';
import { ProgressModel } from './progress';
import { findExecutable, NOT_FOUND, type PtyCommand, spawnPty } from './pty';
import { RunRecording, TERMINAL_LOG } from './recording';
import { register } from './registry';
import { renderRecord, terminalLines } from './render';
import { stripAnsi } from './text';
import type {
  RebuildRun,
  RecordedRunSpec,
  RunOutcome,
  RunResult,
  RunSession,
  StepCommand,
  StepOutcome,
} from './types';

const DEFAULT_GRACE_MS = 5_000;
/** Progress events at most this often; the last state of a step always goes out. */
const PROGRESS_EVERY_MS = 100;
/** Plain lines a step keeps to explain its failure from. */
const LINES_KEPT = 300;
const EMPTY_PROGRESS: Progress = {
  builds: { done: 0, expected: 0, running: 0, failed: 0 },
  downloads: { done: 0, expected: 0, running: 0, failed: 0 },
  bytes: { downloaded: 0, expectedDownload: 0, copied: 0, expectedCopy: 0 },
  current: null,
};

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

function failureOf(error: unknown): NixstrapError {
  if (error instanceof NixstrapFailure) return error.error;
  return {
    code: 'INTERNAL',
    message: `Nixstrap hit an unexpected problem during the run: ${error instanceof Error ? error.message : String(error)}`,
    hint: 'Please report it with `nixstrap log RUN` attached.',
  };
}

/**
 * A run with its recording, its ledger row and the lock: the shells drive it as a RebuildRun,
 * the body (the rebuild pipeline, a rollback) drives it as a RunSession.
 */
class RecordedRun implements RebuildRun {
  readonly dir: string;
  readonly env: NodeJS.ProcessEnv;
  readonly done: Promise<RunResult>;
  private model: ProgressModel | null = null;
  private results: Record<number, ResultName> = RESULT_CODES.nix;
  private command: PtyCommand | null = null;
  private answerConfirm: ((proceed: boolean) => void) | null = null;
  private cancelRequested = false;
  private finished = false;
  private cols: number;
  private rows: number;
  private publishedVersion = -1;
  private progressTimer: NodeJS.Timeout | null = null;
  private escalation: NodeJS.Timeout[] = [];

  constructor(
    readonly id: string,
    private readonly spec: RecordedRunSpec,
    private readonly ledger: Ledger,
    private readonly store: RunStore,
    private readonly lock: RunLock,
    private readonly recording: RunRecording,
    body: (session: RunSession) => Promise<RunOutcome>,
  ) {
    this.dir = recording.dir as string;
    this.env = spec.env ?? process.env;
    this.cols = spec.cols ?? 120;
    this.rows = spec.rows ?? 32;
    this.done = this.run(body);
  }

  get dataDir(): string {
    return this.spec.dataDir;
  }

  get cancelled(): boolean {
    return this.cancelRequested;
  }

  get progress(): Progress {
    return this.model?.snapshot() ?? EMPTY_PROGRESS;
  }

  // The shells' side.

  onEvent(listener: (event: RunEvent, seq: number) => void, fromSeq?: number): () => void {
    return this.recording.onEvent(listener, fromSeq);
  }

  onTerminal(listener: (chunk: string, offset: number) => void, fromOffset?: number): () => void {
    return this.recording.onTerminal(listener, fromOffset);
  }

  write(input: string): void {
    this.command?.write(input);
  }

  resize(cols: number, rows: number): void {
    this.cols = cols;
    this.rows = rows;
    this.command?.resize(cols, rows);
  }

  confirm(proceed: boolean): void {
    const answer = this.answerConfirm;
    this.answerConfirm = null;
    answer?.(proceed);
  }

  cancel(): void {
    if (this.finished || this.cancelRequested) return;
    this.cancelRequested = true;
    this.say('Cancelling…');
    this.confirm(false);
    this.stopCommand();
  }

  /** SIGINT to the running command, then SIGTERM and SIGKILL to its group if it lingers. */
  private stopCommand(): void {
    const command = this.command;
    if (!command) return;
    command.interrupt();
    const grace = this.spec.cancelGraceMs ?? DEFAULT_GRACE_MS;
    this.escalation.push(
      setTimeout(() => command.signal('SIGTERM'), grace),
      setTimeout(() => command.signal('SIGKILL'), grace * 2),
    );
  }

  // The body's side.

  phase(phase: Phase, status: PhaseStatus, exitCode?: number | null): void {
    this.store.phase(this.id, phase, status, exitCode ?? null);
    this.emit({
      type: 'phase',
      phase,
      status,
      ...(exitCode === undefined ? {} : { exitCode }),
    });
  }

  say(text: string): void {
    this.recording.terminal(terminalLines(`\u001b[1m${text}\u001b[0m`));
  }

  emit(event: Exclude<RunEvent, { type: 'result' }>): void {
    this.recording.emit(event);
  }

  record(fields: { storePath?: string; generation?: number }): void {
    this.store.record(this.id, fields);
  }

  async confirm_(question: string): Promise<boolean> {
    if (this.spec.confirm === 'yes') return !this.cancelRequested;
    if (this.cancelRequested) return false;
    const answer = new Promise<boolean>((resolve) => {
      this.answerConfirm = resolve;
    });
    this.emit({ type: 'confirm', question });
    return answer;
  }

  async step(command: StepCommand): Promise<StepOutcome> {
    if (this.cancelRequested) return { exitCode: 130, signal: null, lines: [] };
    const env = command.env ?? this.env;
    const [name = ''] = command.argv;
    this.recording.terminal(terminalLines(`\u001b[2m$ ${command.argv.join(' ')}\u001b[0m`));
    if (!findExecutable(name, env)) {
      const line = `${name}: command not found (not on PATH)`;
      this.recording.terminal(terminalLines(line));
      return { exitCode: NOT_FOUND, signal: null, lines: [line] };
    }
    if (command.nixLog && !this.model) await this.identifyNix(env);
    const tail = new LineTail();
    const text = (chunk: string) => {
      this.recording.terminal(chunk);
      tail.push(chunk);
    };
    const model = this.model;
    const parser = new NixLogParser({
      text,
      record: (record) => {
        if (!model) return;
        model.apply(record);
        const rendered = renderRecord(record, model, this.results);
        if (rendered) text(rendered);
        this.scheduleProgress();
      },
    });
    const decoder = new StringDecoder('utf8');
    const running = spawnPty(command.argv, {
      env,
      cwd: command.cwd ?? this.dir,
      cols: this.cols,
      rows: this.rows,
      onData: command.nixLog ? (data) => parser.push(data) : (data) => text(decoder.write(data)),
    });
    this.command = running;
    // A cancel that came while the command was starting reaches it now.
    if (this.cancelRequested) this.stopCommand();
    const exit = await running.exit;
    this.command = null;
    for (const timer of this.escalation) clearTimeout(timer);
    this.escalation = [];
    if (command.nixLog) parser.end();
    else text(decoder.end());
    this.publishProgress();
    this.recording.flushOutput(true);
    return { ...exit, lines: tail.end() };
  }

  /** The model behind the progress and the build-failure explanation; null before a Nix step. */
  get nixModel(): ProgressModel | null {
    return this.model;
  }

  private async identifyNix(env: NodeJS.ProcessEnv): Promise<void> {
    const nix = await identifyNix(env);
    this.results = RESULT_CODES[nix.impl];
    this.model = new ProgressModel(this.results);
    if (this.spec.profile) this.store.recordNix(this.spec.profile, nix.impl, nix.version);
  }

  private scheduleProgress(): void {
    if (this.progressTimer || !this.model || this.model.version === this.publishedVersion) return;
    this.progressTimer = setTimeout(() => this.publishProgress(), PROGRESS_EVERY_MS);
  }

  private publishProgress(): void {
    if (this.progressTimer) clearTimeout(this.progressTimer);
    this.progressTimer = null;
    if (!this.model || this.model.version === this.publishedVersion) return;
    this.publishedVersion = this.model.version;
    this.emit({ type: 'progress', ...this.model.snapshot() });
  }

  private async run(body: (session: RunSession) => Promise<RunOutcome>): Promise<RunResult> {
    let outcome: RunOutcome;
    let error: NixstrapError | null = null;
    try {
      outcome = await body(this.sessionView());
    } catch (thrown) {
      error = failureOf(thrown);
      outcome = {
        status: 'failed',
        exitCode: null,
        explanation: { kind: 'error', message: error.message, hint: error.hint },
      };
    }
    if (this.cancelRequested && outcome.status === 'failed') {
      outcome = { ...outcome, status: 'cancelled', explanation: cancelledExplanation() };
    }
    return this.finish(outcome, error);
  }

  private finish(outcome: RunOutcome, error: NixstrapError | null): RunResult {
    this.finished = true;
    this.answerConfirm = null;
    const explanation = outcome.explanation ?? null;
    const result: RunResult = {
      type: 'result',
      status: outcome.status,
      runId: this.id,
      exitCode: outcome.exitCode,
      generation: outcome.generation ?? null,
      storePath: outcome.storePath ?? null,
      explanation,
    };
    if (explanation) {
      this.recording.terminal(
        terminalLines(`\u001b[1;31m${explanation.message}\u001b[0m\n${explanation.hint}`),
      );
    }
    this.recording.emit(result);
    try {
      this.store.finish(this.id, {
        status: outcome.status,
        exitCode: outcome.exitCode,
        storePath: outcome.storePath ?? null,
        generation: outcome.generation ?? null,
        error: error ?? ledgerError(outcome.status, explanation),
      });
    } finally {
      this.recording.close();
      this.ledger.close();
      this.lock.release();
    }
    return result;
  }

  /** The body sees the session under its interface's names. */
  private sessionView(): RunSession {
    const run = this;
    return {
      id: run.id,
      dataDir: run.dataDir,
      dir: run.dir,
      env: run.env,
      get cancelled() {
        return run.cancelled;
      },
      phase: (phase, status, exitCode) => run.phase(phase, status, exitCode),
      step: (command) => run.step(command),
      say: (text) => run.say(text),
      emit: (event) => run.emit(event),
      confirm: (question) => run.confirm_(question),
      record: (fields) => run.record(fields),
      get progressModel() {
        return run.nixModel;
      },
    };
  }
}

function cancelledExplanation(): Explanation {
  return {
    kind: 'cancelled',
    message: 'The run was cancelled.',
    hint: 'Nothing was changed unless activation had started; start it again when ready.',
  };
}

function ledgerError(status: RunOutcome['status'], explanation: Explanation | null) {
  if (!explanation || status === 'succeeded') return null;
  return {
    code: status === 'cancelled' ? ('CANCELLED' as const) : ('REBUILD_FAILED' as const),
    message: explanation.message,
    hint: explanation.hint,
  };
}

/**
 * Starts a recorded run: takes the data dir's lock (REBUILD_BUSY when another run holds it),
 * marks runs a dead process left `running` as interrupted, writes the ledger row, and runs
 * `body` with a session whose steps share this run's terminal, log and events.
 */
export async function startRecordedRun(
  spec: RecordedRunSpec,
  body: (session: RunSession) => Promise<RunOutcome>,
): Promise<RebuildRun> {
  makeDirsSync(spec.dataDir);
  const lock = acquireRunLock(spec.dataDir);
  let ledger: Ledger | null = null;
  try {
    ledger = openLedger(spec.dataDir);
    const store = createRunStore(ledger);
    store.markInterrupted();
    const { id } = store.start({
      kind: spec.kind,
      action: spec.action,
      argv: spec.argv,
      host: spec.host ?? null,
      repo: spec.repo ?? null,
      commit: spec.commit ?? null,
      dirty: spec.dirty ?? null,
      profile: spec.profile ?? null,
      answers: spec.answers,
      fromGeneration: spec.fromGeneration ?? null,
    });
    lock.claim(id);
    const dir = path.join(spec.dataDir, 'runs', id);
    makeDirsSync(dir);
    store.record(id, { logPath: path.join(dir, TERMINAL_LOG) });
    const run = new RecordedRun(id, spec, ledger, store, lock, new RunRecording(dir), body);
    register(spec.dataDir, run);
    return run;
  } catch (error) {
    ledger?.close();
    lock.release();
    throw error;
  }
}
