import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket as NodeWebSocket, WebSocketServer } from 'ws';
import type { ConnectionState } from '../../common/bridge';
import { keyFromProtocols } from '../../common/browser-key';
import { wsBridge } from '../../renderer/bridge/ws';

/**
 * The browser bridge against a real HTTP + WebSocket server on loopback. Node 20 has no global
 * WebSocket, so the `ws` client (same event API as the browser's) stands in for the browser's.
 */
let http: Server;
let sockets: WebSocketServer;
let port = 0;
let connections = 0;
/** What the server does with the next call: answer, drop the connection, or stay silent. */
let mode: 'answer' | 'drop-next' | 'silent' = 'answer';
let keyAccepted = true;
/** When set, the server takes only this key, as `nixstrap serve` does. */
let goodKey: string | null = null;
const received: string[] = [];

async function listen(onPort = 0): Promise<void> {
  http = createServer((req, res) => {
    const presented = req.headers.authorization?.slice('Bearer '.length);
    const accepted = keyAccepted && (goodKey === null || presented === goodKey);
    res.writeHead(req.url === '/session' && accepted ? 204 : 401);
    res.end();
  });
  sockets = new WebSocketServer({ noServer: true });
  http.on('upgrade', (req, socket, head) => {
    const offered = req.headers['sec-websocket-protocol'];
    if (!keyAccepted || (goodKey !== null && keyFromProtocols(offered) !== goodKey)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => {
      connections += 1;
      ws.on('message', (raw) => {
        const message = JSON.parse(String(raw)) as { id: number; channel: string; ping?: number };
        if (mode === 'silent') return;
        // The server's socket answers pings itself, as main/server's session does.
        if (message.ping !== undefined) {
          ws.send(JSON.stringify({ pong: message.ping }));
          return;
        }
        const { id, channel } = message;
        received.push(channel);
        if (mode === 'drop-next') {
          mode = 'answer';
          ws.terminate();
          return;
        }
        ws.send(JSON.stringify({ id, result: { ok: true, value: { channel } } }));
      });
    });
  });
  await new Promise<void>((resolve) => http.listen(onPort, '127.0.0.1', resolve));
  port = (http.address() as AddressInfo).port;
}

async function stop(): Promise<void> {
  for (const client of sockets.clients) client.terminate();
  sockets.close();
  http.closeAllConnections();
  await new Promise<void>((resolve) => http.close(() => resolve()));
}

const bridges: ReturnType<typeof wsBridge>[] = [];

function bridge(
  timeouts: { timeoutMs?: number; silenceMs?: number } = {},
  key: () => string | null = () => null,
) {
  const made = wsBridge({
    socketUrl: `ws://127.0.0.1:${port}/ws`,
    sessionUrl: `http://127.0.0.1:${port}/session`,
    key,
    ...timeouts,
  });
  bridges.push(made);
  return made;
}

function states(subject: ReturnType<typeof bridge>): ConnectionState[] {
  const seen: ConnectionState[] = [];
  subject.onConnection((state) => seen.push(state));
  return seen;
}

beforeEach(async () => {
  (globalThis as { WebSocket?: unknown }).WebSocket = NodeWebSocket;
  connections = 0;
  mode = 'answer';
  keyAccepted = true;
  goodKey = null;
  received.length = 0;
  await listen();
});

afterEach(async () => {
  for (const made of bridges.splice(0)) made.close();
  await stop();
});

