import type { Channel, Result } from '../../common';
import {
  type Bridge,
  type CallOptions,
  CHANNEL_METHODS,
  type ConnectionState,
  REPEATABLE_CHANNELS,
  TOPIC_METHODS,
} from '../../common/bridge';
import { keyProtocol, SOCKET_PROTOCOL } from '../../common/browser-key';
import { keyAccepted } from './launch-key';
import { cancelled, lostWhileChanging, timedOut } from './results';
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

interface PendingCall {
  /** The channel of a call; null for a subscription request, which is safe to send again. */
  channel: string | null;
  message: string;
  /** Written to a socket (that may since have died with it). */
  sent: boolean;
  resolve(result: Result<unknown>): void;
  timer: ReturnType<typeof setTimeout>;
}

export interface WsBridgeOptions {
  /** The API's WebSocket, e.g. ws://127.0.0.1:PORT/ws. */
  socketUrl: string;
  /** Answers 204 while this page's key is good, 401 once the server no longer accepts it. */
  sessionUrl: string;
  /**
   * The launch key, asked again for every connection: a key another tab stored since (the user
   * opened the new address there) brings this page back too.
   */
  key?: () => string | null;
  /** How long a call may wait for its reply; writing the repo or starting a run may take longer. */
  timeoutMs?: number;
  slowTimeoutMs?: number;
  /** Silence on an open socket for this long means the server stopped answering. */
  silenceMs?: number;
}

const RETRY_FIRST_MS = 250;
const RETRY_MAX_MS = 2_000;
/**
 * Calls that may take longer than most: a write, a start, and a cancel of another process's run,
 * answered once that process has stopped Nix (SIGTERM after 5 s, SIGKILL after 10 s).
 */
const SLOW_CHANNELS: ReadonlySet<string> = new Set([
  'plan.apply',
  'rebuild.start',
  'rebuild.cancel',
]);

/**
 * Browser mode: every call is one JSON message on a WebSocket to the serving origin, matched to
 * its reply by id. Subscriptions and terminals live on the same socket; terminal output and
 * keystrokes travel as binary frames. The bridge keeps the socket open and says truthfully
 * whether the server answers (silence on an open socket counts as offline, a refused key as
 * locked out). It reconnects by itself: read-only calls and subscriptions are sent again,
 * terminals pick up where they were, a call that may have changed something is reported as
 * interrupted, never repeated; no call waits forever.
 */
