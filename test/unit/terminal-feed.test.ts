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

/** Build-log-like lines of uneven length, appended in pty-sized chunks. */
function flood(memory: ReturnType<typeof memorySource>, chars: number, from = 0): string {
  let text = '';
  for (let line = from; text.length < chars; line++) {
    text += `building /nix/store/${line}-package-${'x'.repeat(line % 97)}.drv\r\n`;
  }
  for (let at = 0; at < text.length; at += 4096) memory.append(text.slice(at, at + 4096));
  return text;
}

/** Acknowledges everything sent until the feed has nothing more to send. */
function drain(feed: ReturnType<typeof createTerminalFeed>): void {
  while (feed.unacknowledged > 0) feed.acknowledged(feed.unacknowledged);
}

describe('a terminal feed far behind its stream', () => {
  // What the terminal holds with the skip's note on a first attach; less when a paused feed
  // resumes in a flood. At most 4,000 lines either way.
  const ATTACH_KEEP = 384 * 1024;
  const KEEP = 256 * 1024;
  const LINES = 4000;

  it('sends a client attaching to a large stored stream its end, from a line start', async () => {
    const memory = memorySource();
    const text = flood(memory, 4 * 1024 * 1024);
    const out = collector();
    const feed = createTerminalFeed(memory.source, 0, out.sink);
    drain(feed);
    await new Promise((resolve) => setTimeout(resolve, 20));
    drain(feed);
    const first = out.sent[0]?.offset ?? -1;
    expect(first, 'within the last 384 KiB').toBeGreaterThanOrEqual(text.length - ATTACH_KEEP);
    expect(text[first - 1], 'just after a newline').toBe('\n');
    const lines = text.slice(first).split('\n').length - 1;
    expect(lines, 'the kept part fits the scrollback').toBeLessThanOrEqual(LINES);
    expect(lines, 'as much of it as fits').toBeGreaterThanOrEqual(LINES - 1);
    // Everything after the gap arrives, in order and without a gap of its own.
    let expected = first;
    for (const message of out.sent) {
      expect(message.offset).toBe(expected);
      expected += message.text.length;
    }
    expect(out.sent.map((message) => message.text).join('')).toBe(text.slice(first));
  });

  it('sends a first attach to a stream below the catch-up size whole', async () => {
    const memory = memorySource();
    const text = flood(memory, 1000 * 1024);
    const out = collector();
    const feed = createTerminalFeed(memory.source, 0, out.sink);
    drain(feed);
    await new Promise((resolve) => setTimeout(resolve, 20));
    drain(feed);
    expect(out.sent[0]?.offset).toBe(0);
    expect(out.sent.map((message) => message.text).join('')).toBe(text);
  });

  it('resumes a paused feed with what it owed, then the end of what its source read meanwhile', async () => {
    const memory = memorySource();
    const before = flood(memory, 300 * 1024);
    const out = collector();
    const feed = createTerminalFeed(memory.source, 0, out.sink, { batchChars: 10_000 });
    expect(feed.paused).toBe(true);
    const ahead = flood(memory, 2 * 1024 * 1024, 1_000_000);
    const text = before + ahead;
    drain(feed);
    await new Promise((resolve) => setTimeout(resolve, 20));
    drain(feed);
    // The first attach's 300 KiB all arrive; of the 2 MiB read while paused, only the end.
    const gap = out.sent.findIndex(
      (message, i) =>
        i > 0 &&
        message.offset !== (out.sent[i - 1]?.offset ?? 0) + (out.sent[i - 1]?.text.length ?? 0),
    );
    const sentBefore = out.sent
      .slice(0, gap)
      .map((message) => message.text)
      .join('');
    expect(sentBefore).toBe(before);
    const resumedAt = out.sent[gap]?.offset ?? -1;
    expect(resumedAt).toBeGreaterThanOrEqual(text.length - KEEP);
    expect(text[resumedAt - 1]).toBe('\n');
    expect(
      out.sent
        .slice(gap)
        .map((message) => message.text)
        .join(''),
    ).toBe(text.slice(resumedAt));
  });

  it('cuts inside a line rather than send nothing when the only newline ends the backlog', async () => {
    const memory = memorySource();
    const text = `${'y'.repeat(1536 * 1024)}\n`;
    memory.append(text);
    const out = collector();
    const feed = createTerminalFeed(memory.source, 0, out.sink);
    drain(feed);
    await new Promise((resolve) => setTimeout(resolve, 20));
    drain(feed);
    expect(out.sent[0]?.offset).toBe(text.length - ATTACH_KEEP);
    expect(out.sent.map((message) => message.text).join('')).toBe(text.slice(-ATTACH_KEEP));
  });

  it('sends every character when catching up is turned off', async () => {
    const memory = memorySource();
    const text = flood(memory, 2 * 1024 * 1024);
    const out = collector();
    const feed = createTerminalFeed(memory.source, 0, out.sink, { catchUp: false });
    drain(feed);
    await new Promise((resolve) => setTimeout(resolve, 20));
    drain(feed);
    expect(out.sent.map((message) => message.text).join('')).toBe(text);
  });
});
