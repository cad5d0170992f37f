import type { TerminalAttachment, TerminalHandlers } from '../../common/bridge';
import { AckCounter } from '../../common/flow-control';
import { decodeFrame, encodeFrame, MAX_INPUT_BYTES } from '../../common/terminal-frames';
import { encodeUtf8, Utf8StreamDecoder } from '../../common/utf8';

/** The client's end of the terminal path, over whatever pipe carries frames. */
export interface TerminalLink {
  attach(runId: string, fromOffset: number, handlers: TerminalHandlers): TerminalAttachment;
  receive(frame: Uint8Array): void;
  /** A new connection replaced the old one: every open terminal picks up at its next character. */
  reconnected(): void;
  /** True while some terminal is attached (the connection is worth keeping). */
  readonly active: boolean;
}

interface Stream {
  runId: string;
  handlers: TerminalHandlers;
  /** The offset of the next character this client has not received. */
  next: number;
  decoder: Utf8StreamDecoder;
  acks: AckCounter;
  size: { cols: number; rows: number } | null;
  ended: boolean;
}

/**
 * Tracks what each terminal has received, so a lost connection costs nothing: the new one
 * attaches from the first missing character. Acknowledgements count characters xterm has
 * written, and go back on the same pipe.
 */
export function createTerminalLink(send: (frame: Uint8Array) => void): TerminalLink {
  const streams = new Map<number, Stream>();
  let nextStream = 1;

  function open(id: number, stream: Stream): void {
    send(encodeFrame({ kind: 'attach', stream: id, runId: stream.runId, fromOffset: stream.next }));
    if (stream.size) send(encodeFrame({ kind: 'resize', stream: id, ...stream.size }));
  }

  return {
    attach(runId, fromOffset, handlers) {
      const id = nextStream++;
      const stream: Stream = {
        runId,
        handlers,
        next: fromOffset,
        decoder: new Utf8StreamDecoder(),
        acks: new AckCounter((chars) => {
          if (streams.get(id) === stream) send(encodeFrame({ kind: 'ack', stream: id, chars }));
        }),
        size: null,
        ended: false,
      };
      streams.set(id, stream);
      open(id, stream);
      return {
        written: (chars) => stream.acks.written(chars),
        input(text) {
          const bytes = encodeUtf8(text);
          for (let start = 0; start < bytes.length; start += MAX_INPUT_BYTES) {
            const part = bytes.subarray(start, start + MAX_INPUT_BYTES);
            send(encodeFrame({ kind: 'input', stream: id, bytes: part }));
          }
        },
        resize(cols, rows) {
          stream.size = { cols, rows };
          send(encodeFrame({ kind: 'resize', stream: id, cols, rows }));
        },
        detach() {
          if (!streams.delete(id)) return;
          send(encodeFrame({ kind: 'detach', stream: id }));
        },
      };
    },

    receive(bytes) {
      const decoded = decodeFrame(bytes);
      if ('invalid' in decoded) return;
      const frame = decoded.frame;
      const stream = streams.get(frame.stream);
      if (!stream) return;
      if (frame.kind === 'data') {
        // Data beyond the next character: the server skipped a backlog to catch up with a flood.
        // The skipped part was never sent, so it is never acknowledged.
        if (frame.offset > stream.next) {
          stream.decoder = new Utf8StreamDecoder();
          stream.handlers.skipped(frame.offset - stream.next);
          stream.next = frame.offset;
        }
        const text = stream.decoder.decode(frame.bytes);
        // A replay overlapping what is already on screen: acknowledge the repeat, show the rest.
        const skip = Math.min(text.length, Math.max(0, stream.next - frame.offset));
        if (skip > 0) stream.acks.written(skip);
        stream.next = Math.max(stream.next, frame.offset + text.length);
        if (skip < text.length) stream.handlers.data(text.slice(skip), frame.offset + skip);
      } else if (frame.kind === 'end') {
        // The run ended within a part the server skipped: said as any skip is.
        if (frame.offset > stream.next) {
          stream.handlers.skipped(frame.offset - stream.next);
          stream.next = frame.offset;
        }
        stream.ended = true;
        stream.handlers.end(frame.offset);
      } else if (frame.kind === 'error') {
        stream.handlers.error(frame.error);
      }
    },

    reconnected() {
      for (const [id, stream] of streams) {
        if (stream.ended) continue;
        stream.acks.reset();
        stream.decoder = new Utf8StreamDecoder();
        open(id, stream);
      }
    },

    get active() {
      return streams.size > 0;
    },
  };
}
