import type { Result } from '../../common';
import { type Bridge, type CallOptions, CHANNEL_METHODS, TOPIC_METHODS } from '../../common/bridge';
import { cancelled, connectionLost } from './results';
import { createTerminalLink } from './terminal-link';

interface Reply {
  id: number | string | null;
  result: Result<unknown>;
}

interface Pushed {
  subscription: number;
  event: unknown;
}

interface Subscribed {
  topic: string;
  request: Record<string, unknown>;
  listener: (event: unknown) => void;
  /** The last sequence number heard; a new connection resumes after it. */
  lastSeq: number | null;
}

const RETRY_FIRST_MS = 250;
const RETRY_MAX_MS = 5_000;

/**
 * Browser mode: every call is one JSON message on a WebSocket to the serving origin, matched to
 * its reply by id. Subscriptions and terminals live on the same socket; terminal output and
 * keystrokes travel as binary frames. The socket reconnects with backoff; calls made while it
 * is down wait for it, and subscriptions and terminals pick up where they were.
 */
export function wsBridge(url: string): Bridge {
  let socket: WebSocket | null = null;
  let connectedBefore = false;
  let nextId = 1;
  let retryMs = RETRY_FIRST_MS;
  const pending = new Map<number, (result: Result<unknown>) => void>();
  const unsent = new Map<number, string>();
  const subscriptions = new Map<number, Subscribed>();
  const terminals = createTerminalLink((frame) => {
    if (socket?.readyState === WebSocket.OPEN) socket.send(frame);
  });

  function deliver(raw: string): void {
    let message: Partial<Reply & Pushed>;
    try {
      message = JSON.parse(raw) as Partial<Reply & Pushed>;
    } catch {
      return;
    }
    if (typeof message.id === 'number' && message.result) {
      const resolve = pending.get(message.id);
      pending.delete(message.id);
      resolve?.(message.result);
    } else if (typeof message.subscription === 'number') {
      const subscribed = subscriptions.get(message.subscription);
      if (!subscribed) return;
      const seq = (message.event as { seq?: unknown } | null)?.seq;
      if (typeof seq === 'number') subscribed.lastSeq = seq;
      subscribed.listener(message.event);
    }
  }

  function resubscribe(ws: WebSocket): void {
    for (const [id, subscribed] of subscriptions) {
      if (unsent.has(id)) continue;
      const fromSeq =
        subscribed.lastSeq === null ? subscribed.request.fromSeq : subscribed.lastSeq + 1;
      const request = { ...subscribed.request, fromSeq };
      ws.send(JSON.stringify({ id, subscribe: subscribed.topic, request }));
    }
  }

  function connect(): WebSocket {
    const ws = new WebSocket(url);
    ws.binaryType = 'arraybuffer';
    ws.addEventListener('open', () => {
      retryMs = RETRY_FIRST_MS;
      if (connectedBefore) resubscribe(ws);
      connectedBefore = true;
      // Terminals attached while the socket was down (or lost with the last one) attach now.
      terminals.reconnected();
      for (const message of unsent.values()) ws.send(message);
      unsent.clear();
    });
    ws.addEventListener('message', (event) => {
      if (event.data instanceof ArrayBuffer) terminals.receive(new Uint8Array(event.data));
      else deliver(String(event.data));
    });
    ws.addEventListener('close', () => {
      socket = null;
      // Calls already sent died with the socket; calls not yet sent wait for the next one.
      for (const [id, resolve] of pending) {
        if (!unsent.has(id)) {
          pending.delete(id);
          resolve(connectionLost());
        }
      }
      if (pending.size > 0 || subscriptions.size > 0 || terminals.active) {
        setTimeout(ensureSocket, retryMs);
        retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
      }
    });
    return ws;
  }

  function ensureSocket(): WebSocket {
    socket ??= connect();
    return socket;
  }

  function post(id: number, message: string): void {
    const ws = ensureSocket();
    if (ws.readyState === WebSocket.OPEN) ws.send(message);
    else unsent.set(id, message);
  }

  function cancel(id: number): void {
    if (unsent.delete(id)) return;
    if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ cancel: id }));
  }

  function call(
    channel: string,
    request: unknown,
    options?: CallOptions,
  ): Promise<Result<unknown>> {
    const signal = options?.signal;
    if (signal?.aborted) return Promise.resolve(cancelled());
    const id = nextId++;
    return new Promise((resolve) => {
      pending.set(id, resolve);
      signal?.addEventListener(
        'abort',
        () => {
          if (!pending.delete(id)) return;
          cancel(id);
          resolve(cancelled());
        },
        { once: true },
      );
      post(id, JSON.stringify({ id, channel, request: request ?? {} }));
    });
  }

  async function subscribe(
    topic: string,
    request: Record<string, unknown>,
    listener: (event: unknown) => void,
  ): Promise<Result<() => void>> {
    const id = nextId++;
    // Registered before the reply, so no event sent right after it is missed.
    subscriptions.set(id, { topic, request, listener, lastSeq: null });
    const result = await new Promise<Result<unknown>>((resolve) => {
      pending.set(id, resolve);
      post(id, JSON.stringify({ id, subscribe: topic, request }));
    });
    if (!result.ok) {
      subscriptions.delete(id);
      return result;
    }
    return {
      ok: true,
      value: () => {
        if (subscriptions.delete(id)) cancel(id);
      },
    };
  }

  const methods = Object.fromEntries(
    Object.entries(CHANNEL_METHODS).map(([channel, method]) => [
      method,
      (request: unknown, options?: CallOptions) => call(channel, request, options),
    ]),
  );
  const topics = Object.fromEntries(
    Object.entries(TOPIC_METHODS).map(([topic, method]) => [
      method,
      (request: Record<string, unknown>, listener: (event: unknown) => void) =>
        subscribe(topic, request, listener),
    ]),
  );

  const attachTerminal: Bridge['attachTerminal'] = (runId, fromOffset, handlers) => {
    ensureSocket();
    return terminals.attach(runId, fromOffset, handlers);
  };
  return { ...methods, ...topics, attachTerminal } as unknown as Bridge;
}
