import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NixLogParser, type NixRecord } from '../../main/core/rebuild';
import { fastRecord } from '../../main/core/rebuild/fast-record';

const LOGS = path.join(import.meta.dirname, '../fixtures/nix-logs');
/** Real `nix build --log-format internal-json -v` output captured through a pty from Nix 2.8. */
const success = fs.readFileSync(path.join(LOGS, 'build-success.pty.log'));

function parse(chunks: (Buffer | string)[]) {
  const records: NixRecord[] = [];
  let text = '';
  const parser = new NixLogParser({
    record: (record) => records.push(record),
    text: (t) => {
      text += t;
    },
  });
  for (const chunk of chunks) parser.push(chunk);
  parser.end();
  return { records, text };
}

function splitAt(buffer: Buffer, cuts: number[]): Buffer[] {
  const points = [0, ...cuts.sort((a, b) => a - b), buffer.length];
  return points.slice(1).map((end, i) => buffer.subarray(points[i], end));
}

/** A deterministic sequence of cut points, so a failure reproduces. */
function cuts(length: number, count: number, seed: number): number[] {
  let state = seed;
  return Array.from({ length: count }, () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state % length;
  });
}

describe('splitting Nix output into records and the human stream', () => {
  const whole = parse([success]);

  it('reads every record of a real build, and nothing else, from one chunk', () => {
    const lines = success
      .toString()
      .split('\n')
      .filter((line) => line.includes('@nix {'));
    expect(whole.records).toHaveLength(lines.length);
    expect(whole.text).toBe('');
    const logLines = whole.records.filter((r) => r.action === 'result' && r.type === 101);
    expect(logLines.map((r) => (r as { fields: string[] }).fields[0])).toContain(
      'libfoo 7: compiling src/module_7.c — größe ✓ 日本語 🚀',
    );
  });

  it('gives the same records when a record or a UTF-8 character is split across chunks', () => {
    for (let cut = 0; cut < 3000; cut++) {
      expect(parse(splitAt(success, [cut]))).toEqual(whole);
    }
    for (let seed = 1; seed <= 20; seed++) {
      expect(parse(splitAt(success, cuts(success.length, 400, seed)))).toEqual(whole);
    }
  });

  it('survives one byte at a time', () => {
    const bytes = Array.from({ length: success.length }, (_, i) => success.subarray(i, i + 1));
    expect(parse(bytes)).toEqual(whole);
  });

  it('passes a prompt without a newline on at once, so the user can answer it', () => {
    const seen: string[] = [];
    const parser = new NixLogParser({ record: () => {}, text: (t) => seen.push(t) });
    parser.push('[sudo] password for alice: ');
    expect(seen.join('')).toBe('[sudo] password for alice: ');
  });

  it('holds back what may be the start of a record until the line is complete', () => {
    const seen: string[] = [];
    const records: NixRecord[] = [];
    const parser = new NixLogParser({ record: (r) => records.push(r), text: (t) => seen.push(t) });
    parser.push('@ni');
    expect(seen).toEqual([]);
    parser.push('x {"action":"stop","id":7}\r\nplain\r\n');
    expect(records).toEqual([{ action: 'stop', id: 7 }]);
    expect(seen.join('')).toBe('plain\r\n');
  });

  it('reads a record after the escapes a terminal-aware Nix writes to clear its status line', () => {
    const { records, text } = parse(['\r\u001b[0m\u001b[K@nix {"action":"stop","id":1}\r\n']);
    expect(records).toEqual([{ action: 'stop', id: 1 }]);
    expect(text).toBe('');
  });

  it('reads the record Nix writes right after the ^C the terminal echoes on cancel', () => {
    const { records, text } = parse([
      'building foo\r\n^',
      'C@nix {"action":"msg","level":0,"msg":"error: interrupted by the user"}\r\n',
      '^C is how a cancel looks\r\n',
    ]);
    expect(records).toEqual([{ action: 'msg', level: 0, msg: 'error: interrupted by the user' }]);
    expect(text).toBe('building foo\r\n^C is how a cancel looks\r\n');
  });

  it('reads a record after keys the terminal echoed at the start of its line, showing the keys', () => {
    const line = 'yes\r\n~q@nix {"action":"msg","level":0,"msg":"hello"}\r\nnext\r\n';
    // Whole, and cut at every character: the keys may come in a chunk of their own.
    for (let cut = 0; cut <= line.length; cut++) {
      const { records, text } = parse([line.slice(0, cut), line.slice(cut)]);
      expect(records, `cut at ${cut}`).toEqual([{ action: 'msg', level: 0, msg: 'hello' }]);
      expect(text, `cut at ${cut}`).toBe('yes\r\n~qnext\r\n');
    }
  });

  it('keeps a line with a record far into it, or a broken one after keys, as text', () => {
    const far = `${'x'.repeat(80)}@nix {"action":"stop","id":1}\r\n`;
    const broken = '~@nix {"action":"stop",\r\n';
    const { records, text } = parse([far, broken]);
    expect(records).toEqual([]);
    expect(text).toBe(far + broken);
  });

  it('shows a broken record as text, skips an unknown record action, and keeps plain lines', () => {
    const { records, text } = parse([
      'activating the configuration...\r\n',
      '@nix {"action":"teleport","id":1}\r\n',
      '@nix {not json\r\n',
      '@nix {"action":"msg","level":0,"msg":"error: boom"}\r\n',
      'done\r\n',
    ]);
    expect(records).toEqual([{ action: 'msg', level: 0, msg: 'error: boom' }]);
    expect(text).toBe('activating the configuration...\r\n@nix {not json\r\ndone\r\n');
  });

  it('keeps a plain line that only starts like a record as one piece of text', () => {
    const { text } = parse(['@nixos is ', 'a user name\r\n']);
    expect(text).toBe('@nixos is a user name\r\n');
  });
});

describe('the fast path for the common record shapes', () => {
  it('reads every record it accepts exactly as JSON.parse does', () => {
    const lines = ['build-success.pty.log', 'substitute.pty.log', 'build-failure.pty.log']
      .flatMap((file) => fs.readFileSync(path.join(LOGS, file), 'utf8').split('\n'))
      .map((line) => line.slice(line.indexOf('{')).replace(/\r$/, ''))
      .filter((json) => json.startsWith('{'));
    let fast = 0;
    for (const json of lines) {
      const record = fastRecord(json, 0, json.length);
      if (record === null) continue;
      fast++;
      expect(record).toEqual(JSON.parse(json));
    }
    expect(fast / lines.length).toBeGreaterThan(0.9);
  });

  it('leaves escapes, negative or fractional numbers and other key orders to JSON.parse', () => {
    for (const json of [
      '{"action":"result","fields":["\\u001b[31mred"],"id":1,"type":101}',
      '{"action":"result","fields":[-1],"id":1,"type":105}',
      '{"action":"result","fields":[1.5],"id":1,"type":105}',
      '{"action":"result","id":1,"type":105,"fields":[1]}',
      '{"action":"result","fields":[1],"id":1,"type":105,"extra":true}',
      '{"action":"stop","id":1,"more":2}',
    ]) {
      expect(fastRecord(json, 0, json.length)).toBeNull();
    }
    const empty = '{"action":"result","fields":[],"id":7,"type":105}';
    expect(fastRecord(empty, 0, empty.length)).toEqual(JSON.parse(empty));
  });
});
