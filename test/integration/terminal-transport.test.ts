import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WebSocket as NodeWebSocket } from 'ws';
import { NixstrapFailure, type Result } from '../../common';
import type { Bridge, TerminalAttachment, TerminalHandlers } from '../../common/bridge';
import { FLOW_CONTROL } from '../../common/flow-control';
import { createApi, type FindRun } from '../../main/api';
import { createHandlers } from '../../main/api/handlers';
import { type RunningServer, startServer } from '../../main/server';
import { wsBridge } from '../../renderer/bridge/ws';
import { nixOutput } from '../helpers/nix-output';
import { type PtyRun, startPtyRun } from '../helpers/pty-run';

/**
 * The terminal path end to end in browser mode: a real pty, the real server and its token
 * gate, and the browser's bridge (on the `ws` client, which has the browser's event API).
 */

let server: RunningServer;
let workDir: string;
const runs = new Map<string, PtyRun>();
const sockets: NodeWebSocket[] = [];
const slowCalls: { aborted: boolean }[] = [];

const findRun: FindRun = async (runId) => {
  const run = runs.get(runId);
  if (!run) throw new NixstrapFailure('RUN_NOT_FOUND', `There is no run ${runId}.`, 'Start one.');
  return run;
};

/** The page's WebSocket: the subprotocols the bridge offers and the page's Origin, as a browser. */
class PageSocket extends NodeWebSocket {
  constructor(url: string, protocols: string[]) {
    super(url, protocols, { headers: { origin: `http://127.0.0.1:${server.port}` } });
    sockets.push(this);
  }
}

const pages: ReturnType<typeof wsBridge>[] = [];

function page(): Bridge {
  const bridge = wsBridge({
    socketUrl: `ws://127.0.0.1:${server.port}/ws`,
    sessionUrl: `http://127.0.0.1:${server.port}/session`,
    key: () => server.token,
  });
  pages.push(bridge);
  return bridge;
}

/** What a terminal view collects; `autoAck` acknowledges like xterm's write callback would. */
function screen(autoAck: boolean) {
  const state = {
    text: '',
    ended: null as number | null,
    errors: [] as string[],
    written: 0,
    /** The most characters ever received and not yet written. */
    maxInFlight: 0,
    attachment: null as TerminalAttachment | null,
  };
  const handlers: TerminalHandlers = {
    data(text) {
      state.text += text;
      state.maxInFlight = Math.max(state.maxInFlight, state.text.length - state.written);
      if (autoAck)
        setImmediate(() => {
          state.written += text.length;
          state.attachment?.written(text.length);
        });
    },
    // Below the feed's catch-up size (or with the pty held) a skip is a bug, and its mark makes
    // the text differ.
    skipped(chars) {
      state.text += `<${chars} skipped>`;
    },
    end(offset) {
      state.ended = offset;
    },
    error(error) {
      state.errors.push(error.code);
    },
  };
  return { state, handlers };
}

/** What `cat` of this text shows in a pty: the terminal turns each newline into CR LF. */
function onScreen(text: string): string {
  return text.replace(/\n/g, '\r\n');
}

function startCat(id: string, bytes: number): { run: PtyRun; expected: string } {
  const text = nixOutput(bytes);
  const file = join(workDir, `${id}.log`);
  writeFileSync(file, text);
  const run = startPtyRun(id, ['cat', file]);
  runs.set(id, run);
  return { run, expected: onScreen(text) };
}

