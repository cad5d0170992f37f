import { type FlowLimits, SendWindow } from '../../common/flow-control';
import type { RebuildRun } from '../core/rebuild';

/**
 * What a terminal feed reads: a run's display stream, replayable from any character offset,
 * and the pty behind it. `pause` and `resume`, where a source has them, stop the process
 * itself from writing (the pty is no longer read), as VS Code does for its terminals.
 */
export type TerminalSource = Pick<RebuildRun, 'onTerminal' | 'write' | 'resize' | 'done'> & {
  pause?(): void;
  resume?(): void;
};

export interface FeedSink {
  data(offset: number, text: string): void;
  end(offset: number): void;
}

export interface FeedOptions {
  /** Output arriving within this many milliseconds travels as one message (while the client is busy). */
  batchMs?: number;
  /** A batch this large goes at once. */
  batchChars?: number;
  limits?: FlowLimits;
  /** The client's terminal width when known at the start (else 80 until it says). */
  cols?: number;
  /**
   * A replayed backlog over `beyond` characters is cut to about its last `keep`, from a line
   * start: on the first attach (`attach`) and when a paused feed picks the stream up again
   * (`resume`); `false` sends every character (tests of the window itself).
   */
  catchUp?: { attach: CatchUpLimits; resume: CatchUpLimits } | false;
}

export interface CatchUpLimits {
  beyond: number;
  keep: number;
  /**
   * Terminal rows kept at most, lines wrapped at the client's width, so the kept part and the
   * note above it fit the terminal's scrollback.
   */
  rows: number;
}

/** One client's feed of a run's terminal: batched, and paused while the client is behind. */
export interface TerminalFeed {
  acknowledged(chars: number): void;
  /** The client's terminal is `cols` wide: later catch-ups count its rows at that width. */
  resized(cols: number): void;
  /**
   * The client typed: a page far behind is next sent the stream from where it stands now, the
   * start of the line a key's echo and a prompt's answer go on, instead of the backlog before it.
   */
  typed(): void;
  readonly paused: boolean;
  readonly unacknowledged: number;
  dispose(): void;
}

/** How much of `text` fits in `room` characters without cutting a surrogate pair in two. */
function fitting(text: string, room: number): number {
  if (text.length <= room) return text.length;
  const last = text.charCodeAt(room - 1);
  return last >= 0xd800 && last <= 0xdbff ? room - 1 : room;
}

const BATCH_MS = 5;
const BATCH_CHARS = 64 * 1024;
/**
 * How much of a backlog a page is sent; the whole log stays with the run (`nixstrap log RUN` and
 * the run's folder), and the page marks the gap.
 */
const CATCH_UP = {
  // A page opening a run (a reload, a run's log) gets what its terminal can hold with the note
  // of the skip still on it: 10,000 rows of scrollback.
  attach: { beyond: 1024 * 1024, keep: 384 * 1024, rows: 9000 },
  // A page far behind a flood (a run reads its pty faster than xterm.js draws) gets the
  // stream's end instead of megabytes that would scroll past unread, so a keystroke's echo
  // is seen soon.
  resume: { beyond: 512 * 1024, keep: 256 * 1024, rows: 9000 },
};

/**
 * How far behind a page may be when a key is typed and still be sent every character before its
 * echo: a few milliseconds of xterm.js's drawing.
 */
const TYPED_BEYOND = 64 * 1024;
/**
 * What follows a typed key is sent whole this far: the echo comes once the pty's buffer of
 * earlier output is read, and a program's answer a moment later.
 */
const TYPED_KEEP = 256 * 1024;
/** A key's line is picked up from its start when that start is this close. */
const TYPED_LINE = 4096;

interface Piece {
  text: string;
  offset: number;
}

/** The width assumed until the client gives its terminal's: a narrow one, which keeps less. */
const DEFAULT_COLS = 80;

/**
 * Where the last `rows` terminal rows of a backlog begin, just after a newline: each line takes
 * the rows its characters wrap to at `cols` (escape sequences counted as if printed, erring
 * towards keeping less). Null when they all fit, or when the last line alone does not.
 */
