/**
 * UTF-8 for the terminal path, written out because common/ has neither Node's StringDecoder nor
 * the DOM's TextDecoder. The decoder is streaming: a character whose bytes are split across two
 * chunks (a pty read, a WebSocket frame) comes out whole, never as two replacement characters.
 * Invalid input is replaced as the WHATWG Encoding standard says, so the result matches what a
 * browser's TextDecoder would print.
 */

const REPLACEMENT = 0xfffd;
/** String.fromCharCode takes its arguments on the stack; this many stay well inside its limit. */
const FROM_CHAR_CODE_SLICE = 0x2000;

function unitsToString(units: Uint16Array, length: number): string {
  if (length <= FROM_CHAR_CODE_SLICE) {
    return String.fromCharCode.apply(null, units.subarray(0, length) as unknown as number[]);
  }
  const parts: string[] = [];
  for (let start = 0; start < length; start += FROM_CHAR_CODE_SLICE) {
    const slice = units.subarray(start, Math.min(start + FROM_CHAR_CODE_SLICE, length));
    parts.push(String.fromCharCode.apply(null, slice as unknown as number[]));
  }
  return parts.join('');
}

export class Utf8StreamDecoder {
  private needed = 0;
  private seen = 0;
  private codePoint = 0;
  private lower = 0x80;
  private upper = 0xbf;

  /** Decodes one chunk; bytes of an unfinished character wait for the next chunk. */
  decode(bytes: Uint8Array): string {
    // Each byte yields at most one UTF-16 unit, plus one replacement for a sequence left over.
    const units = new Uint16Array(bytes.length + 1);
    let length = 0;
    let i = 0;
    while (i < bytes.length) {
      const byte = bytes[i] as number;
      if (this.needed === 0) {
        i += 1;
        if (byte < 0x80) {
          units[length++] = byte;
        } else if (byte >= 0xc2 && byte <= 0xdf) {
          this.needed = 1;
          this.codePoint = byte & 0x1f;
        } else if (byte >= 0xe0 && byte <= 0xef) {
          if (byte === 0xe0) this.lower = 0xa0;
          if (byte === 0xed) this.upper = 0x9f;
          this.needed = 2;
          this.codePoint = byte & 0x0f;
        } else if (byte >= 0xf0 && byte <= 0xf4) {
          if (byte === 0xf0) this.lower = 0x90;
          if (byte === 0xf4) this.upper = 0x8f;
          this.needed = 3;
          this.codePoint = byte & 0x07;
        } else {
          units[length++] = REPLACEMENT;
        }
        continue;
      }
      if (byte < this.lower || byte > this.upper) {
        // The sequence broke off: one replacement for it, and this byte starts afresh.
        this.reset();
        units[length++] = REPLACEMENT;
        continue;
      }
      i += 1;
      this.lower = 0x80;
      this.upper = 0xbf;
      this.codePoint = (this.codePoint << 6) | (byte & 0x3f);
      this.seen += 1;
      if (this.seen === this.needed) {
        const cp = this.codePoint;
        this.reset();
        if (cp > 0xffff) {
          units[length++] = 0xd800 + ((cp - 0x10000) >> 10);
          units[length++] = 0xdc00 + ((cp - 0x10000) & 0x3ff);
        } else {
          units[length++] = cp;
        }
      }
    }
    return unitsToString(units, length);
  }

  /** Ends the stream: an unfinished character becomes one replacement character. */
  end(): string {
    if (this.needed === 0) return '';
    this.reset();
    return String.fromCharCode(REPLACEMENT);
  }

  private reset(): void {
    this.needed = 0;
    this.seen = 0;
    this.codePoint = 0;
    this.lower = 0x80;
    this.upper = 0xbf;
  }
}

/** Encodes a string as UTF-8; a lone surrogate becomes U+FFFD, as TextEncoder does. */
export function encodeUtf8(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 3);
  let length = 0;
  for (let i = 0; i < text.length; i += 1) {
    let cp = text.charCodeAt(i);
    if (cp >= 0xd800 && cp <= 0xdfff) {
      const next = text.charCodeAt(i + 1);
      if (cp <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        cp = 0x10000 + ((cp - 0xd800) << 10) + (next - 0xdc00);
        i += 1;
      } else {
        cp = REPLACEMENT;
      }
    }
    if (cp < 0x80) {
      out[length++] = cp;
    } else if (cp < 0x800) {
      out[length++] = 0xc0 | (cp >> 6);
      out[length++] = 0x80 | (cp & 0x3f);
    } else if (cp < 0x10000) {
      out[length++] = 0xe0 | (cp >> 12);
      out[length++] = 0x80 | ((cp >> 6) & 0x3f);
      out[length++] = 0x80 | (cp & 0x3f);
    } else {
      out[length++] = 0xf0 | (cp >> 18);
      out[length++] = 0x80 | ((cp >> 12) & 0x3f);
      out[length++] = 0x80 | ((cp >> 6) & 0x3f);
      out[length++] = 0x80 | (cp & 0x3f);
    }
  }
  return out.subarray(0, length);
}
