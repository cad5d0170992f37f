import type { Result } from '../../common';
import {
  type Bridge,
  type CallOptions,
  CHANNEL_METHODS,
  type PreloadApi,
  TOPIC_METHODS,
} from '../../common/bridge';
import { cancelled } from './results';
import { createTerminalLink } from './terminal-link';

type Exposed = Record<string, (request: unknown, extra?: unknown) => Promise<Result<unknown>>>;

/**
 * Electron: the preload exposes one method per channel and per subscription, a way to cancel a
 * call by its id, and the MessagePort's terminal frames; the same terminal link as in browser
 * mode reads and writes those.
 */
export function ipcBridge(exposed: PreloadApi): Bridge {
  const raw = exposed as unknown as Exposed;
  let nextCallId = 1;

  function call(method: string, request: unknown, options?: CallOptions) {
    const signal = options?.signal;
    if (!signal) return raw[method]!(request);
    if (signal.aborted) return Promise.resolve(cancelled());
    const callId = nextCallId++;
    const aborted = new Promise<Result<never>>((resolve) =>
      signal.addEventListener(
        'abort',
        () => {
          exposed.cancelCall(callId);
          resolve(cancelled());
        },
        { once: true },
      ),
    );
    return Promise.race([raw[method]!(request, callId), aborted]);
  }

  const methods = Object.fromEntries(
    Object.values(CHANNEL_METHODS).map((method) => [
      method,
      (request: unknown, options?: CallOptions) => call(method, request, options),
    ]),
  );
  const topics = Object.fromEntries(
    Object.values(TOPIC_METHODS).map((method) => [method, raw[method]]),
  );

  const terminals = createTerminalLink((frame) => exposed.terminalSend(frame));
  exposed.onTerminalFrame((frame) => terminals.receive(frame));

  const attachTerminal: Bridge['attachTerminal'] = (runId, fromOffset, handlers) =>
    terminals.attach(runId, fromOffset, handlers);
  // IPC to this app's own main process cannot go offline.
  const onConnection: Bridge['onConnection'] = (listener) => {
    listener('online');
    return () => {};
  };
  return { ...methods, ...topics, attachTerminal, onConnection } as unknown as Bridge;
}
