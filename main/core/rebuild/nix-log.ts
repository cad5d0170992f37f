import { StringDecoder } from 'node:string_decoder';
import { fastRecord } from './fast-record';

/** One `@nix {…}` record of `--log-format internal-json` (fields Nix may add are kept). */
export type NixRecord =
  | {
      action: 'msg';
      level: number;
      msg: string;
      raw_msg?: string;
      file?: string | null;
      line?: number | null;
      column?: number | null;
    }
  | {
      action: 'start';
      id: number;
      level: number;
      type: number;
      text: string;
      parent?: number;
      fields?: (string | number)[];
    }
  | { action: 'stop'; id: number }
  | { action: 'result'; id: number; type: number; fields: (string | number)[] }
  | { action: 'setPhase'; phase: string };

export interface NixLogSink {
  /** Text that is not a record, passed on as it came (partial lines included, so prompts show). */
  text(text: string): void;
  record(record: NixRecord): void;
}

const PREFIX = '@nix ';
const CR = 13;
const ESC = 27;
const CARET = 94;
/**
 * What may stand before a record on its line: carriage returns and CSI sequences a
 * terminal-aware Nix writes to clear its status line, and the `^C` the terminal echoes when a
 * run is cancelled (Nix's next record then follows it on the same line).
 */
const LEADING_CONTROL =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are terminal escapes.
  /(?:\r|\u001b\[[0-9;?]*[A-Za-z]|\^C)*/y;
/** The same, possibly cut off by the end of a chunk. */
const PARTIAL_CONTROL =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are terminal escapes.
  /^(?:\r|\u001b(?:\[[0-9;?]*[A-Za-z]?)?|\^C?)*$/;

/** Where a record would begin on the line starting at `start`: after any leading control sequences. */
function recordStart(text: string, start: number): number {
  const first = text.charCodeAt(start);
  if (first !== CR && first !== ESC && first !== CARET) return start;
  LEADING_CONTROL.lastIndex = start;
  LEADING_CONTROL.exec(text);
  return LEADING_CONTROL.lastIndex;
}

/**
 * Keys typed into the terminal during a build are echoed between two of Nix's writes, so at
 * the start of a record's line: a few of them, then the record.
 */
const MAX_ECHO = 64;
const ECHOED_BEFORE = '@nix {';

/**
 * How much of an unfinished line's end may be a record begun after echoed keys (kept back until
 * the rest of the line tells): from "@nix {" when it is in the first `keys` characters, else the
 * longest end that "@nix {" starts with.
 */
function echoedRecordBeginning(rest: string, keys: number): number {
  const inner = rest.indexOf(ECHOED_BEFORE);
  if (inner >= 0) return inner <= keys ? rest.length - inner : 0;
  for (let size = Math.min(ECHOED_BEFORE.length - 1, rest.length); size > 0; size--) {
    if (rest.length - size <= keys && ECHOED_BEFORE.startsWith(rest.slice(-size))) return size;
  }
  return 0;
}

/** Whether an unfinished line may still become a record once the rest arrives. */
function mayBecomeRecord(rest: string): boolean {
  const at = recordStart(rest, 0);
  const tail = rest.slice(at);
  return PREFIX.startsWith(tail) || tail.startsWith(PREFIX) || PARTIAL_CONTROL.test(tail);
}
const ACTIONS = new Set(['msg', 'start', 'stop', 'result', 'setPhase']);

/** A record this Nixstrap does not know (a newer Nix): skipped, neither shown nor fatal. */
const UNKNOWN = 'unknown';

/** The record in `text[from, to)` (from at "@nix "), UNKNOWN for an unknown action, null if none. */
function parseRecord(text: string, from: number, to: number): NixRecord | typeof UNKNOWN | null {
  const fast = fastRecord(text, from + PREFIX.length, to);
  if (fast) return fast;
  let value: { action?: unknown };
  try {
    value = JSON.parse(text.slice(from + PREFIX.length, to));
  } catch {
    return null;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  return ACTIONS.has(value.action as string) ? (value as NixRecord) : UNKNOWN;
}

/**
 * Splits a command's output (bytes or text, in chunks of any size) into `@nix` records and
 * the human stream. A record or a UTF-8 character split across chunks is joined before use;
 * plain text goes on at once, even without its newline, because a password prompt has none.
 */
export class NixLogParser {
  private readonly decoder = new StringDecoder('utf8');
  /** The start of a line that may still turn out to be a record. */
  private pending = '';
  /** The current line was already passed on as plain text. */
  private inPlainLine = false;
  /** Characters of the unfinished plain line already shown: keys echoed before a record, maybe. */
  private plainShown = 0;

  constructor(private readonly sink: NixLogSink) {}

  push(chunk: Buffer | string): void {
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    if (text) this.scan(this.pending + text);
  }

  end(): void {
    const rest = this.pending + this.decoder.end();
    this.pending = '';
    if (!rest) return;
    const at = recordStart(rest, 0);
    const record = rest.startsWith(PREFIX, at)
      ? parseRecord(rest, at, rest.endsWith('\r') ? rest.length - 1 : rest.length)
      : null;
    if (record === null) this.sink.text(rest);
    else if (record !== UNKNOWN) this.sink.record(record);
  }

  private scan(text: string): void {
    this.pending = '';
    let start = 0;
    let plainFrom = -1;
    let atSign = text.indexOf('@');
    const nextAtSign = (from: number) => {
      if (atSign >= 0 && atSign < from) atSign = text.indexOf('@', from);
      return atSign;
    };
    const flushPlain = (end: number) => {
      if (plainFrom >= 0 && end > plainFrom) this.sink.text(text.slice(plainFrom, end));
      plainFrom = -1;
    };
    while (start < text.length) {
      const newline = text.indexOf('\n', start);
      const at = this.inPlainLine ? start : recordStart(text, start);
      if (!this.inPlainLine && text.startsWith(PREFIX, at)) {
        if (newline < 0) {
          flushPlain(start);
          this.pending = text.slice(start);
          return;
        }
        const end = newline > at && text.charCodeAt(newline - 1) === CR ? newline - 1 : newline;
        const record = parseRecord(text, at, end);
        if (record) {
          // The control sequences before it only cleared a status line: nothing to show.
          flushPlain(start);
          if (record !== UNKNOWN) this.sink.record(record);
        } else if (plainFrom < 0) {
          plainFrom = start;
        }
        start = newline + 1;
        continue;
      }
      // A record after keys echoed at the line's start (some already shown from an earlier
      // chunk): looked for near the start only, and through the next "@" in the chunk, found
      // once for all the plain lines before it.
      const shown = this.inPlainLine ? this.plainShown : 0;
      let echoed = -1;
      const limit = newline < 0 ? -1 : Math.min(newline, at + MAX_ECHO - shown + 1);
      for (let i = nextAtSign(at); i >= 0 && i < limit; i = nextAtSign(i + 1)) {
        if (!text.startsWith(ECHOED_BEFORE, i)) continue;
        if (shown + i - at > 0) echoed = i;
        break;
      }
      if (echoed >= 0) {
        const end = text.charCodeAt(newline - 1) === CR ? newline - 1 : newline;
        const record = parseRecord(text, echoed, end);
        if (record) {
          // The keys are shown as the terminal echoed them; the record is read as ever.
          if (plainFrom < 0) plainFrom = start;
          flushPlain(echoed);
          if (record !== UNKNOWN) this.sink.record(record);
          this.inPlainLine = false;
          this.plainShown = 0;
          start = newline + 1;
          continue;
        }
      }
      if (newline < 0) {
        const rest = text.slice(start);
        if (!this.inPlainLine && mayBecomeRecord(rest)) {
          // Could be the first bytes of "@nix ": wait for the next chunk to tell.
          flushPlain(start);
          this.pending = rest;
          return;
        }
        if (plainFrom < 0) plainFrom = start;
        const shownBefore = this.inPlainLine ? this.plainShown : 0;
        const held =
          shownBefore <= MAX_ECHO ? echoedRecordBeginning(rest, MAX_ECHO - shownBefore) : 0;
        this.inPlainLine = true;
        this.plainShown = shownBefore + rest.length - held;
        flushPlain(text.length - held);
        this.pending = text.slice(text.length - held);
        return;
      }
      if (plainFrom < 0) plainFrom = start;
      this.inPlainLine = false;
      this.plainShown = 0;
      start = newline + 1;
    }
    flushPlain(text.length);
  }
}
