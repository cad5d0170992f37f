import { type IPty, spawn } from 'node-pty';
import type { Progress, RunEvent } from '../../common';
import { Utf8StreamDecoder } from '../../common/utf8';
import type { RebuildRun, RunResult } from '../../main/core/rebuild';
import { DisplayStream } from '../../main/core/rebuild/display-stream';

/**
 * Any command in a real pty, shaped as a run: its output is a display stream replayable from
 * any offset, its events a replayable list. The transport tests and the terminal benchmark use
 * it for floods a rebuild would not produce (`cat` of 50 MB). `pause` stops reading the pty, so
 * the command blocks on a full pty buffer: real back-pressure (unless `holdable` is false).
 */
export interface PtyRun extends RebuildRun {
  pause(): void;
  resume(): void;
  readonly pty: IPty;
  /** Characters in the display stream so far. */
  readonly length: number;
  /** Times the pty was paused and resumed, for tests to see back-pressure happen. */
  readonly pauses: number;
}

/**
 * Linux throws away what a pty holds unread once the last process on it exits, so a command
 * that prints and exits at once (`cat`) loses its last few kilobytes. The command runs under a
 * shell that lingers half a second after it, long enough for the reader to drain the pty.
 */
const LINGER = ['/bin/sh', '-c', '"$@"; status=$?; sleep 0.5; exit $status', 'sh'];

const NO_PROGRESS: Progress = {
  builds: { done: 0, expected: 0, running: 0, failed: 0 },
  downloads: { done: 0, expected: 0, running: 0, failed: 0 },
  bytes: { downloaded: 0, expectedDownload: 0, copied: 0, expectedCopy: 0 },
  current: null,
};

export function startPtyRun(
  id: string,
  argv: string[],
  options: {
    cols?: number;
    rows?: number;
    env?: NodeJS.ProcessEnv;
    /**
     * False: the pty is read on whatever the feeds do, as the product's recorded runs read
     * theirs (a slow page never stalls a rebuild; its feed replays the stream instead).
     */
    holdable?: boolean;
  } = {},
): PtyRun {
  if (argv.length === 0) throw new Error('startPtyRun needs a command');
  const [file, ...args] = [...LINGER, ...argv] as [string, ...string[]];
  const term = spawn(file, args, {
    name: 'xterm-256color',
    cols: options.cols ?? 80,
    rows: options.rows ?? 24,
    env: (options.env ?? process.env) as Record<string, string>,
    encoding: null,
  });
  const decoder = new Utf8StreamDecoder();
  const display = new DisplayStream();
  let pauses = 0;
  const events: RunEvent[] = [{ type: 'phase', phase: 'build', status: 'started' }];
  const eventListeners = new Set<(event: RunEvent, seq: number) => void>();

  function emit(event: RunEvent): void {
    events.push(event);
    for (const listener of [...eventListeners]) listener(event, events.length - 1);
  }

  term.onData((data) => display.append(decoder.decode(data as unknown as Uint8Array)));
  const done = new Promise<RunResult>((resolve) => {
    term.onExit(({ exitCode, signal }) => {
      display.append(decoder.end());
      const result: RunResult = {
        type: 'result',
        status: signal ? 'cancelled' : exitCode === 0 ? 'succeeded' : 'failed',
        runId: id,
        exitCode,
        generation: null,
        storePath: null,
      };
      emit(result);
      resolve(result);
    });
  });

  return {
    id,
    pty: term,
    get length() {
      return display.length;
    },
    get pauses() {
      return pauses;
    },
    progress: NO_PROGRESS,
    done,
    onEvent(listener, fromSeq = 0) {
      for (let seq = fromSeq; seq < events.length; seq += 1) listener(events[seq] as RunEvent, seq);
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
    onTerminal: (listener, fromOffset) => display.listen(listener, fromOffset),
    write: (input) => term.write(input),
    resize: (cols, rows) => term.resize(cols, rows),
    confirm: () => {},
    cancel: () => term.kill('SIGINT'),
    pause() {
      if (options.holdable === false) return;
      pauses += 1;
      term.pause();
    },
    resume: () => {
      if (options.holdable !== false) term.resume();
    },
  };
}
