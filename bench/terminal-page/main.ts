import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { AckCounter } from '../../common/flow-control';
import { Utf8StreamDecoder } from '../../common/utf8';
import { createTerminalFeed, type TerminalSource } from '../../main/api/terminal-feed';
import type { RunResult } from '../../main/core/rebuild';
import { keyInAddress } from '../../renderer/bridge/launch-key';
import { wsBridge } from '../../renderer/bridge/ws';
import {
  OUTPUT_TERMINAL_OPTIONS,
  writeOutput,
  writeSkipNotice,
} from '../../renderer/components/terminal-output';
import { loadRenderer } from '../../renderer/components/terminal-renderer';
import { storedStream } from '../../test/helpers/stored-stream';

/**
 * The benchmark's page. `?mode=path`: the product's WebSocket bridge and terminal link feed
 * xterm.js, set up as the rebuild screen's TerminalView sets it up and written with its
 * `writeOutput`, with a key pressed every 50 ms and timed until its echo is drawn.
 * `?mode=alone`: the same bytes fetched whole and written straight into xterm.js, the ceiling
 * any transport can reach in this browser. `?mode=window`: the server's own feed and flow-control
 * window run in the page, joined to xterm.js by a MessageChannel instead of the socket, to tell
 * what the window's turnarounds cost from what the socket and the server's process cost.
 */

export interface BenchResult {
  /** Characters drawn. */
  chars: number;
  /** Characters the server skipped to keep up (the product path only). */
  skipped: number;
  /** Until the flood's last character was drawn. */
  ms: number;
  renderer: 'webgl' | 'dom';
  echoes: number[];
  lostEchoes: number;
  /** A key still waiting for its echo when the flood's last line was drawn: skipped, or too late. */
  unechoed: number;
  /**
   * The keys never echoed (given up after 2 s, or still waiting at the flood's end), each with
   * how long it had waited: the least its delay was.
   */
  missedMs: number[];
  /** Milliseconds xterm.js had written everything it was given and waited for more. */
  starvedMs: number;
  /** How many times it ran out of input: each a turnaround of the path. */
  starvedTimes: number;
}

declare global {
  interface Window {
    benchResult?: BenchResult;
    benchError?: string;
  }
}

/** A key the flood never prints, so its echo is unmistakable. */
const KEY = '~';
const KEY_EVERY_MS = 50;
const ECHO_GIVE_UP_MS = 2000;
const CHUNK = 64 * 1024;

const params = new URLSearchParams(window.location.search);
const term = new Terminal({ ...OUTPUT_TERMINAL_OPTIONS, cols: 160, rows: 48 });
term.open(document.getElementById('terminal') as HTMLElement);
let renderer: BenchResult['renderer'] = 'dom';
loadRenderer(term, (chosen) => {
  renderer = chosen;
});

/** xterm.js drops input beyond 50 MB buffered; keeping a few MB queued keeps it busy, no more. */
const ALONE_QUEUE = 4 * 1024 * 1024;

async function alone(): Promise<void> {
  const bytes = new Uint8Array(await (await fetch('/build.log')).arrayBuffer());
  const decoder = new Utf8StreamDecoder();
  const started = performance.now();
  let queued = 0;
  let wake: (() => void) | null = null;
  for (let at = 0; at < bytes.length; at += CHUNK) {
    const text = decoder.decode(bytes.subarray(at, at + CHUNK));
    queued += text.length;
    const last = at + CHUNK >= bytes.length;
    term.write(text, () => {
      queued -= text.length;
      wake?.();
      if (last) {
        window.benchResult = {
          chars: bytes.length,
          skipped: 0,
          ms: performance.now() - started,
          renderer,
          echoes: [],
          lostEchoes: 0,
          unechoed: 0,
          missedMs: [],
          starvedMs: 0,
          starvedTimes: 0,
        };
      }
    });
    while (queued > ALONE_QUEUE) {
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = null;
    }
  }
}

/** Pty-sized pieces, as a run stores what it reads, so a replay goes chunk by chunk. */
const PTY_READ = 4096;

