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

/** Drains the feed, lets its batch timers fire, and drains what they sent. */
async function drained(feed: ReturnType<typeof createTerminalFeed>): Promise<void> {
  drain(feed);
  await new Promise((resolve) => setTimeout(resolve, 20));
  drain(feed);
}

/** Where each gap in the messages' offsets is: the index of the message after it. */
function gaps(sent: { offset: number; text: string }[]): number[] {
  return sent.flatMap((message, i) => {
    const before = sent[i - 1];
    return before && message.offset !== before.offset + before.text.length ? [i] : [];
  });
}

/** Lines of 45 characters (CR included): three rows each at 20 columns, two at 30, one at 80. */
function shortLines(memory: ReturnType<typeof memorySource>, chars: number, from = 0): string {
  let text = '';
  for (let line = from; text.length < chars; line++) {
    text += `${String(line).padStart(8, '0')} ${'y'.repeat(35)}\r\n`;
  }
  for (let at = 0; at < text.length; at += 4096) memory.append(text.slice(at, at + 4096));
  return text;
}

describe('a terminal feed far behind its stream', () => {
  // What the terminal holds with the skip's note on a first attach; less when a paused feed
  // resumes in a flood. At most 9,000 rows of its 10,000 either way.
  const ATTACH_KEEP = 384 * 1024;
  const KEEP = 256 * 1024;
  const ROWS = 9000;

  /** The rows a text takes in a terminal `cols` wide, each line wrapped, as the test sees it. */
  function rowsOf(text: string, cols: number): number {
    const lines = text.split('\n');
    if (lines.at(-1) === '') lines.pop();
    return lines.reduce((rows, line) => rows + Math.max(1, Math.ceil(line.length / cols)), 0);
  }

  it('sends a client attaching to a large stored stream its end, from a line start', async () => {
    const memory = memorySource();
    const text = flood(memory, 4 * 1024 * 1024);
    const out = collector();
    const feed = createTerminalFeed(memory.source, 0, out.sink);
    await drained(feed);
    const first = out.sent[0]?.offset ?? -1;
    expect(first, 'within the last 384 KiB').toBeGreaterThanOrEqual(text.length - ATTACH_KEEP);
    expect(text[first - 1], 'just after a newline').toBe('\n');
    expect(first, 'as much as 384 KiB holds').toBeLessThan(text.length - ATTACH_KEEP + 200);
    expect(rowsOf(text.slice(first), 80), 'the kept part fits the scrollback').toBeLessThan(ROWS);
    // Everything after the gap arrives, in order and without a gap of its own.
    let expected = first;
    for (const message of out.sent) {
      expect(message.offset).toBe(expected);
      expected += message.text.length;
    }
    expect(out.sent.map((message) => message.text).join('')).toBe(text.slice(first));
  });

  it("keeps no more rows than the scrollback holds at the client's width", async () => {
    for (const [cols, size] of [
      [20, 'sent with the attach'],
      [30, 'given later'],
    ] as const) {
      const memory = memorySource();
      shortLines(memory, 3 * 1024 * 1024);
      const out = collector();
      const feed = createTerminalFeed(memory.source, 0, out.sink, {
        batchChars: 10_000,
        ...(size === 'sent with the attach' ? { cols } : {}),
      });
      if (size === 'given later') {
        // The attach was cut by 80 columns; a flood the page then falls behind is cut by 30.
        feed.resized(cols);
        shortLines(memory, 2 * 1024 * 1024, 100_000);
      }
      await drained(feed);
      const starts = [0, ...gaps(out.sent)];
      const lastPart = out.sent
        .slice(starts.at(-1))
        .map((message) => message.text)
        .join('');
      const rows = rowsOf(lastPart, cols);
      expect(rows, `${size}: fits 9,000 rows at ${cols} columns`).toBeLessThanOrEqual(ROWS);
      expect(rows, `${size}: as many as fit`).toBeGreaterThan(ROWS - 5);
    }
  });

  it('sends a first attach to a stream below the catch-up size whole', async () => {
    const memory = memorySource();
    const text = flood(memory, 1000 * 1024);
    const out = collector();
    const feed = createTerminalFeed(memory.source, 0, out.sink);
    await drained(feed);
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
    await drained(feed);
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
    await drained(feed);
    expect(out.sent[0]?.offset).toBe(text.length - ATTACH_KEEP);
    expect(out.sent.map((message) => message.text).join('')).toBe(text.slice(-ATTACH_KEEP));
  });

  it('sends every character when catching up is turned off', async () => {
    const memory = memorySource();
    const text = flood(memory, 2 * 1024 * 1024);
    const out = collector();
    const feed = createTerminalFeed(memory.source, 0, out.sink, { catchUp: false });
    await drained(feed);
    expect(out.sent.map((message) => message.text).join('')).toBe(text);
  });
});

