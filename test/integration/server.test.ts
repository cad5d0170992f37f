import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createApi } from '../../main/api';
import { type RunningServer, startServer } from '../../main/server';

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

let server: RunningServer;
let workDir: string;
let origin: string;
const refusals: string[] = [];

function get(path: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: server.port,
        path,
        method: 'GET',
        headers: { host: `127.0.0.1:${server.port}`, ...headers },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function sessionCookie(): Promise<string> {
  const reply = await get(`/?token=${server.token}`);
  const cookie = reply.headers['set-cookie']?.[0];
  if (!cookie) throw new Error('no session cookie');
  return cookie.split(';')[0] as string;
}

/** Resolves with the HTTP status the server refused the upgrade with, or 101 when it accepted. */
function upgradeStatus(headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws`, { headers });
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
    });
    ws.on('error', reject);
  });
}

function openSocket(cookie: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws`, { headers: { cookie, origin } });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function nextMessage(ws: WebSocket): Promise<{
  id: unknown;
  result: { ok: boolean; value?: unknown; error?: { code: string; message: string } };
}> {
  return new Promise((resolve) => ws.once('message', (data) => resolve(JSON.parse(String(data)))));
}

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'nixstrap-server-'));
  const rendererDir = join(workDir, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Nixstrap</title>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'export {};');
  writeFileSync(join(workDir, 'secret.txt'), 'outside the renderer');
  server = await startServer({
    api: createApi({ shell: 'browser', dataDir: join(workDir, 'data') }),
    rendererDir,
    log: (line) => refusals.push(line),
  });
  origin = `http://127.0.0.1:${server.port}`;
});

afterAll(async () => {
  await server?.close();
  rmSync(workDir, { recursive: true, force: true });
});