async function windowOnly(): Promise<void> {
  const bytes = new Uint8Array(await (await fetch('/build.log')).arrayBuffer());
  const text = new Utf8StreamDecoder().decode(bytes);
  const stream = storedStream();
  for (let at = 0; at < text.length; at += PTY_READ) stream.append(text.slice(at, at + PTY_READ));
  const source: TerminalSource = {
    onTerminal: stream.onTerminal,
    write: () => {},
    resize: () => {},
    done: Promise.resolve({} as RunResult),
  };
  const toPage = new MessageChannel();
  const toFeed = new MessageChannel();
  let written = 0;
  let unwritten = 0;
  let starvedSince: number | null = null;
  let starvedMs = 0;
  let starvedTimes = 0;
  const started = performance.now();
  const acks = new AckCounter((chars) => toFeed.port1.postMessage(chars));
  toPage.port2.onmessage = (event: MessageEvent<string>) => {
    const message = event.data;
    if (starvedSince !== null) {
      starvedMs += performance.now() - starvedSince;
      starvedTimes += 1;
    }
    starvedSince = null;
    unwritten += 1;
    writeOutput(term, acks, message, () => {
      written += message.length;
      unwritten -= 1;
      if (unwritten === 0) starvedSince = performance.now();
      if (written < text.length) return;
      window.benchResult = {
        chars: written,
        skipped: 0,
        ms: performance.now() - started,
        renderer,
        echoes: [],
        lostEchoes: 0,
        unechoed: 0,
        missedMs: [],
        starvedMs,
        starvedTimes,
      };
    });
  };
  // Every character, as this measures the window's turnarounds, not skipping.
  const feed = createTerminalFeed(
    source,
    0,
    {
      data: (_offset, message) => toPage.port1.postMessage(message),
      end: () => {},
    },
    { catchUp: false },
  );
  toFeed.port2.onmessage = (event: MessageEvent<number>) => feed.acknowledged(event.data);
}

function throughTransport(runId: string): void {
  // The launch key comes in the address's fragment, as `nixstrap serve` prints it.
  const key = keyInAddress(window.location.href)?.key ?? null;
  const bridge = wsBridge({
    socketUrl: `ws://${window.location.host}/ws`,
    sessionUrl: `${window.location.protocol}//${window.location.host}/session`,
    key: () => key,
  });
  /** Each echo with when its key went: keys pressed after the flood's last line do not count. */
  const echoes: { at: number; ms: number }[] = [];
  let lostEchoes = 0;
  let unwritten = 0;
  let starvedSince: number | null = null;
  let starvedMs = 0;
  let starvedTimes = 0;
  let pressedAt: number | null = null;
  let written = 0;
  let skipped = 0;
  /** The stream offset just past the last character drawn: with skips, not `written`. */
  let drawnTo = 0;
  /** When the last character so far was drawn: the flood's last line once the run has ended. */
  let drawnAt = 0;
  let endOffset: number | null = null;
  let started: number | null = null;
  let finished = false;

  const press = (): void => {
    if (finished) return;
    const mine = performance.now();
    pressedAt = mine;
    attachment.input(KEY);
    setTimeout(() => {
      if (pressedAt !== mine || finished) return;
      lostEchoes += 1;
      pressedAt = null;
      press();
    }, ECHO_GIVE_UP_MS);
  };

  const finishIfDone = (): void => {
    if (finished || endOffset === null || drawnTo < endOffset || started === null) return;
    finished = true;
    window.benchResult = {
      chars: written,
      unechoed: pressedAt !== null && pressedAt < drawnAt ? 1 : 0,
      missedMs: [
        ...Array.from({ length: lostEchoes }, () => ECHO_GIVE_UP_MS),
        ...(pressedAt !== null && pressedAt < drawnAt ? [drawnAt - pressedAt] : []),
      ],
      skipped,
      // Not the run's end: the command's shell lingers after the flood, printing nothing.
      ms: drawnAt - started,
      renderer,
      echoes: echoes.filter((echo) => echo.at < drawnAt).map((echo) => echo.ms),
      lostEchoes,
      starvedMs,
      starvedTimes,
    };
  };

  const attachment = bridge.attachTerminal(runId, 0, {
    data(text, offset) {
      if (started === null) {
        started = performance.now();
        setTimeout(press, KEY_EVERY_MS);
      }
      if (starvedSince !== null) {
        starvedMs += performance.now() - starvedSince;
        starvedTimes += 1;
      }
      starvedSince = null;
      unwritten += 1;
      const echoed = pressedAt !== null && text.includes(KEY) ? pressedAt : null;
      writeOutput(term, attachment, text, () => {
        written += text.length;
        drawnTo = offset + text.length;
        drawnAt = performance.now();
        unwritten -= 1;
        if (unwritten === 0) starvedSince = performance.now();
        if (echoed !== null && pressedAt === echoed) {
          echoes.push({ at: echoed, ms: performance.now() - echoed });
          pressedAt = null;
          setTimeout(press, KEY_EVERY_MS);
        }
        finishIfDone();
      });
    },
    skipped(chars) {
      skipped += chars;
      writeSkipNotice(term, chars);
    },
    end(offset) {
      endOffset = offset;
      finishIfDone();
    },
    error(error) {
      window.benchError = `${error.code}: ${error.message}`;
    },
  });
  attachment.resize(term.cols, term.rows);
}

const fail = (error: unknown) => {
  window.benchError = String(error);
};
if (params.get('mode') === 'alone') {
  alone().catch(fail);
} else if (params.get('mode') === 'window') {
  windowOnly().catch(fail);
} else {
  throughTransport(params.get('run') ?? '');
}