beforeAll(async () => {
  (globalThis as { WebSocket?: unknown }).WebSocket = PageSocket;
  workDir = mkdtempSync(join(tmpdir(), 'nixstrap-terminal-'));
  const rendererDir = join(workDir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Nixstrap</title>');
  const ctx = { shell: 'browser' as const, dataDir: join(workDir, 'data') };
  const handlers = createHandlers(ctx, findRun);
  server = await startServer({
    api: createApi(
      ctx,
      {
        ...handlers,
        // A call that waits until it is cancelled, to watch cancellation reach the handler.
        'app.info': (_request, signal) => {
          const call = { aborted: false };
          slowCalls.push(call);
          return new Promise((_resolve, reject) => {
            signal.addEventListener('abort', () => {
              call.aborted = true;
              reject(new Error('aborted'));
            });
          });
        },
      },
      findRun,
    ),
    rendererDir,
    log: () => {},
  });
});

afterAll(async () => {
  for (const bridge of pages) bridge.close();
  for (const run of runs.values()) run.pty.kill('SIGKILL');
  for (const socket of sockets) socket.terminate();
  await server?.close();
  rmSync(workDir, { recursive: true, force: true });
});

describe('terminal output is flow-controlled by acknowledged characters', () => {
  it('stops a flooding pty above 100,000 unacknowledged characters and resumes it on acks', async () => {
    const { run, expected } = startCat('flood', 4 * 1024 * 1024);
    const { state, handlers } = screen(false);
    state.attachment = page().attachTerminal('flood', 0, handlers);

    // Nothing is acknowledged: the server stops sending past the high watermark and holds the pty.
    await vi.waitFor(() => expect(run.pauses).toBeGreaterThanOrEqual(1), { timeout: 10_000 });
    await vi.waitFor(() => expect(state.text.length).toBeGreaterThan(FLOW_CONTROL.highWatermark));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(state.text.length).toBeLessThanOrEqual(FLOW_CONTROL.highWatermark + 64 * 1024);
    expect(run.length, 'cat is blocked on the full pty').toBeLessThan(expected.length);
    const stalledAt = state.text.length;

    // The terminal catches up and acknowledges: output flows again, to the last byte.
    state.attachment.written(stalledAt);
    await vi.waitFor(() => expect(state.text.length).toBeGreaterThan(stalledAt));
    const rest = screen(true);
    state.attachment.detach();
    rest.state.attachment = page().attachTerminal('flood', state.text.length, rest.handlers);
    await vi.waitFor(() => expect(rest.state.ended).toBe(expected.length), { timeout: 30_000 });
    expect(state.text + rest.state.text).toBe(expected);
  });

  it('lets an acknowledging terminal receive everything, with never more than the window in flight', async () => {
    const { expected } = startCat('steady', 2 * 1024 * 1024);
    const { state, handlers } = screen(true);
    state.attachment = page().attachTerminal('steady', 0, handlers);
    await vi.waitFor(() => expect(state.ended).toBe(expected.length), { timeout: 30_000 });
    expect(state.text).toBe(expected);
    expect(state.errors).toEqual([]);
    expect(state.maxInFlight).toBeLessThanOrEqual(FLOW_CONTROL.highWatermark + 64 * 1024);
  });
});

describe('a client that comes back replays the run from an offset', () => {
  it('replays a finished run from any character offset, split multi-byte characters included', async () => {
    const { run, expected } = startCat('replay', 512 * 1024);
    await run.done;
    for (const offset of [0, 1, 100_003, expected.length - 7, expected.length]) {
      const { state, handlers } = screen(true);
      state.attachment = page().attachTerminal('replay', offset, handlers);
      await vi.waitFor(() => expect(state.ended).toBe(expected.length));
      expect(state.text, `from ${offset}`).toBe(expected.slice(offset));
    }
  });

  it('shows a page opening a large finished run what its scrollback holds, from a line start, and what it skipped', async () => {
    const { run, expected } = startCat('large', 3 * 1024 * 1024);
    await run.done;
    const { state, handlers } = screen(true);
    // A narrow terminal, as on a phone: its size goes right after the attach, as TerminalView's.
    state.attachment = page().attachTerminal('large', 0, handlers);
    state.attachment.resize(40, 30);
    await vi.waitFor(() => expect(state.ended).toBe(expected.length), { timeout: 30_000 });
    const mark = /^<(\d+) skipped>/.exec(state.text);
    const skipped = Number(mark?.[1]);
    expect(skipped).toBeGreaterThan(expected.length - 384 * 1024 - 200);
    expect(expected[skipped - 1], 'the screen picks up at a line start').toBe('\n');
    const shown = state.text.slice(mark?.[0].length);
    expect(shown).toBe(expected.slice(skipped));
    // Each line wrapped at 40 columns: the part shown fits 9,000 of the 10,000 rows of scrollback.
    const rows = shown
      .split('\n')
      .slice(0, -1)
      .reduce((total, line) => total + Math.max(1, Math.ceil(line.length / 40)), 0);
    expect(rows, 'within 9,000 rows at 40 columns').toBeLessThanOrEqual(9000);
    expect(rows, 'as many as fit').toBeGreaterThan(8900);
  });

  it('shows a reloaded page the same screen, from the start', async () => {
    // Under the feed's catch-up size: the pty runs free between the two pages, and a larger
    // backlog would reach the new page as its end only.
    const { expected } = startCat('reload', 384 * 1024);
    const first = screen(false);
    first.state.attachment = page().attachTerminal('reload', 0, first.handlers);
    await vi.waitFor(() => expect(first.state.text.length).toBeGreaterThan(50_000));
    // The page reloads: its socket goes, a new page attaches from character 0. (The old bridge
    // reconnects by itself and never acknowledges: a stalled page must not hold the run.)
    sockets.at(-1)?.terminate();
    const second = screen(true);
    second.state.attachment = page().attachTerminal('reload', 0, second.handlers);
    await vi.waitFor(() => expect(second.state.ended).toBe(expected.length), { timeout: 30_000 });
    expect(second.state.text).toBe(expected);
    expect(expected.startsWith(first.state.text)).toBe(true);
  });

  it('picks up at the first missing character when the connection drops mid-run', async () => {
    const { expected } = startCat('drop', 1024 * 1024);
    const bridge = page();
    const { state, handlers } = screen(true);
    state.attachment = bridge.attachTerminal('drop', 0, handlers);
    await vi.waitFor(() => expect(state.text.length).toBeGreaterThan(100_000));
    const before = sockets.length;
    sockets.at(-1)?.terminate();
    await vi.waitFor(() => expect(state.ended).toBe(expected.length), { timeout: 30_000 });
    expect(sockets.length, 'the bridge opened a new socket').toBe(before + 1);
    expect(state.text).toBe(expected);
  });
});

describe('a key typed during a flood', () => {
  it("shows a page far behind where the stream stood when it typed, the key's echo with it", async () => {
    const file = join(workDir, 'typed.log');
    const total = 8 * 1024 * 1024;
    writeFileSync(file, nixOutput(total));
    // Faster than the page draws, slow enough that the kernel's echo (later than the key under
    // load) lands within the part a key keeps whole: 16 KiB every 4 ms.
    const producer = [
      'const text = require("fs").readFileSync(process.argv[1]);',
      'let at = 0;',
      'const timer = setInterval(() => {',
      '  process.stdout.write(text.subarray(at, at + 16384));',
      '  at += 16384;',
      '  if (at >= text.length) clearInterval(timer);',
      '}, 4);',
    ].join('\n');
    // Read whatever the page does, as a rebuild's pty is: the page falls ever further behind.
    const run = startPtyRun('typed', [process.execPath, '-e', producer, file], {
      holdable: false,
    });
    runs.set('typed', run);
    const state = { text: '', ended: null as number | null };
    // A page drawing slowly: each message is acknowledged 50 ms after it came.
    const attachment = page().attachTerminal('typed', 0, {
      data(text) {
        state.text += text;
        setTimeout(() => attachment.written(text.length), 50);
      },
      skipped(chars) {
        state.text += `<${chars} skipped>`;
      },
      end(offset) {
        state.ended = offset;
      },
      error() {},
    });
    await vi.waitFor(() => expect(state.text.length).toBeGreaterThan(0), { timeout: 10_000 });
    await vi.waitFor(() => expect(run.length).toBeGreaterThan(1024 * 1024), { timeout: 10_000 });
    expect(run.length, 'the flood is still going').toBeLessThan(total / 2);
    const typedAt = run.length;
    attachment.input('~');
    await vi.waitFor(() => expect(state.ended).not.toBeNull(), { timeout: 60_000 });
    const echo = state.text.indexOf('~');
    expect(echo, "the key's echo is on the page").toBeGreaterThan(0);
    // The page skipped to the line where the stream stood, and drew from there to the echo.
    const mark = state.text.lastIndexOf('skipped>', echo);
    expect(mark).toBeGreaterThan(0);
    const resumed = state.text.slice(mark + 'skipped>'.length, echo);
    expect(resumed.length, "the pty buffer's worth of output, no more").toBeLessThan(256 * 1024);
    expect(run.length - typedAt).toBeGreaterThan(resumed.length);
  });
});

describe('keystrokes and sizes reach the pty', () => {
  it('types into the process and resizes its terminal', async () => {
    const run = startPtyRun('typing', ['sh', '-c', 'read line; echo "got:$line"; stty size']);
    runs.set('typing', run);
    const { state, handlers } = screen(true);
    state.attachment = page().attachTerminal('typing', 0, handlers);
    state.attachment.resize(132, 43);
    await vi.waitFor(() => expect(run.pty.cols).toBe(132));
    state.attachment.input('gr\u00fc\u00dfe \u2714\r');
    await vi.waitFor(() => expect(state.ended).not.toBeNull());
    expect(state.text).toContain('got:gr\u00fc\u00dfe \u2714');
    expect(state.text).toContain('43 132');
  });

  it('answers a terminal for an unknown run with RUN_NOT_FOUND', async () => {
    const { state, handlers } = screen(true);
    state.attachment = page().attachTerminal('no-such-run', 0, handlers);
    await vi.waitFor(() => expect(state.errors).toEqual(['RUN_NOT_FOUND']));
  });
});

describe('run events go to the subscriber alone, from the sequence number it asks for', () => {
  it('replays from fromSeq and sends nothing to another page', async () => {
    const run = startPtyRun('events', ['true']);
    runs.set('events', run);
    await run.done;
    const other = startPtyRun('other-events', ['true']);
    runs.set('other-events', other);
    await other.done;

    const heard: unknown[] = [];
    const unsubscribe = await page().subscribeRebuild({ runId: 'events', fromSeq: 1 }, (event) =>
      heard.push(event),
    );
    const otherHeard: { event: { runId?: string } }[] = [];
    await page().subscribeRebuild({ runId: 'other-events' }, (event) =>
      otherHeard.push(event as never),
    );
    expect(unsubscribe.ok).toBe(true);
    await vi.waitFor(() => expect(heard).toHaveLength(1));
    expect(heard[0]).toMatchObject({ seq: 1, event: { type: 'result', runId: 'events' } });
    await vi.waitFor(() => expect(otherHeard).toHaveLength(2));
    expect(otherHeard.map((message) => message.event.runId).filter(Boolean)).toEqual([
      'other-events',
    ]);
  });

  it('refuses a subscription to an unknown run with RUN_NOT_FOUND', async () => {
    const result = await page().subscribeRebuild({ runId: 'nope' }, () => {});
    expect(result).toMatchObject({ ok: false, error: { code: 'RUN_NOT_FOUND' } });
  });
});

describe('calls can be cancelled', () => {
  it('answers a cancelled call with CANCELLED and aborts the engine call', async () => {
    const controller = new AbortController();
    const answer = page().appInfo({}, { signal: controller.signal });
    await vi.waitFor(() => expect(slowCalls).toHaveLength(1));
    controller.abort();
    const result: Result<unknown> = await answer;
    expect(result).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    await vi.waitFor(() => expect(slowCalls[0]?.aborted).toBe(true));
  });

  it('aborts the calls of a page that went away', async () => {
    void page().appInfo({});
    await vi.waitFor(() => expect(slowCalls).toHaveLength(2));
    sockets.at(-1)?.terminate();
    await vi.waitFor(() => expect(slowCalls[1]?.aborted).toBe(true));
  });
});
