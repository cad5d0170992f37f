import type { EventName, Result } from '../../common';
import { type Bridge, CHANNEL_METHODS, type EventListener } from '../../common/bridge';

interface Reply {
  id: number | string | null;
  result: Result<unknown>;
}

interface Pushed {
  event: EventName;
  payload: unknown;
}

const RETRY_FIRST_MS = 250;
const RETRY_MAX_MS = 5_000;

function connectionLost(): Result<never> {
  return {
    ok: false,
    error: {
      code: 'INTERNAL',
      message: 'The connection to Nixstrap was lost before it answered.',
      hint: 'Check that `nixstrap serve` is still running; this page reconnects by itself. Then try again.',
    },
  };
}

/**
 * Browser mode: every call is one JSON message on a WebSocket to the serving origin, matched to
 * its reply by id. The socket reconnects with backoff; calls made while it is down wait for it.
 */
export function wsBridge(url: string): Bridge {
  let socket: WebSocket | null = null;
  let nextId = 1;
  let retryMs = RETRY_FIRST_MS;
  const pending = new Map<number, (result: Result<unknown>) => void>();
  const unsent = new Map<number, string>();
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();

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
    } else if (typeof message.event === 'string') {
      for (const listener of listeners.get(message.event) ?? []) listener(message.payload);
    }
  }

  function connect(): WebSocket {
    const ws = new WebSocket(url);
    ws.addEventListener('open', () => {
      retryMs = RETRY_FIRST_MS;
      for (const message of unsent.values()) ws.send(message);
      unsent.clear();
    });
    ws.addEventListener('message', (event) => deliver(String(event.data)));
    ws.addEventListener('close', () => {
      socket = null;
      // Calls already sent died with the socket; calls not yet sent wait for the next one.
      for (const [id, resolve] of pending) {
        if (!unsent.has(id)) {
          pending.delete(id);
          resolve(connectionLost());
        }
      }
      if (pending.size > 0 || listeners.size > 0) {
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

  function call(channel: string, request: unknown): Promise<Result<unknown>> {
    const id = nextId++;
    const message = JSON.stringify({ id, channel, request: request ?? {} });
    return new Promise((resolve) => {
      pending.set(id, resolve);
      const ws = ensureSocket();
      if (ws.readyState === WebSocket.OPEN) ws.send(message);
      else unsent.set(id, message);
    });
  }

  const methods = Object.fromEntries(
    Object.entries(CHANNEL_METHODS).map(([channel, method]) => [
      method,
      (request: unknown) => call(channel, request),
    ]),
  );

  function onEvent<E extends EventName>(event: E, listener: EventListener<E>): () => void {
    const set = listeners.get(event) ?? new Set();
    const untyped = listener as (payload: unknown) => void;
    set.add(untyped);
    listeners.set(event, set);
    ensureSocket();
    return () => {
      set.delete(untyped);
      if (set.size === 0) listeners.delete(event);
    };
  }

  return { ...methods, onEvent } as unknown as Bridge;
}