describe('a terminal feed when its client types', () => {
  it("sends a page far behind the stream from the line it typed on, the echo's part whole, then the end", async () => {
    const memory = memorySource();
    const out = collector();
    const feed = createTerminalFeed(memory.source, 0, out.sink, { batchChars: 10_000 });
    const before = flood(memory, 300 * 1024);
    expect(feed.paused).toBe(true);
    // The page is 300 KiB behind when the key goes; the echo comes after 20 KiB more output,
    // as the pty's buffer holds, and then the build prints on: 2 MiB, above the catch-up size.
    memory.append('[sudo] password for alice: ');
    const typedAt = before.length + '[sudo] password for alice: '.length;
    feed.typed();
    const output = flood(memory, 20 * 1024, 5000);
    memory.append('~');
    const after = `${output}~${flood(memory, 2 * 1024 * 1024, 9000)}`;
    const text = `${before}[sudo] password for alice: ${after}`;
    await drained(feed);
    const [jump, cut] = gaps(out.sent) as [number, number];
    expect(gaps(out.sent)).toHaveLength(2);
    const join = (from: number, to?: number) =>
      out.sent
        .slice(from, to)
        .map((message) => message.text)
        .join('');
    expect(out.sent[jump]?.offset, "the start of the key's line").toBe(before.length);
    // From there, 256 KiB past the key whole, the echo in it; then the stream's end.
    expect(join(jump, cut)).toBe(text.slice(before.length, typedAt + 256 * 1024));
    expect(join(jump, cut)).toContain('~');
    const resumedAt = out.sent[cut]?.offset ?? -1;
    expect(resumedAt).toBeGreaterThanOrEqual(text.length - 256 * 1024);
    expect(join(cut)).toBe(text.slice(resumedAt));
  });

  it('jumps to the first of several keys typed before the page catches up', async () => {
    const memory = memorySource();
    const out = collector();
    const feed = createTerminalFeed(memory.source, 0, out.sink, { batchChars: 10_000 });
    const before = flood(memory, 300 * 1024);
    feed.typed();
    flood(memory, 200 * 1024, 7000);
    feed.typed();
    flood(memory, 100 * 1024, 9000);
    await drained(feed);
    const [gap] = gaps(out.sent);
    expect(out.sent[gap as number]?.offset).toBe(before.length);
  });

  it('sends every character when the page is close behind or jumps are turned off', async () => {
    for (const [chars, options] of [
      [40 * 1024, {}],
      [2 * 1024 * 1024, { catchUp: false as const }],
    ] as const) {
      const memory = memorySource();
      const out = collector();
      const feed = createTerminalFeed(memory.source, 0, out.sink, {
        batchChars: 10_000,
        ...options,
      });
      // Past the high watermark, so the feed is paused when the key goes.
      const first = flood(memory, 110 * 1024);
      expect(feed.paused).toBe(true);
      const behind = flood(memory, chars, 3000);
      feed.typed();
      const rest = flood(memory, 100 * 1024, 80_000);
      await drained(feed);
      expect(out.sent.map((message) => message.text).join('')).toBe(first + behind + rest);
    }
  });

  it('keeps the echo of a key typed while the feed was still sending from the next cut', async () => {
    const memory = memorySource();
    const out = collector();
    const feed = createTerminalFeed(memory.source, 0, out.sink, { batchChars: 10_000 });
    memory.append('$ ');
    feed.typed();
    expect(feed.paused).toBe(false);
    // The page pauses the feed before the echo comes, and the run prints 2 MiB more.
    const output = flood(memory, 150 * 1024);
    expect(feed.paused).toBe(true);
    memory.append('~');
    const text = `$ ${output}~${flood(memory, 2 * 1024 * 1024, 9000)}`;
    await drained(feed);
    const [cut] = gaps(out.sent) as [number];
    expect(gaps(out.sent)).toHaveLength(1);
    const shown = out.sent
      .slice(0, cut)
      .map((message) => message.text)
      .join('');
    expect(shown).toBe(text.slice(0, 2 + 256 * 1024));
    expect(shown).toContain('~');
    expect(out.sent[cut]?.offset).toBeGreaterThanOrEqual(text.length - 256 * 1024);
  });

  it('ends at the end of the stream when a key typed after the last output skips to it', async () => {
    const memory = memorySource();
    const out = collector();
    const feed = createTerminalFeed(memory.source, 0, out.sink, { batchChars: 10_000 });
    const text = flood(memory, 600 * 1024);
    expect(feed.paused).toBe(true);
    // The flood is over, its last line ends the stream, and the page is far behind.
    feed.typed();
    memory.finish();
    await drained(feed);
    expect(out.ended, 'the end where the stream ends, not where the page stood').toBe(text.length);
  });

  it('jumps for a key typed in a flood long after a key typed at a quiet prompt', async () => {
    const memory = memorySource();
    const out = collector();
    const feed = createTerminalFeed(memory.source, 0, out.sink, { batchChars: 10_000 });
    memory.append('$ ');
    feed.typed();
    // The page keeps up with 400 KiB of output, then falls behind a flood and types again.
    let length = 2;
    for (let part = 0; part < 8; part++) {
      length += flood(memory, 50 * 1024, part * 1000).length;
      drain(feed);
    }
    const sent = out.sent.length;
    length += flood(memory, 300 * 1024, 20_000).length;
    expect(feed.paused).toBe(true);
    feed.typed();
    flood(memory, 2 * 1024 * 1024, 40_000);
    await drained(feed);
    const [jump] = gaps(out.sent.slice(sent));
    const resumedAt = out.sent[sent + (jump as number)]?.offset ?? -1;
    // The jump lands on the line the second key was typed on.
    expect(resumedAt).toBeGreaterThan(length - 4096);
    expect(resumedAt).toBeLessThanOrEqual(length);
  });
});