export function wsBridge(options: WsBridgeOptions): Bridge & { close(): void } {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const slowTimeoutMs = options.slowTimeoutMs ?? 120_000;
  const silenceMs = options.silenceMs ?? 4_000;
  const currentKey = options.key ?? (() => null);
  let socket: WebSocket | null = null;
  let state: ConnectionState = 'connecting';
  let connectedBefore = false;
  let closed = false;
  let nextId = 1;
  let retryMs = RETRY_FIRST_MS;
  let lastHeard = Date.now();
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  const pending = new Map<number, PendingCall>();
  const subscriptions = new Map<number, Subscribed>();
  const watchers = new Set<(state: ConnectionState) => void>();
  const terminals = createTerminalLink((frame) => {
    if (socket?.readyState === WebSocket.OPEN) socket.send(frame);
  });

  function setState(next: ConnectionState): void {
    if (next === state) return;
    state = next;
    for (const watcher of watchers) watcher(state);
  }

  function heard(): void {
    lastHeard = Date.now();
    setState('online');
  }

  function settle(id: number, result: Result<unknown>): boolean {
    const call = pending.get(id);
    if (!call) return false;
    pending.delete(id);
    clearTimeout(call.timer);
    call.resolve(result);
    return true;
  }

  function deliver(raw: string): void {
    let message: Partial<Reply & Pushed>;
    try {
      message = JSON.parse(raw) as Partial<Reply & Pushed>;
    } catch {
      return;
    }
    if (typeof message.id === 'number' && message.result) {
      settle(message.id, message.result);
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
      // Not yet confirmed: its own request goes out again with the waiting calls.
      if (pending.has(id)) continue;
      const fromSeq =
        subscribed.lastSeq === null ? subscribed.request.fromSeq : subscribed.lastSeq + 1;
      const request = { ...subscribed.request, fromSeq };
      ws.send(JSON.stringify({ id, subscribe: subscribed.topic, request }));
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
    // null: nothing answers at all, offline, as already shown.
    if ((await keyAccepted(options.sessionUrl, currentKey())) === false) setState('locked-out');
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
    // Subprotocols, since a browser's WebSocket cannot set Authorization; the server answers with
    // the plain one only.
    const key = currentKey();
    const protocols = key === null ? [SOCKET_PROTOCOL] : [SOCKET_PROTOCOL, keyProtocol(key)];
    const ws = new WebSocket(options.socketUrl, protocols);
    ws.binaryType = 'arraybuffer';
    socket = ws;
    let opened = false;
    ws.addEventListener('open', () => {
      opened = true;
      retryMs = RETRY_FIRST_MS;
      heard();
      if (connectedBefore) resubscribe(ws);
      connectedBefore = true;
      // Terminals attached while the socket was down (or lost with the last one) attach now.
      terminals.reconnected();
      sendWaiting(ws);
    });
    ws.addEventListener('message', (event) => {
      heard();
      if (event.data instanceof ArrayBuffer) terminals.receive(new Uint8Array(event.data));
      else deliver(String(event.data));
    });
    // Every failure also closes the socket; the close handler below does the work.
    ws.addEventListener('error', () => {});
    ws.addEventListener('close', () => {
      if (socket === ws) socket = null;
      for (const [id, call] of pending) {
        if (!call.sent) continue;
        const repeatable =
          call.channel === null || REPEATABLE_CHANNELS.has(call.channel as Channel);
        if (repeatable) call.sent = false;
        else settle(id, lostWhileChanging(call.channel ?? ''));
      }
      if (state !== 'locked-out') setState('offline');
      if (!opened) void checkKey();
      scheduleReconnect();
    });
  }

  // A ping every second, answered by the server's socket itself, keeps `lastHeard` fresh; a
  // server that stops answering on an open socket (paused, or a tunnel gone quiet) is then seen
  // as offline within `silenceMs`.
  const heartbeat = setInterval(() => {
    const ws = socket;
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    if (Date.now() - lastHeard > silenceMs) setState('offline');
    ws.send(JSON.stringify({ ping: Date.now() }));
  }, 1_000);

  function post(id: number, channel: string | null, message: string, limit: number) {
    return new Promise<Result<unknown>>((resolve) => {
      pending.set(id, {
        channel,
        message,
        sent: false,
        resolve,
        timer: setTimeout(() => settle(id, timedOut(Math.round(limit / 1000), state)), limit),
      });
      if (socket?.readyState === WebSocket.OPEN) sendWaiting(socket);
    });
  }

  function cancel(id: number): void {
    const call = pending.get(id);
    const wasSent = call ? call.sent : true;
    if (call) {
      clearTimeout(call.timer);
      pending.delete(id);
    }
    if (wasSent && socket?.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify({ cancel: id }));
    }
  }

  function call(
    channel: string,
    request: unknown,
    callOptions?: CallOptions,
  ): Promise<Result<unknown>> {
    const signal = callOptions?.signal;
    if (signal?.aborted) return Promise.resolve(cancelled());
    const id = nextId++;
    const limit = SLOW_CHANNELS.has(channel) ? slowTimeoutMs : timeoutMs;
    const reply = post(id, channel, JSON.stringify({ id, channel, request: request ?? {} }), limit);
    if (!signal) return reply;
    const aborted = new Promise<Result<never>>((resolve) =>
      signal.addEventListener(
        'abort',
        () => {
          if (!pending.has(id)) return;
          cancel(id);
          resolve(cancelled());
        },
        { once: true },
      ),
    );
    return Promise.race([reply, aborted]);
  }

  async function subscribe(
    topic: string,
    request: Record<string, unknown>,
    listener: (event: unknown) => void,
  ): Promise<Result<() => void>> {
    const id = nextId++;
    // Registered before the reply, so no event sent right after it is missed.
    subscriptions.set(id, { topic, request, listener, lastSeq: null });
    const result = await post(
      id,
      null,
      JSON.stringify({ id, subscribe: topic, request }),
      timeoutMs,
    );
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
      (request: unknown, callOptions?: CallOptions) => call(channel, request, callOptions),
    ]),
  );
  const topics = Object.fromEntries(
    Object.entries(TOPIC_METHODS).map(([topic, method]) => [
      method,
      (request: Record<string, unknown>, listener: (event: unknown) => void) =>
        subscribe(topic, request, listener),
    ]),
  );

  const attachTerminal: Bridge['attachTerminal'] = (runId, fromOffset, handlers) =>
    terminals.attach(runId, fromOffset, handlers);

  const onConnection: Bridge['onConnection'] = (watcher) => {
    watchers.add(watcher);
    watcher(state);
    return () => {
      watchers.delete(watcher);
    };
  };

  /** Stops reconnecting and closes the socket: for a page that goes away, and for tests. */
  function close(): void {
    closed = true;
    clearInterval(heartbeat);
    if (reconnectTimer) clearTimeout(reconnectTimer);
    socket?.close();
  }

  connect();
  return { ...methods, ...topics, attachTerminal, onConnection, close } as unknown as Bridge & {
    close(): void;
  };
}
