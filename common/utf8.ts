/**
 * UTF-8 for the terminal path. Bytes become text through the platform's own decoder (Node and
 * every browser have TextDecoder) in streaming mode: a character whose bytes are split across
 * two chunks (two pty reads, two frames) comes out whole, never as two replacement characters,
 * and invalid input is replaced as the WHATWG Encoding standard says.
 */

interface PlatformTextDecoder {
  decode(input?: Uint8Array, options?: { stream?: boolean }): string;
}
interface PlatformTextEncoder {
  encode(input: string): Uint8Array;
}
/** Globals of Node and of every browser; common/ sees neither's type library. */
declare const TextDecoder: new (label: 'utf-8') => PlatformTextDecoder;
declare const TextEncoder: new () => PlatformTextEncoder;

export class Utf8StreamDecoder {
  private readonly decoder = new TextDecoder('utf-8');

  /** Decodes one chunk; bytes of an unfinished character wait for the next chunk. */
  decode(bytes: Uint8Array): string {
    return this.decoder.decode(bytes, { stream: true });
  }

  /** Ends the stream: an unfinished character becomes one replacement character. */
  end(): string {
    return this.decoder.decode();
  }
}

const encoder = new TextEncoder();

/** Encodes a string as UTF-8; a lone surrogate becomes U+FFFD. */
export function encodeUtf8(text: string): Uint8Array {
  return encoder.encode(text);
}
