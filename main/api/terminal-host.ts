import type { NixstrapError, Result } from '../../common';
import { decodeFrame, encodeFrame } from '../../common/terminal-frames';
import { Utf8StreamDecoder } from '../../common/utf8';
import {
  createTerminalFeed,
  type FeedOptions,
  type TerminalFeed,
  type TerminalSource,
} from './terminal-feed';

/** One connection's end of the terminal path: frames in from the client, frames out to it. */
export interface TerminalHost {
  receive(frame: Uint8Array): void;
  /** The connection is gone: every feed stops and no paused pty stays paused for it. */
  close(): void;
}

export interface TerminalHostOptions {
  feed?: FeedOptions;
  log?: (line: string) => void;
}

/** A page shows one run at a time; a few spare streams cover a reconnect racing a detach. */
const MAX_STREAMS = 8;

interface Attached {
  feed: TerminalFeed;
  source: TerminalSource;
  keystrokes: Utf8StreamDecoder;
}

/** A stream whose run is still being looked up; frames for it wait their turn. */
interface Stream {
  attached: Attached | null;
  /** The width a resize sent while the run was looked up gave: the feed's first catch-up counts rows by it. */
  cols?: number;
  ready: Promise<Attached | null>;
  detached: boolean;
}

/**
 * Serves terminal frames (common/terminal-frames.ts) for one connection, whatever carries
 * them: the browser's WebSocket or Electron's MessagePort. A malformed frame is answered with
 * an error frame naming what is wrong; nothing a client sends can throw here.
 */
export function serveTerminalFrames(
  find: (runId: string) => Promise<Result<TerminalSource>>,
  send: (frame: Uint8Array) => void,
  options: TerminalHostOptions = {},
): TerminalHost {
  const streams = new Map<number, Stream>();
  let closed = false;

  function fail(stream: number, error: NixstrapError): void {
    send(encodeFrame({ kind: 'error', stream, error }));
  }

  function detach(id: number): void {
    const stream = streams.get(id);
    if (!stream) return;
    stream.detached = true;
    stream.attached?.feed.dispose();
    streams.delete(id);
  }

  async function open(id: number, stream: Stream, runId: string, fromOffset: number) {
    const found = await find(runId);
    if (stream.detached || closed) return null;
    if (!found.ok) {
      streams.delete(id);
      fail(id, found.error);
      return null;
    }
    const feed = createTerminalFeed(
      found.value,
      fromOffset,
      {
        data: (offset, text) => {
          if (!closed)
            send(encodeFrame({ kind: 'data', stream: id, offset, bytes: Buffer.from(text) }));
        },
        end: (offset) => {
          if (!closed) send(encodeFrame({ kind: 'end', stream: id, offset }));
        },
      },
      { ...options.feed, cols: stream.cols ?? options.feed?.cols },
    );
    stream.attached = { feed, source: found.value, keystrokes: new Utf8StreamDecoder() };
    return stream.attached;
  }

  function attach(id: number, runId: string, fromOffset: number): void {
    detach(id);
    if (streams.size >= MAX_STREAMS) {
      fail(id, {
        code: 'INVALID_REQUEST',
        message: `One connection may show at most ${MAX_STREAMS} terminals at once.`,
        hint: 'Detach a terminal before attaching another.',
      });
      return;
    }
    const stream: Stream = { attached: null, ready: Promise.resolve(null), detached: false };
    stream.ready = open(id, stream, runId, fromOffset);
    streams.set(id, stream);
  }

  /**
   * Runs `act` once the stream's run is found: at once when it is, else in arrival order. A
   * source that throws (keys for a process that just exited) costs that frame only.
   */
  function withStream(id: number, act: (attached: Attached) => void): void {
    const stream = streams.get(id);
    if (!stream) return;
    const guarded = (attached: Attached) => {
      try {
        act(attached);
      } catch (error) {
        options.log?.(`nixstrap: terminal frame for stream ${id} failed: ${String(error)}`);
      }
    };
    if (stream.attached) guarded(stream.attached);
    else
      void stream.ready.then((attached) => {
        if (attached && !stream.detached) guarded(attached);
      });
  }

  return {
    receive(bytes) {
      if (closed) return;
      const decoded = decodeFrame(bytes);
      if ('invalid' in decoded) {
        options.log?.(`nixstrap: refused a terminal frame: ${decoded.invalid}`);
        fail(0, {
          code: 'INVALID_REQUEST',
          message: `The terminal frame is malformed: ${decoded.invalid}.`,
          hint: 'Send frames as common/terminal-frames.ts encodes them.',
        });
        return;
      }
      const frame = decoded.frame;
      switch (frame.kind) {
        case 'attach':
          attach(frame.stream, frame.runId, frame.fromOffset);
          return;
        case 'detach':
          detach(frame.stream);
          return;
        case 'ack':
          withStream(frame.stream, (target) => target.feed.acknowledged(frame.chars));
          return;
        case 'input':
          withStream(frame.stream, (target) => {
            const text = target.keystrokes.decode(frame.bytes);
            if (!text) return;
            target.feed.typed();
            target.source.write(text);
          });
          return;
        case 'resize': {
          // Kept at once: a client sends its size right after attaching, before its run is found.
          const sized = streams.get(frame.stream);
          if (sized) sized.cols = frame.cols;
          withStream(frame.stream, (target) => {
            target.feed.resized(frame.cols);
            target.source.resize(frame.cols, frame.rows);
          });
          return;
        }
        default:
          fail(frame.stream, {
            code: 'INVALID_REQUEST',
            message: `A client cannot send a ${frame.kind} frame.`,
            hint: 'Clients send attach, detach, ack, input and resize frames.',
          });
      }
    },
    close() {
      closed = true;
      for (const id of [...streams.keys()]) detach(id);
    },
  };
}
