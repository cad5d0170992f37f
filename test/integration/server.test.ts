import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
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
  it('answers a ping itself, so a page can tell a live server from a silent one', async () => {
    const ws = await openSocket(await sessionCookie());
    ws.send(JSON.stringify({ ping: 42 }));
    expect(await nextMessage(ws)).toEqual({ pong: 42 });
    ws.close();
  });

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
    // An engine failure (this machine has no such profile) is a typed error too.
    ws.send(
      JSON.stringify({
        id: 5,
        channel: 'generations.list',
        request: { profile: '/nonexistent/system' },
      }),
    );
    expect((await nextMessage(ws)).result.error?.code).toBe('PROFILE_NOT_FOUND');
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

/** Sends raw bytes and resolves with everything the server answers before it closes (or 3 s). */
function rawExchange(bytes: string | Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1');
    let answer = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(answer);
    }, 3_000);
    socket.on('data', (chunk) => {
      answer += chunk.toString('latin1');
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(answer);
    });
    socket.on('error', reject);
    socket.write(bytes);
  });
}

function upgradeRequest(path: string, extra = ''): string {
  return (
    `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nConnection: Upgrade\r\n` +
    `Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n${extra}\r\n`
  );
}

describe('the door holds against anything a client sends before it is let in', () => {
  async function stillServing(): Promise<void> {
    expect((await get('/', { cookie: await sessionCookie() })).status).toBe(200);
  }

  it('refuses a WebSocket upgrade to //x:99999 and keeps serving', async () => {
    const answer = await rawExchange(upgradeRequest('//x:99999'));
    expect(answer).toMatch(/^HTTP\/1\.1 401 /);
    await stillServing();
  });

  it('refuses the same upgrade with a good cookie as an unknown path, and keeps serving', async () => {
    const cookie = await sessionCookie();
    const answer = await rawExchange(upgradeRequest('//x:99999', `Cookie: ${cookie}\r\n`));
    expect(answer).toMatch(/^HTTP\/1\.1 404 /);
    await stillServing();
  });

  it.each([
    [
      'an HTTP request for //x:99999',
      `GET //x:99999 HTTP/1.1\r\nHost: 127.0.0.1:PORT\r\n\r\n`,
      401,
    ],
    ['an absolute-form target', `GET http://[::1/ HTTP/1.1\r\nHost: 127.0.0.1:PORT\r\n\r\n`, 401],
    [
      'a target of percent signs',
      `GET /%%%?token=%zz HTTP/1.1\r\nHost: 127.0.0.1:PORT\r\n\r\n`,
      401,
    ],
    ['an asterisk target', `OPTIONS * HTTP/1.1\r\nHost: 127.0.0.1:PORT\r\n\r\n`, 401],
    ['no Host header', 'GET / HTTP/1.1\r\n\r\n', 400],
    ['a request line that is no HTTP', 'HELLO THERE\r\n\r\n', 400],
    [
      'a cookie without a name',
      `GET / HTTP/1.1\r\nHost: 127.0.0.1:PORT\r\nCookie: =;=x; ;\r\n\r\n`,
      401,
    ],
    [
      'an upgrade without a key',
      `GET /ws HTTP/1.1\r\nHost: 127.0.0.1:PORT\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n`,
      401,
    ],
    [
      'headers larger than 16 KiB',
      `GET / HTTP/1.1\r\nHost: 127.0.0.1:PORT\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      431,
    ],
  ])('answers %s and keeps serving', async (_what, raw, status) => {
    const answer = await rawExchange(raw.replaceAll('PORT', String(server.port)));
    expect(answer).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
    await stillServing();
  });

  it('refuses a large body before the token and closes the connection without reading it', async () => {
    const head = `POST /ws HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nContent-Length: 104857600\r\n\r\n`;
    const answer = await rawExchange(Buffer.concat([Buffer.from(head), Buffer.alloc(64 * 1024)]));
    expect(answer).toMatch(/^HTTP\/1\.1 401 /);
    expect(answer).toMatch(/connection: close/i);
    await stillServing();
  });

  it('closes a socket that sends a message larger than 1 MiB, and the next one works', async () => {
    const cookie = await sessionCookie();
    const ws = await openSocket(cookie);
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send(
      JSON.stringify({ id: 1, channel: 'app.info', request: { pad: 'x'.repeat(1_100_000) } }),
    );
    expect(await closed).toBe(1009);
    const next = await openSocket(cookie);
    next.send(JSON.stringify({ id: 2, channel: 'app.info', request: {} }));
    expect((await nextMessage(next)).result.ok).toBe(true);
    next.close();
  });
});

describe('a download the client abandons closes its file', () => {
  function openFiles(): number {
    return readdirSync('/proc/self/fd').length;
  }

  it('leaves no file open after 20 aborted downloads', async () => {
    writeFileSync(join(workDir, 'renderer', 'assets', 'big.js'), Buffer.alloc(32 * 1024 * 1024));
    const cookie = await sessionCookie();
    const before = openFiles();
    for (let i = 0; i < 20; i += 1) {
      await new Promise<void>((resolve, reject) => {
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port: server.port,
            path: '/assets/big.js',
            headers: { host: `127.0.0.1:${server.port}`, cookie },
          },
          (res) => {
            res.once('data', () => {
              req.destroy();
              resolve();
            });
          },
        );
        req.on('error', (error) =>
          (error as NodeJS.ErrnoException).code === 'ECONNRESET' ? resolve() : reject(error),
        );
        req.end();
      });
    }
    await expect.poll(openFiles, { timeout: 5_000 }).toBeLessThanOrEqual(before + 2);
  });
});

describe('a browser without the right key gets a page that says where the address comes from', () => {
  const page = { accept: 'text/html,application/xhtml+xml' };

  it('explains a missing key and shows the line nixstrap serve printed', async () => {
    const reply = await get('/', page);
    expect(reply.status).toBe(401);
    expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(reply.headers['content-security-policy']).toContain("script-src 'self'");
    expect(reply.body).toContain('data-refusal="missing"');
    expect(reply.body).toContain(`Nixstrap is running at http://127.0.0.1:${server.port}/?token=…`);
    expect(reply.body).not.toContain(server.token);
    expect(reply.body).not.toMatch(/<script/i);
  });

  it('tells a key from an earlier start (a stale cookie) apart from a wrong one in the address', async () => {
    const stale = await get('/', { ...page, cookie: `nixstrap_token_${server.port}=old` });
    expect(stale.body).toContain('data-refusal="stale"');
    expect(stale.body).toContain('Nixstrap was restarted');
    expect(stale.body).toContain('answers you gave here are kept');
    const wrong = await get('/?token=nope', page);
    expect(wrong.body).toContain('data-refusal="wrong"');
  });

  it('answers scripts and assets with one line of text, as before', async () => {
    const reply = await get('/assets/app.js', { accept: '*/*' });
    expect(reply.status).toBe(401);
    expect(reply.headers['content-type']).toBe('text/plain; charset=utf-8');
  });

  it('redirects a good key to / whatever path it came with', async () => {
    const reply = await get(`//elsewhere.example/x?token=${server.token}`);
    expect(reply.status).toBe(302);
    expect(reply.headers.location).toBe('/');
  });

  it('answers /session with 204 for a good key and 401 for a stale one', async () => {
    expect((await get('/session', { cookie: await sessionCookie() })).status).toBe(204);
    expect((await get('/session', { cookie: `nixstrap_token_${server.port}=old` })).status).toBe(
      401,
    );
  });
});
