import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket as NodeWebSocket, WebSocketServer } from 'ws';
import { wsBridge } from '../../renderer/bridge/ws';

/**
 * The browser bridge against a real WebSocket server on loopback. Node 20 has no global
 * WebSocket, so the `ws` client (same event API as the browser's) stands in for the browser's.
 */
let server: WebSocketServer;
let url: string;
let connections = 0;
let dropNextCall = false;

beforeEach(async () => {
  (globalThis as { WebSocket?: unknown }).WebSocket = NodeWebSocket;
  connections = 0;
  dropNextCall = false;
  server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  server.on('connection', (socket) => {
    connections += 1;
    socket.on('message', (raw) => {
      const { id, channel } = JSON.parse(String(raw)) as { id: number; channel: string };
      if (dropNextCall) {
        dropNextCall = false;
        socket.terminate();
        return;
      }
      socket.send(JSON.stringify({ id, result: { ok: true, value: { channel } } }));
    });
  });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws`;
});

afterEach(async () => {
  for (const client of server.clients) client.terminate();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('the browser bridge over a WebSocket', () => {
  it('matches each reply to its call, whatever order they are made in', async () => {
    const bridge = wsBridge(url);
    const [info, facts] = await Promise.all([bridge.appInfo({}), bridge.detectFacts({})]);
    expect(info).toEqual({ ok: true, value: { channel: 'app.info' } });
    expect(facts).toEqual({ ok: true, value: { channel: 'facts.detect' } });
    expect(connections).toBe(1);
  });

  it('answers a call lost with the connection as a typed error, then reconnects for the next', async () => {
    const bridge = wsBridge(url);
    expect((await bridge.appInfo({})).ok).toBe(true);

    dropNextCall = true;
    const lost = await bridge.listHosts({ repo: '/tmp/r' });
    expect(lost).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/connection .* was lost/) },
    });

    const again = await bridge.listHosts({ repo: '/tmp/r' });
    expect(again).toEqual({ ok: true, value: { channel: 'hosts.list' } });
    expect(connections).toBe(2);
  });
});