function lastRowsStart(backlog: Piece[], rows: number, cols: number): number | null {
  const last = backlog.at(-1);
  if (!last) return null;
  const end = last.offset + last.text.length;
  /** Where the line being counted ends: its newline, or the backlog's end for the last one. */
  let lineEnd = end;
  let seen = 0;
  for (let i = backlog.length - 1; i >= 0; i--) {
    const { text, offset } = backlog[i] as Piece;
    for (
      let at = text.lastIndexOf('\n');
      at >= 0;
      at = at > 0 ? text.lastIndexOf('\n', at - 1) : -1
    ) {
      const newline = offset + at;
      seen += Math.max(1, Math.ceil((lineEnd - newline - 1) / cols));
      if (seen > rows) return lineEnd === end ? null : lineEnd + 1;
      lineEnd = newline;
    }
  }
  return null;
}

/**
 * The part of a backlog worth sending: all of it when small, else about its last `keep`
 * characters from just after a newline, so the screen picks up at the start of a line. The
 * pieces keep their true offsets: the client sees the gap and says so.
 */
function keptOf(backlog: Piece[], catchUp: CatchUpLimits | null, cols: number): Piece[] {
  const first = backlog[0];
  const last = backlog.at(-1);
  if (!catchUp || !first || !last) return backlog;
  const end = last.offset + last.text.length;
  if (end - first.offset <= catchUp.beyond) return backlog;
  let from = Math.max(end - catchUp.keep, lastRowsStart(backlog, catchUp.rows, cols) ?? 0);
  // From the character before: a cut already at a line start stays there.
  const seek = from - 1;
  let at = backlog.findIndex((piece) => piece.offset + piece.text.length > seek);
  for (let i = at; i < backlog.length; i++) {
    const piece = backlog[i] as Piece;
    const newline = piece.text.indexOf('\n', Math.max(0, seek - piece.offset));
    // A newline that ends the backlog would leave nothing to send: then no cut at a line.
    if (newline >= 0 && piece.offset + newline + 1 < end) {
      from = piece.offset + newline + 1;
      at = i;
      break;
    }
  }
  const kept = backlog.slice(at).filter((piece) => piece.offset + piece.text.length > from);
  const head = kept[0];
  if (head && head.offset < from) {
    let text = head.text.slice(from - head.offset);
    // No newline to cut at: never start on the second half of a surrogate pair.
    const code = text.charCodeAt(0);
    if (code >= 0xdc00 && code <= 0xdfff) text = text.slice(1);
    kept[0] = { text, offset: head.offset + head.text.length - text.length };
  }
  return kept;
}

/**
 * Where a page jumped to a typed key picks the stream up: the start of the key's line when it is
 * near, else the key's own place, never after a high surrogate.
 */
function typedFrom(backlog: Piece[], at: number): number {
  const near = splitAt(splitAt(backlog, at - TYPED_LINE)[1], at)[0];
  const text = near.map((piece) => piece.text).join('');
  const newline = text.lastIndexOf('\n');
  if (near[0] && newline >= 0) return near[0].offset + newline + 1;
  const code = text.charCodeAt(text.length - 1);
  return code >= 0xd800 && code <= 0xdbff ? at - 1 : at;
}

/** The pieces before character `at`, and those from it on, a piece across it cut in two. */
function splitAt(pieces: Piece[], at: number): [Piece[], Piece[]] {
  const before: Piece[] = [];
  const after: Piece[] = [];
  for (const piece of pieces) {
    const cut = at - piece.offset;
    if (cut >= piece.text.length) before.push(piece);
    else if (cut <= 0) after.push(piece);
    else {
      before.push({ text: piece.text.slice(0, cut), offset: piece.offset });
      after.push({ text: piece.text.slice(cut), offset: at });
    }
  }
  return [before, after];
}

/**
 * The feeds reading each source, and how many of them are paused. The process is held only
 * while every feed is paused: one stalled page (a background tab) never stops a rebuild that
 * another page is watching.
 */
