import { describe, expect, it } from 'vitest';
import { encodeUtf8, Utf8StreamDecoder } from '../../common/utf8';

/** Text a Nix build really prints: box drawing, arrows, accents, CJK paths and emoji in logs. */
const SAMPLES = [
  'building \u2018/nix/store/8q3\u2026-hello-2.12.drv\u2019\u2026',
  '\u250f\u2501 Dependency Graph:\n\u2503 \u23f5 hello-2.12 \u23f1 2s\n\u2517\u2501 \u2211 \u23f5 1 \u2503 \u2714 0',
  'Gr\u00fc\u00dfe aus K\u00f6ln, na\u00efve caf\u00e9 \u2014 \u00a9 2025',
  '\u4e2d\u6587\u8def\u5f84/\u65e5\u672c\u8a9e/\ud55c\uad6d\uc5b4',
  'done \ud83d\ude80 \u2705 \ud83e\uddea emoji and \ud834\udd1e music',
  '\u001b[1;32mgreen\u001b[0m plain ascii \t tab',
];

const oracle = new TextDecoder('utf-8');

describe('the streaming UTF-8 decoder', () => {
  it.each(SAMPLES)('decodes %j whole, whichever byte the chunk boundary falls on', (text) => {
    const bytes = new TextEncoder().encode(text);
    for (let cut = 0; cut <= bytes.length; cut += 1) {
      const decoder = new Utf8StreamDecoder();
      const out =
        decoder.decode(bytes.subarray(0, cut)) +
        decoder.decode(bytes.subarray(cut)) +
        decoder.end();
      expect(out, `split at byte ${cut}`).toBe(text);
    }
  });

  it('decodes a text fed one byte at a time', () => {
    const text = SAMPLES.join('\n');
    const bytes = new TextEncoder().encode(text);
    const decoder = new Utf8StreamDecoder();
    let out = '';
    for (const byte of bytes) out += decoder.decode(Uint8Array.of(byte));
    expect(out + decoder.end()).toBe(text);
  });

  it('holds back an unfinished character instead of printing a replacement for it', () => {
    const decoder = new Utf8StreamDecoder();
    const rocket = new TextEncoder().encode('\ud83d\ude80');
    expect(decoder.decode(rocket.subarray(0, 3))).toBe('');
    expect(decoder.decode(rocket.subarray(3))).toBe('\ud83d\ude80');
  });

  it('ends a stream cut inside a character with one replacement character', () => {
    const decoder = new Utf8StreamDecoder();
    expect(decoder.decode(Uint8Array.of(0x61, 0xe2, 0x94))).toBe('a');
    expect(decoder.end()).toBe('\ufffd');
  });

  const INVALID: [string, number[]][] = [
    ['a lone continuation byte', [0x61, 0x80, 0x62]],
    ['an overlong encoding', [0xc0, 0xaf, 0xe0, 0x80, 0xaf]],
    ['a UTF-16 surrogate', [0xed, 0xa0, 0x80]],
    ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['a sequence cut short by ASCII', [0xe2, 0x94, 0x41, 0xf0, 0x9f, 0x42]],
    ['bytes that never start a character', [0xf5, 0xff, 0xfe]],
  ];

  it.each(INVALID)('replaces %s as a browser would, split anywhere', (_what, raw) => {
    const bytes = Uint8Array.from(raw);
    const expected = oracle.decode(bytes);
    for (let cut = 0; cut <= bytes.length; cut += 1) {
      const decoder = new Utf8StreamDecoder();
      const out =
        decoder.decode(bytes.subarray(0, cut)) +
        decoder.decode(bytes.subarray(cut)) +
        decoder.end();
      expect(out, `split at byte ${cut}`).toBe(expected);
    }
  });

  it('decodes a long chunk beyond one String.fromCharCode call', () => {
    const text = `${'x'.repeat(20_000)}\u2501${'y'.repeat(20_000)}`;
    expect(new Utf8StreamDecoder().decode(new TextEncoder().encode(text))).toBe(text);
  });
});

describe('the UTF-8 encoder', () => {
  it.each(SAMPLES)('encodes %j as TextEncoder does', (text) => {
    expect(encodeUtf8(text)).toEqual(new TextEncoder().encode(text));
  });

  it('encodes a lone surrogate as U+FFFD', () => {
    expect(encodeUtf8('a\ud800b')).toEqual(new TextEncoder().encode('a\ud800b'));
  });
});
