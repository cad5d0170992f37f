import { describe, expect, it } from 'vitest';
import { FLOW_CONTROL } from '../../common/flow-control';
import { createTerminalFeed, type TerminalSource } from '../../main/api/terminal-feed';
import { storedStream } from '../helpers/stored-stream';

/** A run's stored display stream that counts the pauses of the process behind it. */
function memorySource() {
  const stream = storedStream();
  let finish: () => void = () => {};
  const state = { paused: 0, resumed: 0 };
  const source: TerminalSource = {
    onTerminal: stream.onTerminal,
    write: () => {},
    resize: () => {},
    done: new Promise((resolve) => {
      finish = () => resolve({} as never);
    }),
    pause: () => {
      state.paused += 1;
    },
    resume: () => {
      state.resumed += 1;
    },
  };
  return {
    source,
    state,
    append: stream.append,
    finish: () => finish(),
  };
}

function collector() {
  const sent: { offset: number; text: string }[] = [];
  let ended: number | null = null;
  return {
    sent,
    get ended() {
      return ended;
    },
    sink: {
      data: (offset: number, text: string) => sent.push({ offset, text }),
      end: (offset: number) => {
        ended = offset;
      },
    },
  };
}

describe('a terminal feed', () => {
  it('never cuts a surrogate pair between two messages', async () => {
    const memory = memorySource();
    const out = collector();
    createTerminalFeed(memory.source, 0, out.sink, { batchChars: 7 });
    const text = 'abcdef\ud83d\ude80xyz\ud83d\ude80\ud83d\ude80';
    memory.append(text);
    await new Promise((resolve) => setTimeout(resolve, 20));
    for (const message of out.sent) {
      expect(message.text, 'no lone high surrogate at the end').not.toMatch(/[\ud800-\udbff]$/);
      expect(message.text, 'no lone low surrogate at the start').not.toMatch(/^[\udc00-\udfff]/);
      expect(message.text.length).toBeLessThanOrEqual(7);
    }
    expect(out.sent.map((message) => message.text).join('')).toBe(text);
  });

  it('sends to an idle client at once and batches while it is still drawing', async () => {
    const memory = memorySource();
    const out = collector();
    const feed = createTerminalFeed(memory.source, 0, out.sink, { batchMs: 5 });
    memory.append('$ ');
    await Promise.resolve();
    expect(out.sent, 'nothing in flight: the prompt goes without waiting').toEqual([
      { offset: 0, text: '$ ' },
    ]);
    memory.append('a');
    memory.append('b');
    expect(
      out.sent,
      'the prompt is not drawn yet: the next output waits to travel as one',
    ).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(out.sent[1]).toEqual({ offset: 2, text: 'ab' });
    feed.acknowledged(feed.unacknowledged);
    memory.append('~');
    await Promise.resolve();
    expect(out.sent[2], 'drawn: an echo goes at once').toEqual({ offset: 4, text: '~' });
  });

  it('replays stored output as full batches, not a small first message drawn on its own', async () => {
    const memory = memorySource();
    for (let i = 0; i < 40; i++) memory.append('x'.repeat(2_000));
    const out = collector();
    createTerminalFeed(memory.source, 0, out.sink, { batchChars: 64_000 });
    await Promise.resolve();
    expect(out.sent.map((message) => message.text.length)).toEqual([64_000, 16_000]);
  });

  it('stops one batch past the high watermark and picks up where it stopped', () => {
    const memory = memorySource();
    const out = collector();
    const feed = createTerminalFeed(memory.source, 0, out.sink, { batchChars: 10_000 });
    memory.append('x'.repeat(300_000));
    const sent = () => out.sent.reduce((total, message) => total + message.text.length, 0);
    expect(feed.paused).toBe(true);
    expect(sent()).toBeGreaterThan(FLOW_CONTROL.highWatermark);
    expect(sent()).toBeLessThanOrEqual(FLOW_CONTROL.highWatermark + 10_000);
    expect(memory.state.paused).toBe(1);

    feed.acknowledged(sent());
    expect(memory.state.resumed).toBe(1);
    // Offsets run on without a gap or a repeat across the pause.
    let expectedOffset = 0;
    for (const message of out.sent) {
      expect(message.offset).toBe(expectedOffset);
      expectedOffset += message.text.length;
    }
  });

  it('ends once everything is sent, not while it is paused', async () => {
    const memory = memorySource();
    const out = collector();
    const feed = createTerminalFeed(memory.source, 0, out.sink, { batchChars: 50_000 });
    memory.append('y'.repeat(150_000));
    memory.finish();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(feed.paused).toBe(true);
    expect(out.ended).toBeNull();
    feed.acknowledged(feed.unacknowledged);
    expect(out.ended).toBe(150_000);
  });

  it('holds the process only while every feed reading it is paused', () => {
    const memory = memorySource();
    const stalled = createTerminalFeed(memory.source, 0, collector().sink, { batchChars: 10_000 });
    const reading = createTerminalFeed(memory.source, 0, collector().sink, { batchChars: 10_000 });
    memory.append('z'.repeat(200_000));
    expect(stalled.paused && reading.paused).toBe(true);
    expect(memory.state.paused).toBe(1);
    reading.acknowledged(reading.unacknowledged);
    expect(memory.state.resumed, 'one feed reads again: the process runs').toBe(1);
    reading.dispose();
    expect(memory.state.paused, 'only the stalled feed is left, and it is paused').toBe(2);
    stalled.dispose();
    expect(memory.state.resumed, 'nobody reads: nothing holds the process').toBe(2);
  });
});
