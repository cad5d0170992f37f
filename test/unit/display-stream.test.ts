import { describe, expect, it } from 'vitest';
import { DisplayStream } from '../../main/core/rebuild/display-stream';

/** What a listener heard: the pieces' text, and whether each began where the last one ended. */
function heard(stream: DisplayStream, from: number) {
  const state = { text: '', next: from, contiguous: true, pieces: 0 };
  const stop = stream.listen((chunk, offset) => {
    if (offset !== state.next) state.contiguous = false;
    state.text += chunk;
    state.next = offset + chunk.length;
    state.pieces += 1;
  }, from);
  return { state, stop };
}

describe('a display stream', () => {
  // Pty-sized pieces, multi-byte characters and surrogate pairs among them.
  const pieces = Array.from(
    { length: 400 },
    (_, i) => `${i}: building /nix/store/${'a'.repeat(i % 300)}-drv \u00e9\ud83d\ude80\r\n`,
  );
  const ROUNDS = 24;
  const text = pieces.join('').repeat(ROUNDS);

  function filled(): DisplayStream {
    const stream = new DisplayStream();
    for (let round = 0; round < ROUNDS; round++) for (const piece of pieces) stream.append(piece);
    return stream;
  }

  it('replays exactly what came from any offset, joined or not, and then what comes', () => {
    for (const from of [0, 1, 127, 128, 129, 600_000, text.length - 5, text.length]) {
      const stream = filled();
      expect(stream.length).toBe(text.length);
      const { state, stop } = heard(stream, from);
      expect(state.text, `from ${from}`).toBe(text.slice(from));
      expect(state.contiguous, `from ${from}`).toBe(true);
      stream.append('next\r\n');
      expect(state.text.endsWith('next\r\n'), `live after replaying from ${from}`).toBe(true);
      stop();
    }
  });

  it('replays nothing past its end and stops hearing once told', () => {
    const stream = filled();
    const { state, stop } = heard(stream, text.length + 100);
    expect(state.text).toBe('');
    stop();
    stream.append('after');
    expect(state.text).toBe('');
  });
});
