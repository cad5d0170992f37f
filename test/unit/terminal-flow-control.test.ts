import { describe, expect, it } from 'vitest';
import { AckCounter, FLOW_CONTROL, SendWindow } from '../../common/flow-control';
import { decodeFrame, encodeFrame, type TerminalFrame } from '../../common/terminal-frames';

function window() {
  const changes: boolean[] = [];
  const sender = new SendWindow((paused) => changes.push(paused));
  return { sender, changes };
}

describe('the producer pauses above 100,000 unacknowledged characters', () => {
  it('keeps sending up to the high watermark and pauses past it, once', () => {
    const { sender, changes } = window();
    sender.sent(60_000);
    sender.sent(40_000);
    expect(sender.isPaused).toBe(false);
    sender.sent(1);
    expect(sender.isPaused).toBe(true);
    sender.sent(50_000);
    expect(changes).toEqual([true]);
    expect(sender.unacknowledged).toBe(150_001);
  });

  it('resumes only below 5,000 unacknowledged, not as soon as it dips under the high mark', () => {
    const { sender, changes } = window();
    sender.sent(120_000);
    sender.acknowledged(30_000);
    expect(sender.isPaused).toBe(true);
    sender.acknowledged(80_000);
    expect(sender.unacknowledged).toBe(10_000);
    expect(sender.isPaused).toBe(true);
    sender.acknowledged(5_001);
    expect(sender.isPaused).toBe(false);
    expect(changes).toEqual([true, false]);
  });

  it('treats an acknowledgement of more than was sent as all of it', () => {
    const { sender } = window();
    sender.sent(200_000);
    sender.acknowledged(10_000_000);
    expect(sender.unacknowledged).toBe(0);
    expect(sender.isPaused).toBe(false);
    sender.sent(100_001);
    expect(sender.isPaused).toBe(true);
  });
});

describe('the terminal acknowledges every 5,000 characters it has written', () => {
  it('sends one acknowledgement per 5,000 characters, carrying the exact count', () => {
    const acks: number[] = [];
    const counter = new AckCounter((chars) => acks.push(chars));
    for (let i = 0; i < 4_999; i += 1) counter.written(1);
    expect(acks).toEqual([]);
    counter.written(1);
    counter.written(12_345);
    counter.written(3);
    expect(acks).toEqual([5_000, 12_345]);
  });

  it('drains a paused producer: every character written is eventually acknowledged', () => {
    const { sender } = window();
    const counter = new AckCounter((chars) => sender.acknowledged(chars));
    // A flood in 16 KiB chunks until the producer stops, then the terminal catches up.
    const chunks: number[] = [];
    while (!sender.isPaused) {
      sender.sent(16_384);
      chunks.push(16_384);
    }
    expect(sender.unacknowledged).toBeLessThanOrEqual(FLOW_CONTROL.highWatermark + 16_384);
    for (const chunk of chunks) counter.written(chunk);
    expect(sender.isPaused).toBe(false);
    expect(sender.unacknowledged).toBeLessThan(FLOW_CONTROL.ackEvery);
  });

  it('forgets what it owed a producer that has gone', () => {
    const acks: number[] = [];
    const counter = new AckCounter((chars) => acks.push(chars));
    counter.written(4_000);
    counter.reset();
    counter.written(4_000);
    expect(acks).toEqual([]);
  });
});

describe('terminal frames', () => {
  const text = (value: string) => new TextEncoder().encode(value);
  const FRAMES: TerminalFrame[] = [
    { kind: 'attach', stream: 7, runId: 'r-20250101-abc', fromOffset: 123_456_789 },
    { kind: 'detach', stream: 7 },
    { kind: 'ack', stream: 1, chars: 5_000 },
    { kind: 'input', stream: 2, bytes: text('y\r\u0003') },
    { kind: 'resize', stream: 3, cols: 132, rows: 43 },
    { kind: 'data', stream: 4_000_000_000, offset: 2 ** 40, bytes: text('\u2501 building\r\n') },
    { kind: 'end', stream: 5, offset: 0 },
    {
      kind: 'error',
      stream: 6,
      error: { code: 'RUN_NOT_FOUND', message: 'No run r1.', hint: 'Start one.' },
    },
  ];

  it.each(FRAMES)('$kind survives encoding and decoding', (message) => {
    expect(decodeFrame(encodeFrame(message))).toEqual({ frame: message });
  });

  it.each([
    ['too short', Uint8Array.of(6, 0, 0)],
    ['an unknown kind', Uint8Array.of(99, 1, 0, 0, 0)],
    ['a resize to zero columns', encodeFrame({ kind: 'resize', stream: 1, cols: 0, rows: 24 })],
    ['a fractional offset', encodeFrame({ kind: 'end', stream: 1, offset: 1.5 })],
    [
      'a negative attach offset',
      encodeFrame({ kind: 'attach', stream: 1, runId: 'r', fromOffset: -1 }),
    ],
    ['an ack with extra bytes', Uint8Array.of(3, 1, 0, 0, 0, 1, 0, 0, 0, 9)],
    [
      'a megabyte of keystrokes',
      encodeFrame({ kind: 'input', stream: 1, bytes: new Uint8Array(1 << 20) }),
    ],
  ])('names what is wrong with %s instead of throwing', (_what, bytes) => {
    const decoded = decodeFrame(bytes);
    expect(decoded).toEqual({ invalid: expect.any(String) });
  });
});
