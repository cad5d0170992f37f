import type {
  Explanation,
  Phase,
  PhaseStatus,
  Progress,
  RebuildAction,
  RunEvent,
  RunStatus,
  TargetKind,
} from '../../../common';
import type { BuiltSource, NewRun } from '../ledger/runs';
import type { RecordedLock } from './flake-lock';
import type { GuardRequest } from './keep-guard';
import type { ProgressModel } from './progress';

/** The last event of every run. */
export type RunResult = Extract<RunEvent, { type: 'result' }>;

/** What to rebuild: one attribute of a flake, applied to one profile. */
export interface StartRunOptions {
  dataDir: string;
  /** The flake's folder (a git work tree). */
  repo: string;
  host: string;
  action: RebuildAction;
  /** nixos (default), nix-darwin, or standalone Home Manager. */
  target?: TargetKind;
  /** Home Manager only: the user half of `homeConfigurations."<user>@<host>"`. */
  user?: string;
  /** The profile to set; the platform's system profile (or the user's Home Manager profile) by default. */
  profile?: string;
  /** The wizard answers this run came from, kept in the ledger. */
  answers?: unknown;
  /** `ask` emits a `confirm` event before anything changes; `yes` goes ahead. */
  confirm: 'ask' | 'yes';
  /** The environment Nix runs in (the user's own, NIX_CONFIG included); process.env by default. */
  env?: NodeJS.ProcessEnv;
  cols?: number;
  rows?: number;
  /** How long a cancelled command gets after SIGINT before SIGTERM (5 s by default). */
  cancelGraceMs?: number;
  /**
   * NixOS switch or test: activate the new system's `specialisation/<name>` instead of its base
   * configuration (the profile still gets the base, as `nixos-rebuild --specialisation` does);
   * null activates the base. Absent: the specialisation running now stays, where the new
   * system has it too (the confirm may choose otherwise), else the base.
   */
  specialisation?: string | null;
  /** A NixOS switch on trial: a keep guard puts this generation back unless it is kept. */
  guard?: GuardRequest;
  /** The keep watch of the shell starting the run, whose own trial of the profile it may move. */
  keepWatcher?: string;
  /**
   * Nobody can type into the run's terminal (the CLI with no terminal): a sudo password prompt
   * would never be answered, so a run that needs one is refused before it starts.
   */
  unattended?: boolean;
}

/** A run in progress (or finished and replayed from disk), as every shell drives it. */
export interface RebuildRun {
  readonly id: string;
  /** Run events in order, each with its sequence number (0, 1, …); replays from `fromSeq`. */
  onEvent(listener: (event: RunEvent, seq: number) => void, fromSeq?: number): () => void;
  /**
   * The terminal display stream (what xterm shows): UTF-8 text with ANSI, each chunk with the
   * character offset it starts at, so a reconnecting client replays from the offset it has.
   */
  onTerminal(listener: (chunk: string, offset: number) => void, fromOffset?: number): () => void;
  /**
   * Keystrokes to the running command's pty (a sudo password prompt is answered there); a
   * Ctrl-C among them cancels the run, as `cancel` does.
   */
  write(input: string): void;
  resize(cols: number, rows: number): void;
  /**
   * Answers the `confirm` event: true goes on, false cancels the run. A question that offered
   * the running specialisation takes the choice: its name, or null for the base configuration.
   */
  confirm(proceed: boolean, specialisation?: string | null): void;
  /** SIGINT, then SIGTERM after a grace period; the run ends `cancelled`. */
  cancel(): void;
  /** The latest progress, for a screen that opens mid-run. */
  readonly progress: Progress;
  readonly done: Promise<RunResult>;
}

/** One command of a run, executed in a pty with the run's recording. */
export interface StepCommand {
  argv: string[];
  /** What the terminal shows for the command, when argv itself would be a wall of text. */
  shown?: string;
  /** Parse `@nix {…}` records (the command was given `--log-format internal-json`). */
  nixLog?: boolean;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export interface StepOutcome {
  exitCode: number;
  /** The signal that ended the command, if one did. */
  signal: number | null;
  /** The command's own output as plain lines (ANSI removed), to explain a failure from. */
  lines: string[];
}

/** How the body of a recorded run ended. */
export interface RunOutcome {
  status: Exclude<RunStatus, 'running'>;
  exitCode: number | null;
  storePath?: string | null;
  generation?: number | null;
  explanation?: Explanation | null;
  /** A NixOS switch or test that activated: its specialisation, null for the base configuration. */
  specialisation?: string | null;
}

/**
 * What the body of a recorded run (a rebuild, a rollback) works with: its steps share one
 * terminal, one log on disk, one event stream and the one-at-a-time lock.
 */
export interface RunSession {
  readonly id: string;
  readonly dataDir: string;
  /** The folder for this run's files (log, out-link). */
  readonly dir: string;
  /** The environment steps run in by default. */
  readonly env: NodeJS.ProcessEnv;
  /** True once cancel() was called; a body stops at its next step. */
  readonly cancelled: boolean;
  /** Marks a phase started/succeeded/failed/skipped, in the ledger and as an event. */
  phase(phase: Phase, status: PhaseStatus, exitCode?: number | null): void;
  /** Runs one command in a pty; its output goes to the terminal, the log and the progress. */
  step(command: StepCommand): Promise<StepOutcome>;
  /** Lines of Nixstrap's own, shown in the terminal between commands (bold unless told not). */
  say(text: string, bold?: boolean): void;
  emit(event: Exclude<RunEvent, { type: 'result' }>): void;
  /**
   * Asks the user (or answers yes when the run was started with confirm 'yes'). With
   * `runningSpecialisation`, the question offers to stay in it; the answer's choice is then
   * `chosenSpecialisation`.
   */
  confirm(question: string, runningSpecialisation?: string): Promise<boolean>;
  /** The specialisation the confirm's answer chose (null: the base); undefined when none was chosen. */
  readonly chosenSpecialisation: string | null | undefined;
  /** Records what the run produced so far, so a crash later keeps it. */
  record(fields: { storePath?: string; generation?: number }): void;
  /** Records the flake inputs the run builds from, as the lock file pins them. */
  recordLock(lock: RecordedLock): void;
  /** Records what the build was made from, read again once Nix has run. */
  recordSource(source: BuiltSource): void;
  /** What Nix's records said so far (progress, errors, the failing derivation); null before a Nix step. */
  readonly progressModel: ProgressModel | null;
}

/**
 * The ledger row a recorded run starts with (its argv is what a user would type to do the
 * same), plus how the run is driven. The log path is the recording's own.
 */
export interface RecordedRunSpec extends Omit<NewRun, 'logPath'> {
  dataDir: string;
  confirm: 'ask' | 'yes';
  env?: NodeJS.ProcessEnv;
  cols?: number;
  rows?: number;
  /** How long a cancelled command gets after SIGINT before SIGTERM (5 s by default). */
  cancelGraceMs?: number;
  /** The keep watch of the shell starting the run, whose own trial of the profile it may move. */
  keepWatcher?: string;
}
