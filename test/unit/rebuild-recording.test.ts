import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../common';
import {
  EVENTS_LOG,
  RunRecording,
  readRunFile,
  TERMINAL_LOG,
} from '../../main/core/rebuild/recording';

function runDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'nixstrap-recording-'));
}

function screenFrom(recording: RunRecording, offset: number): string {
  let text = '';
  let expected = offset;
  recording.onTerminal((chunk, at) => {
    expect(at).toBe(expected);
    expected += chunk.length;
    text += chunk;
  }, offset)();
  return text;
}

describe('a run recording', () => {
  it('replays the terminal from any character offset, the same screen a live listener saw', () => {
    const recording = new RunRecording(runDir());
    let live = '';
    recording.onTerminal((chunk) => {
      live += chunk;
    });
    const chunks = ['$ nix build\r\n', 'building hello-2.12\r\n', 'hello> größe ✓ 🚀\r\n', 'done'];
    for (const chunk of chunks) recording.terminal(chunk);
    const whole = chunks.join('');
    expect(live).toBe(whole);
    for (let offset = 0; offset <= whole.length; offset++) {
      expect(screenFrom(recording, offset)).toBe(whole.slice(offset));
    }
    recording.close();
  });

  it('numbers events from 0 and replays them from any sequence number, then live', () => {
    const recording = new RunRecording(runDir());
    const phases: RunEvent[] = [
      { type: 'phase', phase: 'build', status: 'started' },
      { type: 'phase', phase: 'build', status: 'succeeded', exitCode: 0 },
    ];
    for (const event of phases) recording.emit(event);
    const seen: [number, RunEvent][] = [];
    recording.onEvent((event, seq) => seen.push([seq, event]), 1);
    recording.emit({ type: 'confirm', question: 'Go?' });
    expect(seen).toEqual([
      [1, phases[1]],
      [2, { type: 'confirm', question: 'Go?' }],
    ]);
    recording.close();
  });

  it('turns complete terminal lines into output events, escapes removed, before the next event', () => {
    const recording = new RunRecording(runDir());
    const events: RunEvent[] = [];
    recording.onEvent((event) => events.push(event));
    recording.terminal('\u001b[1mbuilding\u001b[0m hello\r\nhalf a li');
    recording.emit({ type: 'phase', phase: 'build', status: 'started' });
    recording.terminal('ne\r\n');
    recording.close();
    expect(events).toEqual([
      { type: 'output', text: 'building hello\n' },
      { type: 'phase', phase: 'build', status: 'started' },
      { type: 'output', text: 'half a line\n' },
    ]);
  });

  it('is read back from disk as it was, and a large log is gzipped when the run ends', () => {
    const dir = runDir();
    const recording = new RunRecording(dir);
    const line = `${'x'.repeat(99)}\n`;
    for (let i = 0; i < 12_000; i++) recording.terminal(line);
    recording.emit({ type: 'phase', phase: 'build', status: 'started' });
    recording.close();
    expect(fs.existsSync(path.join(dir, TERMINAL_LOG))).toBe(false);
    expect(fs.statSync(path.join(dir, `${TERMINAL_LOG}.gz`)).size).toBeLessThan(100_000);
    expect(readRunFile(path.join(dir, TERMINAL_LOG))).toBe(line.repeat(12_000));
    expect(fs.existsSync(path.join(dir, `${EVENTS_LOG}.gz`))).toBe(true);

    const loaded = RunRecording.load(dir);
    expect(loaded && screenFrom(loaded, 1_000_000)).toBe(line.repeat(12_000).slice(1_000_000));
    const events: RunEvent[] = [];
    loaded?.onEvent((event) => events.push(event));
    expect(events.at(-1)).toEqual({ type: 'phase', phase: 'build', status: 'started' });
  });
});

describe('a recording cut off by a killed process', () => {
  it('replays every whole event before the half-written last line', () => {
    const dir = runDir();
    const recording = new RunRecording(dir);
    recording.emit({ type: 'phase', phase: 'build', status: 'started' });
    recording.close();
    fs.appendFileSync(path.join(dir, EVENTS_LOG), '{"type":"progress","bui');
    const events: RunEvent[] = [];
    RunRecording.load(dir)?.onEvent((event) => events.push(event));
    expect(events).toEqual([{ type: 'phase', phase: 'build', status: 'started' }]);
  });
});
