import type { Channel, EventName, Result } from '../../common';
import {
  type Bridge,
  CHANNEL_METHODS,
  type ConnectionState,
  type EventListener,
  REPEATABLE_CHANNELS,
} from '../../common/bridge';

interface Reply {
  id: number | string | null;
  result: Result<unknown>;
}

interface Pushed {
  event: EventName;
  payload: unknown;
}

interface PendingCall {
  channel: string;
  message: string;
  /** Written to a socket that may since have died with it. */
  sent: boolean;
  resolve(result: Result<unknown>): void;
  timer: ReturnType<typeof setTimeout>;
}

export interface WsBridgeOptions {
  /** The API's WebSocket, e.g. ws://127.0.0.1:PORT/ws. */
  socketUrl: string;
  /** Answers 204 while this page's key is good, 401 once the server no longer accepts it. */
  sessionUrl: string;
  /** How long a call may wait for its reply; writing the repo may take longer. */
  timeoutMs?: number;
  applyTimeoutMs?: number;
  /** Silence on an open socket for this long means the server stopped answering. */
  silenceMs?: number;
}

const RETRY_FIRST_MS = 250;
const RETRY_MAX_MS = 2_000;
/** Long-running writes: the whole apply of a plan, a rebuild's start. */
const SLOW_CHANNELS: ReadonlySet<string> = new Set(['plan.apply', 'rebuild.start']);

function failure(code: 'CONNECTION_LOST' | 'TIMED_OUT', message: string, hint: string) {
  return { ok: false as const, error: { code, message, hint } };
}

function lostWhileChanging(channel: string): Result<never> {
  return failure(
    'CONNECTION_LOST',
    'The connection to Nixstrap broke before it said whether this step finished.',
    channel === 'plan.apply'
      ? 'When Nixstrap is reachable again, show the plan again: it tells what was written.'
      : 'When Nixstrap is reachable again, check the result before you try again.',
  );
}

function timedOut(seconds: number, state: ConnectionState): Result<never> {
  return state === 'online'
    ? failure(
        'TIMED_OUT',
        `Nixstrap did not answer within ${seconds} seconds.`,
        'It may still be working. Try again in a moment.',
      )
    : failure(
        'CONNECTION_LOST',
        `Nixstrap could not be reached for ${seconds} seconds.`,
        'Check that the terminal running nixstrap serve is still open, then try again.',
      );
}

/**
 * Browser mode: every call is one JSON message on a WebSocket to the serving origin, matched to
 * its reply by id. The bridge keeps one socket open, says truthfully whether the server answers
 * (silence on an open socket counts as offline, a refused key as locked out), reconnects by
 * itself, sends read-only calls again after a break, and never lets a call wait forever.
 */
export function wsBridge(options: WsBridgeOptions): Bridge & { close(): void } {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const applyTimeoutMs = options.applyTimeoutMs ?? 120_000;
  const silenceMs = options.silenceMs ?? 4_000;
  let socket: WebSocket | null = null;
  let state: ConnectionState = 'connecting';
  let nextId = 1;
  let retryMs = RETRY_FIRST_MS;
  let lastHeard = Date.now();
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  let closed = false;
  const pending = new Map<number, PendingCall>();
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const watchers = new Set<(state: ConnectionState) => void>();

  function setState(next: ConnectionState): void {
    if (next === state) return;
    state = next;
    for (const watcher of watchers) watcher(state);
  }

  function settle(id: number, result: Result<unknown>): void {
    const call = pending.get(id);
    if (!call) return;
    pending.delete(id);
    clearTimeout(call.timer);
    call.resolve(result);
  }

  function deliver(raw: string): void {
    lastHeard = Date.now();
    setState('online');
    let message: Partial<Reply & Pushed>;
    try {
      message = JSON.parse(raw) as Partial<Reply & Pushed>;
    } catch {
      return;
    }
    if (typeof message.id === 'number' && message.result) {
      settle(message.id, message.result);
    } else if (typeof message.event === 'string') {
      for (const listener of listeners.get(message.event) ?? []) listener(message.payload);
    }
  }

  function sendWaiting(ws: WebSocket): void {
    for (const call of pending.values()) {
      if (call.sent) continue;
      ws.send(call.message);
      call.sent = true;
    }
  }

  /** A refused upgrade looks like any other failure to a page; the session check tells them apart. */
  async function checkKey(): Promise<void> {
    try {
      const response = await fetch(options.sessionUrl, { cache: 'no-store' });
      if (response.status === 401 || response.status === 403) setState('locked-out');
    } catch {
      // Nothing answers at all: offline, as already shown.
    }
  }

  function scheduleReconnect(): void {
    if (reconnectTimer || closed) return;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null;
      connect();
    }, retryMs);
    retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
  }

  function connect(): void {
    const ws = new WebSocket(options.socketUrl);
    socket = ws;
    let opened = false;
    ws.addEventListener('open', () => {
      opened = true;
      retryMs = RETRY_FIRST_MS;
      lastHeard = Date.now();
      setState('online');
      sendWaiting(ws);
    });
    ws.addEventListener('message', (event) => deliver(String(event.data)));
    // Every failure also closes the socket; the close handler below does the work.
    ws.addEventListener('error', () => {});
    ws.addEventListener('close', () => {
      if (socket === ws) socket = null;
      for (const [id, call] of pending) {
        if (!call.sent) continue;
        // A read is asked again on the next socket; a change may have happened, so it is reported.
        if (REPEATABLE_CHANNELS.has(call.channel as Channel)) call.sent = false;
        else settle(id, lostWhileChanging(call.channel));
      }
      if (state !== 'locked-out') setState('offline');
      if (!opened) void checkKey();
      scheduleReconnect();
    });
  }

  // Some message every second keeps `lastHeard` fresh; a server that stops answering on an
  // open socket (paused, or a tunnel gone quiet) is then seen as offline within `silenceMs`.
  const heartbeat = setInterval(() => {
    const ws = socket;
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    if (Date.now() - lastHeard > silenceMs) setState('offline');
    ws.send(JSON.stringify({ id: 0, channel: 'app.info', request: {} }));
  }, 1_000);

  function call(channel: string, request: unknown): Promise<Result<unknown>> {
    const id = nextId++;
    const limit = SLOW_CHANNELS.has(channel) ? applyTimeoutMs : timeoutMs;
    return new Promise((resolve) => {
      pending.set(id, {
        channel,
        message: JSON.stringify({ id, channel, request: request ?? {} }),
        sent: false,
        resolve,
        timer: setTimeout(() => settle(id, timedOut(Math.round(limit / 1000), state)), limit),
      });
      if (socket?.readyState === WebSocket.OPEN) sendWaiting(socket);
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
    return () => {
      set.delete(untyped);
      if (set.size === 0) listeners.delete(event);
    };
  }

  function onConnection(watcher: (state: ConnectionState) => void): () => void {
    watchers.add(watcher);
    watcher(state);
    return () => watchers.delete(watcher);
  }

  /** Stops reconnecting and closes the socket: for a page that goes away, and for tests. */
  function close(): void {
    closed = true;
    clearInterval(heartbeat);
    if (reconnectTimer) clearTimeout(reconnectTimer);
    socket?.close();
  }

  connect();
  return { ...methods, onEvent, onConnection, close } as unknown as Bridge & { close(): void };
}
