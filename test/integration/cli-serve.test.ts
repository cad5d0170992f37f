import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type Serving, startServe } from '../e2e/serve';
import { nixstrap, repoRoot } from './helpers/cli';

let dataDir: string;
const running: Serving[] = [];

async function serve(options = { samePortAsLastTime: true }): Promise<Serving> {
  const server = await startServe(['--data-dir', dataDir], options);
  running.push(server);
  return server;
}

function statusOf(server: Serving, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    httpRequest({ host: '127.0.0.1', port: server.port, path }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });
}

function rawSend(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => {
      answer += chunk.toString();
    });
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
    socket.end(bytes);
  });
}

beforeAll(() => {
  expect(nixstrap(['help']).code).toBe(0);
});

afterEach(async () => {
  for (const server of running.splice(0)) await server.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('nixstrap serve keeps serving whatever a client sends', () => {
  it('survives a WebSocket upgrade to //x:99999 from a client without the token', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'nixstrap-serve-'));
    const server = await serve();
    const answer = await rawSend(
      server.port,
      `GET //x:99999 HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nConnection: Upgrade\r\n` +
        'Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
    );
    expect(answer).toMatch(/^HTTP\/1\.1 401 /);
    const token = new URL(server.url).hash.slice('#token='.length);
    expect(await statusOf(server, `/?token=${token}`)).toBe(200);
    expect(await statusOf(server, '/session')).toBe(401);
    expect(server.output()).toMatch(/refused WebSocket: missing or wrong token/);
    expect(server.output()).not.toMatch(/\n\s+at /);
  });
});

describe('expected failures stay sentences', () => {
  it('a refused plan or write answers the page and prints no stack trace in the terminal', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'nixstrap-serve-'));
    const server = await serve();
    const token = new URL(server.url).hash.slice('#token='.length);
    const answers = JSON.parse(
      readFileSync(join(repoRoot, 'test/fixtures/answers/workstation.json'), 'utf8'),
    );
    const calls = [
      {
        channel: 'plan.compute',
        request: { journey: 'add-host', repo: join(dataDir, 'none'), answers },
      },
      { channel: 'plan.apply', request: { journey: 'init', repo: '/proc/nixstrap-x', answers } },
      { channel: 'plan.apply', request: { journey: 'init', repo: '/etc/passwd/below', answers } },
      { channel: 'hosts.list', request: { repo: '/etc/passwd' } },
      { channel: 'repo.check', request: { repo: join(dataDir, 'none') } },
    ];
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const replies = await new Promise<{ result: { ok: boolean; error?: { code: string } } }[]>(
      (resolve, reject) => {
        const got: { result: { ok: boolean; error?: { code: string } } }[] = [];
        ws.on('open', () => {
          for (const [index, call] of calls.entries()) {
            ws.send(JSON.stringify({ id: index + 1, ...call }));
          }
        });
        ws.on('message', (data) => {
          got.push(JSON.parse(String(data)));
          if (got.length === calls.length) resolve(got);
        });
        ws.on('error', reject);
      },
    );
    ws.close();
    expect(replies.every((reply) => !reply.result.ok && reply.result.error?.code)).toBe(true);
    expect(server.output()).not.toMatch(/\n\s+at /);
    expect(server.output()).not.toMatch(/Error:/);
  });
});

describe('a restarted nixstrap serve comes back on the same port', () => {
  it('reuses the port of its last start, so pages keep their origin', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'nixstrap-serve-'));
    const first = await serve();
    await first.stop();
    const second = await serve();
    expect(second.port).toBe(first.port);
    expect(second.url).not.toBe(first.url);
  });

  it('picks a free port when the last one is taken', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'nixstrap-serve-'));
    const first = await serve();
    await first.stop();
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(first.port, '127.0.0.1', resolve));
    try {
      const second = await serve();
      expect(second.port).not.toBe(first.port);
    } finally {
      squatter.close();
    }
  });

  it('takes the port it is given over the remembered one', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'nixstrap-serve-'));
    const first = await serve();
    await first.stop();
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const wanted = (probe.address() as { port: number }).port;
    await new Promise((resolve) => probe.close(resolve));
    const server = await startServe(['--data-dir', dataDir, '--port', String(wanted)], {
      samePortAsLastTime: true,
    });
    running.push(server);
    expect(server.port).toBe(wanted);
  });
});