describe('calls and replies', () => {
  it('matches each reply to its call, whatever order they are made in', async () => {
    const subject = bridge();
    const [info, facts] = await Promise.all([subject.appInfo({}), subject.detectFacts({})]);
    expect(info).toEqual({ ok: true, value: { channel: 'app.info' } });
    expect(facts).toEqual({ ok: true, value: { channel: 'facts.detect' } });
    expect(connections).toBe(1);
  });

  it('asks a read again on a new connection when the first one broke before the answer', async () => {
    const subject = bridge();
    expect((await subject.appInfo({})).ok).toBe(true);
    mode = 'drop-next';
    expect(await subject.listHosts({ repo: '/tmp/r' })).toEqual({
      ok: true,
      value: { channel: 'hosts.list' },
    });
    expect(received.filter((channel) => channel === 'hosts.list')).toHaveLength(2);
    expect(connections).toBe(2);
  });

  it('never repeats a write behind the user’s back: a broken apply is reported, once', async () => {
    const subject = bridge();
    expect((await subject.appInfo({})).ok).toBe(true);
    mode = 'drop-next';
    const lost = await subject.applyPlan({
      journey: 'init',
      repo: '/tmp/r',
      answers: {},
      planId: 'reviewed-plan',
    });
    expect(lost).toMatchObject({
      ok: false,
      error: { code: 'CONNECTION_LOST', hint: expect.stringMatching(/show the plan again/) },
    });
    await subject.appInfo({});
    expect(received.filter((channel) => channel === 'plan.apply')).toHaveLength(1);
  });

  it('gives up on a call that gets no answer, with a sentence', async () => {
    const subject = bridge({ timeoutMs: 300, silenceMs: 60_000 });
    expect((await subject.appInfo({})).ok).toBe(true);
    mode = 'silent';
    expect(await subject.listHosts({ repo: '/tmp/r' })).toMatchObject({
      ok: false,
      error: { code: 'TIMED_OUT', message: expect.stringMatching(/did not answer within/) },
    });
  });
});

describe('the connection state tells the truth', () => {
  it('goes online, offline when the server stops, and online again when it is back', async () => {
    const subject = bridge();
    const seen = states(subject);
    await expect.poll(() => seen.at(-1)).toBe('online');
    const samePort = port;
    await stop();
    await expect.poll(() => seen.at(-1)).toBe('offline');
    await listen(samePort);
    await expect.poll(() => seen.at(-1), { timeout: 5_000 }).toBe('online');
    expect((await subject.appInfo({})).ok).toBe(true);
  });

  it('calls made while offline wait and are answered once the server is back', async () => {
    const subject = bridge();
    const seen = states(subject);
    await expect.poll(() => seen.at(-1)).toBe('online');
    const samePort = port;
    await stop();
    await expect.poll(() => seen.at(-1)).toBe('offline');
    const waiting = subject.detectFacts({});
    await listen(samePort);
    expect(await waiting).toEqual({ ok: true, value: { channel: 'facts.detect' } });
  });

  it('counts a server that stops answering on an open socket as offline, and back when it answers', async () => {
    const subject = bridge({ silenceMs: 1_500 });
    const seen = states(subject);
    await expect.poll(() => seen.at(-1)).toBe('online');
    mode = 'silent';
    await expect.poll(() => seen.at(-1), { timeout: 5_000 }).toBe('offline');
    mode = 'answer';
    await expect.poll(() => seen.at(-1), { timeout: 5_000 }).toBe('online');
    expect(connections).toBe(1);
  });

  it('is locked out when the server answers but refuses the key, and in again once it accepts', async () => {
    keyAccepted = false;
    const subject = bridge();
    const seen = states(subject);
    await expect.poll(() => seen.at(-1), { timeout: 5_000 }).toBe('locked-out');
    keyAccepted = true;
    await expect.poll(() => seen.at(-1), { timeout: 5_000 }).toBe('online');
  });

  it('presents the key the page holds at each connection, so a key stored since lets it in', async () => {
    goodKey = 'new-key';
    let held = 'old-key';
    const subject = bridge({}, () => held);
    const seen = states(subject);
    // The old key is refused on the socket and by /session: the page knows it is locked out.
    await expect.poll(() => seen.at(-1), { timeout: 5_000 }).toBe('locked-out');
    // Another tab stores the new key; the next attempt offers it, and in it goes.
    held = 'new-key';
    await expect.poll(() => seen.at(-1), { timeout: 5_000 }).toBe('online');
    expect((await subject.appInfo({})).ok).toBe(true);
  });
});