describe('browser mode listens on loopback only, on a fresh port', () => {
  it('binds 127.0.0.1 by default and prints that address with the token', () => {
    expect(server.host).toBe('127.0.0.1');
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

describe('browser mode requires the launch token', () => {
  it('refuses a request without a token with 401 and one line', async () => {
    const reply = await get('/');
    expect(reply.status).toBe(401);
    expect(reply.body.trim().split('\n')).toHaveLength(1);
    expect(reply.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses a wrong token in the URL, the cookie or the Authorization header', async () => {
    const wrong = `${server.token.slice(0, -1)}x`;
    expect((await get(`/?token=${wrong}`)).status).toBe(401);
    expect((await get('/', { cookie: `nixstrap_token_${server.port}=${wrong}` })).status).toBe(401);
    expect((await get('/', { authorization: `Bearer ${wrong}` })).status).toBe(401);
    expect((await get('/assets/app.js')).status).toBe(401);
  });

  it('swaps the token in the URL for an HttpOnly cookie and redirects to a clean address', async () => {
    const reply = await get(`/?token=${server.token}`);
    expect(reply.status).toBe(302);
    expect(reply.headers.location).toBe('/');
    const cookie = reply.headers['set-cookie']?.[0] ?? '';
    expect(cookie).toContain(`nixstrap_token_${server.port}=${server.token}`);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/');
  });

  it('serves the app with the cookie or a bearer token, with strict headers', async () => {
    const page = await get('/', { cookie: await sessionCookie() });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'",
    );
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['access-control-allow-origin']).toBeUndefined();
    const script = await get('/assets/app.js', { authorization: `Bearer ${server.token}` });
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
  });

  it('never serves files outside the renderer folder', async () => {
    const cookie = await sessionCookie();
    for (const path of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/%00',
    ]) {
      const reply = await get(path, { cookie });
      expect(reply.status, path).toBe(404);
      expect(reply.body).not.toContain('outside the renderer');
    }
  });

  it('refuses a WebSocket without the token', async () => {
    expect(await upgradeStatus({ origin })).toBe(401);
    expect(await upgradeStatus({ origin, cookie: await sessionCookie() })).toBe(101);
  });
});

describe('browser mode refuses other sites and rebound names', () => {
  it('answers 403 to a foreign Origin over HTTP', async () => {
    const cookie = await sessionCookie();
    expect((await get('/', { cookie, origin: 'http://evil.example' })).status).toBe(403);
    expect((await get('/', { cookie, origin: `http://127.0.0.1:${server.port + 1}` })).status).toBe(
      403,
    );
    expect((await get('/', { cookie, origin })).status).toBe(200);
  });

  it('answers 403 to a foreign Origin on the WebSocket upgrade', async () => {
    const cookie = await sessionCookie();
    expect(await upgradeStatus({ cookie, origin: 'http://evil.example' })).toBe(403);
    expect(await upgradeStatus({ cookie, origin: 'null' })).toBe(403);
  });

  it('answers 403 to a non-loopback Host header (DNS rebinding)', async () => {
    const cookie = await sessionCookie();
    expect((await get('/', { cookie, host: `evil.example:${server.port}` })).status).toBe(403);
    expect((await get('/', { cookie, host: '127.0.0.1' })).status).toBe(403);
    expect((await get('/', { cookie, host: `localhost:${server.port}` })).status).toBe(200);
    expect(await upgradeStatus({ cookie, host: `evil.example:${server.port}` })).toBe(403);
    expect(refusals.some((line) => line.includes('Host header'))).toBe(true);
  });
});

describe('WebSocket calls answer with typed results and survive bad input', () => {
  it('answers a call by its id', async () => {
    const ws = await openSocket(await sessionCookie());
    ws.send(JSON.stringify({ id: 1, channel: 'app.info', request: {} }));
    const reply = await nextMessage(ws);
    expect(reply.id).toBe(1);
    expect(reply.result).toMatchObject({ ok: true, value: { shell: 'browser' } });
    ws.close();
  });

  it('reports a payload that fails the schema as INVALID_REQUEST and keeps the socket open', async () => {
    const ws = await openSocket(await sessionCookie());
    ws.send(JSON.stringify({ id: 'bad', channel: 'hosts.list', request: { repo: 42 } }));
    const bad = await nextMessage(ws);
    expect(bad.id).toBe('bad');
    expect(bad.result.ok).toBe(false);
    expect(bad.result.error?.code).toBe('INVALID_REQUEST');
    expect(bad.result.error?.message).toContain('repo');
    expect(ws.readyState).toBe(WebSocket.OPEN);
    ws.send(JSON.stringify({ id: 2, channel: 'app.info', request: {} }));
    expect((await nextMessage(ws)).result.ok).toBe(true);
    ws.close();
  });

  it('answers garbage, non-objects and missing fields with a typed error, not a disconnect', async () => {
    const ws = await openSocket(await sessionCookie());
    for (const raw of ['{not json', '[1,2]', '"hello"', '{"channel":"app.info"}']) {
      ws.send(raw);
      const reply = await nextMessage(ws);
      expect(reply.id, raw).toBeNull();
      expect(reply.result.error?.code, raw).toBe('INVALID_REQUEST');
    }
    ws.send(JSON.stringify({ id: 3, request: {} }));
    expect((await nextMessage(ws)).result.error?.code).toBe('INVALID_REQUEST');
    ws.send(JSON.stringify({ id: 4, channel: 'no.such.channel', request: {} }));
    const unknown = await nextMessage(ws);
    expect(unknown.id).toBe(4);
    expect(unknown.result.error?.code).toBe('UNKNOWN_CHANNEL');
    ws.send(JSON.stringify({ id: 5, channel: 'generations.list', request: {} }));
    expect((await nextMessage(ws)).result.error?.code).toBe('NOT_YET_AVAILABLE');
    expect(ws.readyState).toBe(WebSocket.OPEN);
    ws.close();
  });
});

describe('browser mode warns when told to listen beyond loopback', () => {
  it('logs a warning for a non-loopback bind address', async () => {
    const lines: string[] = [];
    const wide = await startServer({
      api: createApi({ shell: 'browser', dataDir: join(workDir, 'data') }),
      rendererDir: join(workDir, 'renderer'),
      host: '0.0.0.0',
      log: (line) => lines.push(line),
    });
    try {
      expect(lines.join('\n')).toMatch(/WARNING: listening on 0\.0\.0\.0/);
      expect(wide.url).toBe(`http://127.0.0.1:${wide.port}/?token=${wide.token}`);
    } finally {
      await wide.close();
    }
  });
});
