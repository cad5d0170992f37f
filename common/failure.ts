import type { ErrorCode } from './errors';
import type { RebuildAction } from './rebuild-actions';

/*
 * The error and result values without their schemas: shells that only report failures (the
 * CLI's help and usage paths) import this and never load zod.
 */

/**
 * What "the previous generation" could mean on a machine running another generation than its
 * boot default (after Boot into): the one before each, or null where none is left before it.
 */
export interface PreviousChoices {
  running: number;
  bootDefault: number;
  beforeRunning: number | null;
  beforeBootDefault: number | null;
}

/**
 * On REBUILD_BUSY, the rebuild holding the lock when this same Nixstrap runs it: a page that lost
 * it (a closed tab, another browser) can show it again, to follow, answer or cancel it.
 */
export interface BusyRun {
  runId: string;
  action: RebuildAction;
  repo: string;
  host: string;
  /** ISO 8601. */
  startedAt: string;
}

/**
 * On REBUILD_BUSY, the run holding the lock when another Nixstrap process on this machine runs
 * it and can be asked to cancel it (its terminal gone, its window elsewhere).
 */
export interface HeldElsewhere {
  runId: string;
  pid: number;
}

/** An error as a value: a code tests assert, a sentence people read, a hint for what to do next. */
export interface NixstrapError {
  code: ErrorCode;
  message: string;
  hint: string;
  /** On the refusal of an ambiguous "previous generation", the choices, for a shell to offer. */
  previousChoices?: PreviousChoices;
  busyRun?: BusyRun;
  heldElsewhere?: HeldElsewhere;
}

/** What an error may carry besides its sentences, as data a shell acts on. */
export type NixstrapErrorData = Pick<
  NixstrapError,
  'previousChoices' | 'busyRun' | 'heldElsewhere'
>;

/** Results cross every boundary (IPC, WebSocket, CLI) as values, because thrown errors lose their fields there. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: NixstrapError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(code: ErrorCode, message: string, hint: string): Result<T> {
  return { ok: false, error: { code, message, hint } };
}

/** Thrown inside the engine where unwinding is simpler; converted to a Result at the API edge. */
export class NixstrapFailure extends Error {
  readonly error: NixstrapError;
  constructor(code: ErrorCode, message: string, hint: string, data: NixstrapErrorData = {}) {
    super(message);
    this.name = 'NixstrapFailure';
    this.error = { code, message, hint, ...data };
  }
}