const readers = new WeakMap<TerminalSource, { feeds: number; paused: number }>();

function update(source: TerminalSource, feeds: number, paused: number): void {
  const before = readers.get(source) ?? { feeds: 0, paused: 0 };
  const after = { feeds: before.feeds + feeds, paused: before.paused + paused };
  readers.set(source, after);
  const wasHeld = before.feeds > 0 && before.paused === before.feeds;
  const isHeld = after.feeds > 0 && after.paused === after.feeds;
  if (isHeld && !wasHeld) source.pause?.();
  if (wasHeld && !isHeld) source.resume?.();
}

/**
 * Sends a run's display stream from `fromOffset` on. While more than the high watermark is
 * unacknowledged the feed lets go of the stream (and holds the pty, unless another feed is
 * still reading); once the client is below
 * the low watermark it picks the stream up again at the first character it has not sent.
 */
export function createTerminalFeed(
  source: TerminalSource,
  fromOffset: number,
  sink: FeedSink,
  options: FeedOptions = {},
): TerminalFeed {
  const batchMs = options.batchMs ?? BATCH_MS;
  const batchChars = options.batchChars ?? BATCH_CHARS;
  /** The client's terminal width, once it says it: what a catch-up counts rows by. */
  let cols = options.cols ?? DEFAULT_COLS;
  const catchUp = options.catchUp === undefined ? CATCH_UP : options.catchUp;
  let next = fromOffset;
  /** The end of the last replay: what it kept is owed to the client even across a pause. */
  let promised = fromOffset;
  /** Parts replays chose to skip: they stay skipped when a pause makes the feed replay again. */
  let skips: { from: number; to: number }[] = [];
  /** Where the stream stood when the client typed: the next replay starts there (or near). */
  let typedAt: number | null = null;
  let batch: string[] = [];
  let batchLength = 0;
  let batchStart = fromOffset;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let unsubscribe: (() => void) | null = null;
  let held = false;
  let finished = false;
  let ended = false;
  let disposed = false;

  const window = new SendWindow((paused) => (paused ? stop() : start()), options.limits);

  function flush(): void {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    if (batchLength === 0) return;
    const text = batch.length === 1 ? (batch[0] as string) : batch.join('');
    const offset = batchStart;
    batch = [];
    batchLength = 0;
    sink.data(offset, text);
    window.sent(text.length);
  }

  let flushQueued = false;
  function flushSoon(): void {
    if (flushQueued) return;
    flushQueued = true;
    queueMicrotask(() => {
      flushQueued = false;
      if (!disposed) flush();
    });
  }

  function receive(chunk: string, offset: number): void {
    // A paused feed drops what the stream still hands it: it asks again from `next` later.
    if (disposed || window.isPaused) return;
    if (offset + chunk.length <= next) return;
    if (offset > next) {
      flush();
      if (window.isPaused) return;
      next = offset;
    }
    let text = offset < next ? chunk.slice(next - offset) : chunk;
    // A batch never outgrows batchChars, so at most one batch goes past the high watermark.
    while (text.length > 0 && !window.isPaused) {
      const take = fitting(text, batchChars - batchLength);
      if (take === 0) {
        flush();
        continue;
      }
      const part = text.slice(0, take);
      if (batchLength === 0) batchStart = next;
      batch.push(part);
      batchLength += part.length;
      next += part.length;
      text = text.slice(part.length);
      if (batchLength >= batchChars) flush();
    }
    // Batching only pays while the client is busy: output to an idle client (a keystroke's echo,
    // a prompt) goes at the end of this turn instead of waiting out the timer. Not at once: a
    // replay hands over its stored chunks in one turn, and they travel as full batches rather
    // than a first small message the client would draw on its own.
    if (batchLength > 0 && window.unacknowledged === 0) flushSoon();
    else if (batchLength > 0) timer ??= setTimeout(flush, batchMs);
  }

  function finishIfDone(): void {
    if (!finished || ended || disposed || window.isPaused || !unsubscribe) return;
    flush();
    if (window.isPaused) return;
    ended = true;
    sink.end(next);
  }

  /**
   * The replay comes synchronously inside onTerminal: it is held (references, no copies) and
   * sent once it is all there, cut to its end if it is large. It can fill the window; then the
   * feed lets go at once.
   */
  function subscribe(limits: CatchUpLimits | null): void {
    // What an earlier replay chose to send is sent whole; only what came after it may be cut.
    let backlog: Piece[] | null = [];
    const off = source.onTerminal((chunk, offset) => {
      if (backlog) backlog.push({ text: chunk, offset });
      else receive(chunk, offset);
    }, next);
    const replayed = backlog;
    backlog = null;
    skips = skips.filter((skip) => skip.to > next);
    let pieces = replayed;
    for (const skip of skips) {
      pieces = [...splitAt(pieces, skip.from)[0], ...splitAt(pieces, skip.to)[1]];
    }
    // The part a typed key's echo lands in goes whole, from the key's line; what the run printed
    // after it is cut as any backlog is.
    let typed: Piece[] = [];
    let jumpedTo = next;
    if (typedAt !== null) {
      const reach = typedAt + TYPED_KEEP;
      const from = typedAt - next > TYPED_BEYOND ? typedFrom(replayed, typedAt) : next;
      typedAt = null;
      if (from < reach) {
        if (from > next) {
          skips.push({ from: next, to: from });
          jumpedTo = from;
        }
        [typed, pieces] = splitAt(splitAt(pieces, from)[1], reach);
      }
    }
    const [owed, rest] = splitAt(pieces, promised);
    const kept = keptOf(rest, limits, cols);
    const [restStart, keptStart] = [rest[0]?.offset, kept[0]?.offset];
    if (restStart !== undefined && keptStart !== undefined && keptStart > restStart) {
      skips.push({ from: restStart, to: keptStart });
    }
    const last = replayed.at(-1);
    if (last) promised = Math.max(promised, last.offset + last.text.length);
    for (const piece of [...typed, ...owed, ...kept]) {
      receive(piece.text, piece.offset);
    }
    // A key typed after the run's last output skips to a point nothing follows yet: the feed
    // stands there, so that the end it sends (or the next output) shows the client the gap.
    if (next < jumpedTo) {
      flush();
      next = jumpedTo;
    }
    if (window.isPaused || disposed) off();
    else unsubscribe = off;
  }

  function start(): void {
    if (held) update(source, 0, -1);
    held = false;
    if (disposed) return;
    subscribe(catchUp ? catchUp.resume : null);
    finishIfDone();
  }

  function stop(): void {
    unsubscribe?.();
    unsubscribe = null;
    held = true;
    update(source, 0, 1);
  }

  const settle = () => {
    finished = true;
    finishIfDone();
  };
  source.done.then(settle, settle);
  update(source, 1, 0);
  subscribe(catchUp ? catchUp.attach : null);

  /** Where the stream ends now: a replay handed over and let go at once, references only. */
  function streamEnd(): number {
    let end = next;
    source.onTerminal((chunk, offset) => {
      end = Math.max(end, offset + chunk.length);
    }, next)();
    return end;
  }

  return {
    acknowledged: (chars) => window.acknowledged(chars),
    resized(width) {
      if (width >= 1) cols = width;
    },
    typed() {
      if (disposed || !catchUp) return;
      // An earlier key counts while its echo may still be unsent: the page shows it first.
      if (typedAt !== null && typedAt + TYPED_KEEP > next) return;
      // A feed still sending is at the stream's end; its next pause must not skip the echo.
      typedAt = window.isPaused ? streamEnd() : next;
    },
    get paused() {
      return window.isPaused;
    },
    get unacknowledged() {
      return window.unacknowledged;
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      if (timer) clearTimeout(timer);
      unsubscribe?.();
      unsubscribe = null;
      update(source, -1, held ? -1 : 0);
      held = false;
    },
  };
}
