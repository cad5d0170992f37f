import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { RunEvent } from '../../../common';
import { DisplayStream, type StreamListener } from './display-stream';
import { stripAnsi } from './text';

export const TERMINAL_LOG = 'terminal.log';
export const EVENTS_LOG = 'events.jsonl';
/** Logs above this are gzipped when the run ends. */
const COMPRESS_ABOVE = 1024 * 1024;
/** How long complete lines wait before they go out as one `output` event. */
const OUTPUT_BATCH_MS = 50;

type EventListener = (event: RunEvent, seq: number) => void;

/** Reads a run file, gunzipping the `.gz` it was compressed into; null when neither exists. */
export function readRunFile(file: string): string | null {
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8');
  if (fs.existsSync(`${file}.gz`)) return zlib.gunzipSync(fs.readFileSync(`${file}.gz`)).toString();
  return null;
}

/**
 * One run's record as it happens: the terminal stream (addressed by character offset) and the
 * events (by sequence number), both kept for replay and written to the run's folder, so a
 * reconnecting screen or a later `nixstrap log` sees exactly what was shown.
 */
export class RunRecording {
  private readonly events: RunEvent[] = [];
  private readonly display = new DisplayStream();
  private readonly eventListeners = new Set<EventListener>();
  private pendingOutput = '';
  private outputTimer: NodeJS.Timeout | null = null;
  private files: { log: number; events: number } | null;

  constructor(
    readonly dir: string | null,
    saved?: { events: RunEvent[]; terminal: string },
  ) {
    if (saved) {
      this.events.push(...saved.events);
      this.display.append(saved.terminal);
      this.files = null;
      return;
    }
    this.files = dir
      ? {
          log: fs.openSync(path.join(dir, TERMINAL_LOG), 'a'),
          events: fs.openSync(path.join(dir, EVENTS_LOG), 'a'),
        }
      : null;
  }

  /** A finished run read back from its folder; null when the folder holds no record. */
  static load(dir: string): RunRecording | null {
    const events = readRunFile(path.join(dir, EVENTS_LOG));
    if (events === null) return null;
    // A process killed mid-write leaves half a last line: what came before it still replays.
    const parsed = events.split('\n').flatMap((line) => {
      try {
        return line ? [JSON.parse(line) as RunEvent] : [];
      } catch {
        return [];
      }
    });
    return new RunRecording(dir, {
      events: parsed,
      terminal: readRunFile(path.join(dir, TERMINAL_LOG)) ?? '',
    });
  }

  get eventCount(): number {
    return this.events.length;
  }

  terminal(text: string): void {
    if (!text) return;
    if (this.files) fs.writeSync(this.files.log, text);
    this.display.append(text);
    this.pendingOutput += text;
    if (!this.outputTimer) {
      this.outputTimer = setTimeout(() => this.flushOutput(false), OUTPUT_BATCH_MS);
    }
  }

  emit(event: RunEvent): void {
    this.flushOutput(false);
    this.append(event);
  }

  /** Complete lines (or everything, at the end of a step) go out as one `output` event. */
  flushOutput(all: boolean): void {
    if (this.outputTimer) {
      clearTimeout(this.outputTimer);
      this.outputTimer = null;
    }
    const cut = all ? this.pendingOutput.length : this.pendingOutput.lastIndexOf('\n') + 1;
    if (cut <= 0) return;
    const text = stripAnsi(this.pendingOutput.slice(0, cut)).replace(/\r+\n/g, '\n');
    this.pendingOutput = this.pendingOutput.slice(cut);
    if (text.trim()) this.append({ type: 'output', text });
  }

  onEvent(listener: EventListener, fromSeq = 0): () => void {
    for (let seq = Math.max(0, fromSeq); seq < this.events.length; seq++) {
      listener(this.events[seq] as RunEvent, seq);
    }
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onTerminal(listener: StreamListener, fromOffset = 0): () => void {
    return this.display.listen(listener, fromOffset);
  }

  /** Closes the files, gzipping large ones; listeners stay so late subscribers still replay. */
  close(): void {
    this.flushOutput(true);
    if (!this.files || !this.dir) return;
    fs.closeSync(this.files.log);
    fs.closeSync(this.files.events);
    this.files = null;
    for (const name of [TERMINAL_LOG, EVENTS_LOG]) {
      const file = path.join(this.dir, name);
      if (fs.statSync(file).size <= COMPRESS_ABOVE) continue;
      fs.writeFileSync(`${file}.gz`, zlib.gzipSync(fs.readFileSync(file)));
      fs.unlinkSync(file);
    }
  }

  private append(event: RunEvent): void {
    const seq = this.events.length;
    this.events.push(event);
    if (this.files) fs.writeSync(this.files.events, `${JSON.stringify(event)}\n`);
    for (const listener of this.eventListeners) listener(event, seq);
  }
}
