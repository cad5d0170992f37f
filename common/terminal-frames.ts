import { type NixstrapError, NixstrapErrorSchema } from './result';
import { encodeUtf8, Utf8StreamDecoder } from './utf8';

/**
 * The terminal's own path, beside the JSON API: small binary frames carrying output, keystrokes,
 * sizes and acknowledgements, so a build printing megabytes is not one validated JSON message
 * per chunk. The same frames travel over the browser's WebSocket and over Electron's
 * MessagePort. Every frame starts with its kind and the stream it belongs to (a number the
 * client picks when it attaches); offsets count characters of the run's display stream.
 */

export const FRAME_KIND = {
  /** client → host: show run `runId` from character `fromOffset` on. */
  attach: 1,
  detach: 2,
  /** client → host: this many more characters are on screen. */
  ack: 3,
  /** client → host: keystrokes for the process in the terminal. */
  input: 4,
  resize: 5,
  /** host → client: output starting at character `offset`. */
  data: 6,
  /** host → client: the output is complete; nothing follows `offset`. */
  end: 7,
  error: 8,
} as const;

export type TerminalFrame =
  | { kind: 'attach'; stream: number; runId: string; fromOffset: number }
  | { kind: 'detach'; stream: number }
  | { kind: 'ack'; stream: number; chars: number }
  | { kind: 'input'; stream: number; bytes: Uint8Array }
  | { kind: 'resize'; stream: number; cols: number; rows: number }
  | { kind: 'data'; stream: number; offset: number; bytes: Uint8Array }
  | { kind: 'end'; stream: number; offset: number }
  | { kind: 'error'; stream: number; error: NixstrapError };

type Kind = TerminalFrame['kind'];
const KIND_BY_CODE = new Map<number, Kind>(
  Object.entries(FRAME_KIND).map(([name, code]) => [code, name as Kind]),
);

const HEADER = 5;
/** A run id is a short token; anything longer is not one. */
const MAX_RUN_ID = 128;
/** Pasting a page of text is fine; a megabyte of keystrokes is not typing. */
export const MAX_INPUT_BYTES = 64 * 1024;
const MAX_DIMENSION = 4096;

function frame(kind: Kind, stream: number, bodyLength: number): [Uint8Array, DataView] {
  const bytes = new Uint8Array(HEADER + bodyLength);
  const view = new DataView(bytes.buffer);
  view.setUint8(0, FRAME_KIND[kind]);
  view.setUint32(1, stream, true);
  return [bytes, view];
}

export function encodeFrame(message: TerminalFrame): Uint8Array {
  switch (message.kind) {
    case 'attach': {
      const id = encodeUtf8(message.runId);
      const [bytes, view] = frame('attach', message.stream, 8 + id.length);
      view.setFloat64(HEADER, message.fromOffset, true);
      bytes.set(id, HEADER + 8);
      return bytes;
    }
    case 'detach':
      return frame('detach', message.stream, 0)[0];
    case 'ack': {
      const [bytes, view] = frame('ack', message.stream, 4);
      view.setUint32(HEADER, message.chars, true);
      return bytes;
    }
    case 'input': {
      const [bytes] = frame('input', message.stream, message.bytes.length);
      bytes.set(message.bytes, HEADER);
      return bytes;
    }
    case 'resize': {
      const [bytes, view] = frame('resize', message.stream, 4);
      view.setUint16(HEADER, message.cols, true);
      view.setUint16(HEADER + 2, message.rows, true);
      return bytes;
    }
    case 'data': {
      const [bytes, view] = frame('data', message.stream, 8 + message.bytes.length);
      view.setFloat64(HEADER, message.offset, true);
      bytes.set(message.bytes, HEADER + 8);
      return bytes;
    }
    case 'end': {
      const [bytes, view] = frame('end', message.stream, 8);
      view.setFloat64(HEADER, message.offset, true);
      return bytes;
    }
    case 'error': {
      const text = encodeUtf8(JSON.stringify(message.error));
      const [bytes] = frame('error', message.stream, text.length);
      bytes.set(text, HEADER);
      return bytes;
    }
  }
}

function isOffset(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0;
}

function decodeText(bytes: Uint8Array): string {
  const decoder = new Utf8StreamDecoder();
  return decoder.decode(bytes) + decoder.end();
}

/** Reads one frame; anything malformed is named in a reason instead of thrown. */
export function decodeFrame(bytes: Uint8Array): { frame: TerminalFrame } | { invalid: string } {
  if (bytes.length < HEADER) return { invalid: 'a terminal frame is at least 5 bytes' };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const kind = KIND_BY_CODE.get(view.getUint8(0));
  if (!kind) return { invalid: `unknown terminal frame kind ${view.getUint8(0)}` };
  const stream = view.getUint32(1, true);
  const body = bytes.subarray(HEADER);
  const sized = (length: number) => body.length === length;
  switch (kind) {
    case 'attach': {
      if (body.length < 9 || body.length > 8 + MAX_RUN_ID) return { invalid: 'bad attach frame' };
      const fromOffset = view.getFloat64(HEADER, true);
      if (!isOffset(fromOffset)) return { invalid: 'attach needs a whole, non-negative offset' };
      return { frame: { kind, stream, fromOffset, runId: decodeText(body.subarray(8)) } };
    }
    case 'detach':
      return sized(0) ? { frame: { kind, stream } } : { invalid: 'bad detach frame' };
    case 'ack':
      return sized(4)
        ? { frame: { kind, stream, chars: view.getUint32(HEADER, true) } }
        : { invalid: 'bad ack frame' };
    case 'input':
      return body.length <= MAX_INPUT_BYTES
        ? { frame: { kind, stream, bytes: body } }
        : { invalid: `keystrokes over ${MAX_INPUT_BYTES} bytes in one frame` };
    case 'resize': {
      if (!sized(4)) return { invalid: 'bad resize frame' };
      const cols = view.getUint16(HEADER, true);
      const rows = view.getUint16(HEADER + 2, true);
      if (cols < 1 || rows < 1 || cols > MAX_DIMENSION || rows > MAX_DIMENSION)
        return { invalid: `a terminal of ${cols}×${rows} cells is not possible` };
      return { frame: { kind, stream, cols, rows } };
    }
    case 'data': {
      if (body.length < 8) return { invalid: 'bad data frame' };
      const offset = view.getFloat64(HEADER, true);
      if (!isOffset(offset)) return { invalid: 'data needs a whole, non-negative offset' };
      return { frame: { kind, stream, offset, bytes: body.subarray(8) } };
    }
    case 'end': {
      if (!sized(8)) return { invalid: 'bad end frame' };
      const offset = view.getFloat64(HEADER, true);
      return isOffset(offset)
        ? { frame: { kind, stream, offset } }
        : { invalid: 'end needs a whole, non-negative offset' };
    }
    case 'error': {
      let parsed: unknown;
      try {
        parsed = JSON.parse(decodeText(body));
      } catch {
        return { invalid: 'an error frame must carry JSON' };
      }
      const error = NixstrapErrorSchema.safeParse(parsed);
      return error.success
        ? { frame: { kind, stream, error: error.data } }
        : { invalid: 'an error frame must carry {code, message, hint}' };
    }
  }
}
