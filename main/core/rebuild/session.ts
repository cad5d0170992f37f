import { StringDecoder } from 'node:string_decoder';
import type { NixstrapError, Phase, PhaseStatus, Progress, RunEvent } from '../../../common';
import type { Ledger, RunStore } from '../ledger';
import type { BuiltSource } from '../ledger/runs';
import { type CancelAnswer, type CancellableRun, CHANGING_PHASES } from './cancel-requests';
import { identifyNix, RESULT_CODES, type ResultName } from './codes';
import type { RecordedLock } from './flake-lock';
import type { RunLock } from './lock';
import { cancelledExplanation, failureOf, ledgerError } from './outcome';
import { EMPTY_PROGRESS, ProgressModel } from './progress';
import type { PtyCommand } from './pty';
import type { RunRecording } from './recording';
import { terminalLines } from './render';
import { runStep } from './step';
import { SudoTerminal } from './sudo-terminal';
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

/**
 * A run with its recording, its ledger row and the lock: the shells drive it as a RebuildRun,
 * the body (the rebuild pipeline, a rollback) drives it as a RunSession.
 */
export class RecordedRun implements RebuildRun, CancellableRun {
  readonly dir: string;
  readonly env: NodeJS.ProcessEnv;
  readonly done: Promise<RunResult>;
  private model: ProgressModel | null = null;
  private results: Record<number, ResultName> = RESULT_CODES.nix;
  private command: PtyCommand | null = null;
  /** Opened at the run's first sudo step, closed when the run ends. */
  private sudoSession: SudoTerminal | null = null;
  private answerConfirm: ((proceed: boolean) => void) | null = null;
  /** The specialisation the confirm's answer chose (null: the base); undefined: none chosen. */
  chosenSpecialisation: string | null | undefined = undefined;
  private cancelRequested = false;
  /** Set once activation starts: a cancel from then on may leave it halfway. */
  private activating = false;
  /** Set once a phase of CHANGING_PHASES starts. */
  private changingSystem = false;
  private generation: number | null = null;
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
    // Ctrl-C typed in the run's terminal means what the Cancel button means: the run ends
    // cancelled, said as a cancel, not as a build that failed "interrupted by the user".
    if (input.includes('\u0003') && this.command) {
      this.cancel();
      return;
    }
    this.command?.write(input);
  }

  resize(cols: number, rows: number): void {
    this.cols = cols;
    this.rows = rows;
    this.command?.resize(cols, rows);
    this.sudoSession?.resize(cols, rows);
  }

  confirm(proceed: boolean, specialisation?: string | null): void {
    const answer = this.answerConfirm;
    this.answerConfirm = null;
    if (answer && specialisation !== undefined) this.chosenSpecialisation = specialisation;
    answer?.(proceed);
  }

  cancel(said = 'Cancelling…'): void {
    if (this.finished || this.cancelRequested) return;
    this.cancelRequested = true;
    this.say(said);
    this.confirm(false);
    this.stopCommand();
  }

  /**
   * A cancel asked for by process `pid` (`nixstrap cancel`, another window): the same cancel as
   * this process's own, unless the run already changes the system, which it must not leave halfway.
   */
  cancelFromElsewhere(pid: number): CancelAnswer {
    if (this.finished) return 'ended';
    if (this.changingSystem) return 'changing';
    this.cancel(`Cancelling… (asked by process ${pid})`);
    return 'cancelling';
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
    if (status === 'started' && phase === 'activate') this.activating = true;
    if (status === 'started' && CHANGING_PHASES.includes(phase)) this.changingSystem = true;
    this.store.phase(this.id, phase, status, exitCode ?? null);
    this.emit({
      type: 'phase',
      phase,
      status,
      ...(exitCode === undefined ? {} : { exitCode }),
    });
  }

  say(text: string, bold = true): void {
    this.recording.terminal(terminalLines(bold ? `\u001b[1m${text}\u001b[0m` : text));
  }

  emit(event: Exclude<RunEvent, { type: 'result' }>): void {
    this.recording.emit(event);
  }

  record(fields: { storePath?: string; generation?: number }): void {
    if (fields.generation !== undefined) this.generation = fields.generation;
    this.store.record(this.id, fields);
  }

  recordLock(lock: RecordedLock): void {
    this.store.recordLock(this.id, lock);
  }

  recordSource(source: BuiltSource): void {
    this.store.recordSource(this.id, source);
  }

  async ask(question: string, runningSpecialisation?: string): Promise<boolean> {
    if (this.spec.confirm === 'yes') return !this.cancelRequested;
    if (this.cancelRequested) return false;
    const answer = new Promise<boolean>((resolve) => {
      this.answerConfirm = resolve;
    });
    this.emit({
      type: 'confirm',
      question,
      ...(runningSpecialisation ? { runningSpecialisation } : {}),
    });
    return answer;
  }

  async step(command: StepCommand): Promise<StepOutcome> {
    if (this.cancelRequested) return { exitCode: 130, signal: null, lines: [] };
    const env = command.env ?? this.env;
    if (command.nixLog && !this.model) await this.identifyNix(env);
    const outcome = await runStep(command, {
      env,
      cwd: this.dir,
      cols: this.cols,
      rows: this.rows,
      recording: this.recording,
      model: command.nixLog ? this.model : null,
      results: this.results,
      onRecord: () => this.scheduleProgress(),
      sudoTerminal: () => this.openSudoTerminal(),
      onStart: (running) => {
        this.command = running;
        // A cancel that came while the command was starting reaches it now.
        if (this.cancelRequested) this.stopCommand();
      },
    });
    this.command = null;
    for (const timer of this.escalation) clearTimeout(timer);
    this.escalation = [];
    this.publishProgress();
    return outcome;
  }

  /** The run's sudo session, opened again when a cancel's signal ended the last one. */
  private openSudoTerminal(): SudoTerminal | null {
    if (this.sudoSession?.alive) return this.sudoSession;
    this.sudoSession?.close();
    const decoder = new StringDecoder('utf8');
    this.sudoSession = SudoTerminal.open({
      dir: this.dir,
      env: this.env,
      cols: this.cols,
      rows: this.rows,
      idle: (data) => this.recording.terminal(decoder.write(data)),
    });
    return this.sudoSession;
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
      // A set-profile step that failed (sudo's prompt cancelled) left the profile as it was;
      // one that succeeded recorded its generation.
      const changing =
        this.activating || this.generation !== null
          ? { action: this.spec.action, generation: this.generation, activated: this.activating }
          : null;
      outcome = { ...outcome, status: 'cancelled', explanation: cancelledExplanation(changing) };
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
      ...(outcome.specialisation !== undefined ? { specialisation: outcome.specialisation } : {}),
    };
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
      this.sudoSession?.close();
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
      say: (text, bold) => run.say(text, bold),
      emit: (event) => run.emit(event),
      confirm: (question, runningSpecialisation) => run.ask(question, runningSpecialisation),
      get chosenSpecialisation() {
        return run.chosenSpecialisation;
      },
      record: (fields) => run.record(fields),
      recordLock: (lock) => run.recordLock(lock),
      recordSource: (source) => run.recordSource(source),
      get progressModel() {
        return run.nixModel;
      },
    };
  }
}
