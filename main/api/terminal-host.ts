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

/**
 * Serves terminal frames (common/terminal-frames.ts) for one connection, whatever carries
 * them: the browser's WebSocket or Electron's MessagePort. A malformed frame is answered with
 * an error frame naming what is wrong; nothing a client sends can throw here.
 */
export function serveTerminalFrames(
  find: (runId: string) => Result<TerminalSource>,
  send: (frame: Uint8Array) => void,
  options: TerminalHostOptions = {},
): TerminalHost {
  const attached = new Map<number, Attached>();
  let closed = false;

  function fail(stream: number, error: NixstrapError): void {
    send(encodeFrame({ kind: 'error', stream, error }));
  }

  function detach(stream: number): void {
    attached.get(stream)?.feed.dispose();
    attached.delete(stream);
  }

  function attach(stream: number, runId: string, fromOffset: number): void {
    detach(stream);
    if (attached.size >= MAX_STREAMS) {
      fail(stream, {
        code: 'INVALID_REQUEST',
        message: `One connection may show at most ${MAX_STREAMS} terminals at once.`,
        hint: 'Detach a terminal before attaching another.',
      });
      return;
    }
    const found = find(runId);
    if (!found.ok) {
      fail(stream, found.error);
      return;
    }
    const feed = createTerminalFeed(
      found.value,
      fromOffset,
      {
        data: (offset, text) => {
          if (!closed)
            send(encodeFrame({ kind: 'data', stream, offset, bytes: Buffer.from(text) }));
        },
        end: (offset) => {
          if (!closed) send(encodeFrame({ kind: 'end', stream, offset }));
        },
      },
      options.feed,
    );
    attached.set(stream, { feed, source: found.value, keystrokes: new Utf8StreamDecoder() });
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
      const target = attached.get(frame.stream);
      switch (frame.kind) {
        case 'attach':
          attach(frame.stream, frame.runId, frame.fromOffset);
          return;
        case 'detach':
          detach(frame.stream);
          return;
        case 'ack':
          target?.feed.acknowledged(frame.chars);
          return;
        case 'input': {
          const text = target?.keystrokes.decode(frame.bytes);
          if (target && text) target.source.write(text);
          return;
        }
        case 'resize':
          target?.source.resize(frame.cols, frame.rows);
          return;
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
      for (const stream of [...attached.keys()]) detach(stream);
    },
  };
}
