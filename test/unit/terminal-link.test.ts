import { describe, expect, it } from 'vitest';
import { decodeFrame, encodeFrame, type TerminalFrame } from '../../common/terminal-frames';
import { encodeUtf8 } from '../../common/utf8';
import { createTerminalLink } from '../../renderer/bridge/terminal-link';

/** A link whose frames out are decoded, and a screen that writes (acknowledges) all it gets. */
function linked() {
  const out: TerminalFrame[] = [];
  const link = createTerminalLink((bytes) => {
    const decoded = decodeFrame(bytes);
    if ('frame' in decoded) out.push(decoded.frame);
  });
  const heard: string[] = [];
  const attachment = link.attach('run', 0, {
    data(text, offset) {
      heard.push(`data ${offset} ${text.length}`);
      attachment.written(text.length);
    },
    skipped: (chars) => heard.push(`skipped ${chars}`),
    end: (offset) => heard.push(`end ${offset}`),
    error: () => {},
  });
  const stream = (out[0] as TerminalFrame).stream;
  const data = (offset: number, text: string) =>
    link.receive(encodeFrame({ kind: 'data', stream, offset, bytes: encodeUtf8(text) }));
  const acked = () =>
    out.reduce((total, frame) => total + (frame.kind === 'ack' ? frame.chars : 0), 0);
  const end = (offset: number) => link.receive(encodeFrame({ kind: 'end', stream, offset }));
  return { heard, data, acked, end };
}

describe('the terminal link', () => {
  it('reports a gap in offsets as skipped characters, before the data after it', () => {
    const { heard, data } = linked();
    data(0, 'make\n');
    data(1_005, 'x'.repeat(100));
    data(1_105, 'y');
    expect(heard).toEqual(['data 0 5', 'skipped 1000', 'data 1005 100', 'data 1105 1']);
  });

  it('acknowledges only the characters it received, not the skipped ones', () => {
    const { data, acked } = linked();
    data(0, 'a'.repeat(3_000));
    data(1_000_000, 'b'.repeat(3_000));
    expect(acked()).toBe(6_000);
  });

  it('treats a repeat of what it has as no gap', () => {
    const { heard, data, acked } = linked();
    data(0, 'abcdef');
    data(3, 'defghi');
    expect(heard).toEqual(['data 0 6', 'data 6 3']);
    data(9, 'z'.repeat(4_991));
    expect(acked()).toBe(6 + 3 + 3 + 4_991);
  });

  it('reports an end beyond what it has as skipped, then the end', () => {
    const { heard, data, end } = linked();
    data(0, 'make\n');
    end(2_005);
    expect(heard).toEqual(['data 0 5', 'skipped 2000', 'end 2005']);
  });
});
