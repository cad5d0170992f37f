import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { type Channel, NixstrapFailure } from '../../common';
import { CHANNEL_METHODS, type PreloadApi } from '../../common/bridge';
import { FLOW_CONTROL } from '../../common/flow-control';
import { createApi, createClientSession } from '../../main/api';
import { createHandlers } from '../../main/api/handlers';
import { ipcBridge } from '../../renderer/bridge/ipc';
import { nixOutput } from '../helpers/nix-output';
import { type PtyRun, startPtyRun } from '../helpers/pty-run';

/**
 * The Electron path without Electron (its binary cannot be installed here): main's client
 * session on one end of a real MessagePort (Node's, which Electron's MessagePortMain mirrors),
 * the renderer's IPC bridge on the other. In between sits what preload/index.ts does with
 * ipcRenderer: each method is one call into the window's session, terminal frames go on the port.
 */

const workDir = mkdtempSync(join(tmpdir(), 'nixstrap-ipc-'));
const runs = new Map<string, PtyRun>();
const started: string[] = [];
const aborted: string[] = [];

function electronWindow() {
  const ctx = { shell: 'electron' as const, dataDir: join(workDir, 'data') };
  const findRun = async (runId: string) => {
    const run = runs.get(runId);
    if (!run) throw new NixstrapFailure('RUN_NOT_FOUND', `No run ${runId}.`, 'Start one.');
    return run;
  };
  const api = createApi(
    ctx,
    {
      ...createHandlers(ctx, findRun),
      'repo.check': (_request, signal) => {
        started.push('repo.check');
        return new Promise((_resolve, reject) =>
          signal.addEventListener('abort', () => {
            aborted.push('repo.check');
            reject(new Error('aborted'));
          }),
        );
      },
    },
    findRun,
  );
  const { port1: mainPort, port2: windowPort } = new MessageChannel();
  const listeners = new Map<number, (event: unknown) => void>();
  const session = createClientSession(api, {
    event: (id, event) => listeners.get(Number(id))?.(event),
    frame: (frame) => mainPort.postMessage(frame),
    log: () => {},
  });
  mainPort.on('message', (frame: Uint8Array) => session.receiveFrame(frame));
  let nextAnonymous = 0;
  let nextSubscription = 1;
  const methods = Object.fromEntries(
    (Object.entries(CHANNEL_METHODS) as [Channel, string][]).map(([channel, method]) => [
      method,
      async (request: unknown, callId?: number) =>
        (await session.call(callId ?? --nextAnonymous, channel, request)) ?? {
          ok: false,
          error: { code: 'CANCELLED', message: 'Cancelled.', hint: '' },
        },
    ]),
  );
  const preload = {
    ...methods,
    async subscribeRebuild(request: unknown, listener: (event: unknown) => void) {
      const id = nextSubscription++;
      listeners.set(id, listener);
      const result = await session.subscribe(id, 'rebuild.subscribe', request);
      return result.ok ? { ok: true, value: () => session.cancel(id) } : result;
    },
    cancelCall: (callId: number) => session.cancel(callId),
    terminalSend: (frame: Uint8Array) => windowPort.postMessage(frame),
    onTerminalFrame(listener: (frame: Uint8Array) => void) {
      windowPort.on('message', listener);
      return () => windowPort.off('message', listener);
    },
  } as unknown as PreloadApi;
  return {
    bridge: ipcBridge(preload),
    close() {
      session.close();
      mainPort.close();
    },
  };
}

afterAll(() => {
  for (const run of runs.values()) run.pty.kill('SIGKILL');
  rmSync(workDir, { recursive: true, force: true });
});

describe('terminal frames over a MessagePort, as in Electron', () => {
  it('holds a flooding pty until the window acknowledges, then delivers every character', async () => {
    const text = nixOutput(2 * 1024 * 1024);
    const file = join(workDir, 'flood.log');
    writeFileSync(file, text);
    const run = startPtyRun('flood', ['cat', file]);
    runs.set('flood', run);
    const window = electronWindow();
    let received = '';
    let ended: number | null = null;
    let acking = false;
    const attachment = window.bridge.attachTerminal('flood', 0, {
      data(chunk) {
        received += chunk;
        if (acking) setImmediate(() => attachment.written(chunk.length));
      },
      // Held by the window, the pty never runs far ahead: nothing is skipped (a mark would show).
      skipped(chars) {
        received += `<${chars} skipped>`;
      },
      end(offset) {
        ended = offset;
      },
      error() {},
    });
    await vi.waitFor(() => expect(run.pauses).toBeGreaterThanOrEqual(1), { timeout: 10_000 });
    await vi.waitFor(() => expect(received.length).toBeGreaterThan(FLOW_CONTROL.highWatermark));
    expect(received.length).toBeLessThanOrEqual(FLOW_CONTROL.highWatermark + 64 * 1024);

    acking = true;
    attachment.written(received.length);
    const expected = text.replace(/\n/g, '\r\n');
    await vi.waitFor(() => expect(ended).toBe(expected.length), { timeout: 30_000 });
    expect(received).toBe(expected);
    window.close();
  });

  it('carries keystrokes to the pty and its echo back', async () => {
    const run = startPtyRun('echo', ['sh', '-c', 'read answer; echo "answer=$answer"']);
    runs.set('echo', run);
    const window = electronWindow();
    let received = '';
    let ended = false;
    const attachment = window.bridge.attachTerminal('echo', 0, {
      data(chunk) {
        received += chunk;
        attachment.written(chunk.length);
      },
      skipped(chars) {
        received += `<${chars} skipped>`;
      },
      end() {
        ended = true;
      },
      error() {},
    });
    attachment.input('yes\r');
    await vi.waitFor(() => expect(ended).toBe(true));
    expect(received).toContain('answer=yes');
    window.close();
  });
});

describe('IPC calls and subscriptions, as in Electron', () => {
  it('cancels a call by its id and tells the engine', async () => {
    const window = electronWindow();
    const controller = new AbortController();
    const answer = window.bridge.checkRepo({ repo: '/tmp/x' }, { signal: controller.signal });
    await vi.waitFor(() => expect(started).toHaveLength(1));
    controller.abort();
    expect(await answer).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    await vi.waitFor(() => expect(aborted).toEqual(['repo.check']));
    window.close();
  });

  it('ends a closed window’s subscriptions and calls', async () => {
    const run = startPtyRun('sub', ['sh', '-c', 'read x']);
    runs.set('sub', run);
    const window = electronWindow();
    const heard: unknown[] = [];
    const subscribed = await window.bridge.subscribeRebuild({ runId: 'sub' }, (event) =>
      heard.push(event),
    );
    expect(subscribed.ok).toBe(true);
    await vi.waitFor(() => expect(heard).toHaveLength(1));
    void window.bridge.checkRepo({ repo: '/tmp/y' });
    await vi.waitFor(() => expect(started).toHaveLength(2));
    window.close();
    await vi.waitFor(() => expect(aborted).toHaveLength(2));
    run.write('\r');
    await run.done;
    expect(heard, 'the closed window hears nothing more').toHaveLength(1);
  });
});
