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

/** How the page presents its key over HTTP. */
function bearer(token = server.token): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

/** The subprotocols a page's WebSocket offers: the plain one, and the one carrying its key. */
function keyProtocols(token = server.token): string[] {
  return ['nixstrap', `nixstrap.token.${token}`];
}

/** Resolves with the HTTP status the server refused the upgrade with, or 101 when it accepted. */
function upgradeStatus(
  headers: Record<string, string>,
  protocols: string[] = keyProtocols(),
): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws`, protocols, { headers });
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

/** A WebSocket as the page opens it: its key offered as a subprotocol, from its own origin. */
function openSocket(): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws`, keyProtocols(), {
      headers: { origin },
    });
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
  it('binds 127.0.0.1 by default and prints that address with the token in its fragment', () => {
    expect(server.host).toBe('127.0.0.1');
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/#token=${server.token}`);
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

describe('browser mode requires the launch token for everything but the public renderer', () => {
  it('serves the app and its files without a token, with strict headers', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'",
    );
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['access-control-allow-origin']).toBeUndefined();
    const script = await get('/assets/app.js');
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
  });

  it('refuses /session and any other path without a token with 401 and one line', async () => {
    for (const path of ['/session', '/ws', '/no-such-file.js']) {
      const reply = await get(path);
      expect(reply.status, path).toBe(401);
      expect(reply.body.trim().split('\n'), path).toHaveLength(1);
      expect(reply.headers['access-control-allow-origin'], path).toBeUndefined();
    }
    expect((await get('/session', bearer())).status).toBe(204);
    expect((await get('/no-such-file.js', bearer())).status).toBe(404);
  });

  it('refuses a wrong token in the Authorization header', async () => {
    const wrong = `${server.token.slice(0, -1)}x`;
    expect((await get('/session', bearer(wrong))).status).toBe(401);
  });

  it('takes the token from neither a cookie nor the address: those reach other servers and logs', async () => {
    const cookie = { cookie: `nixstrap_token_${server.port}=${server.token}` };
    expect((await get('/session', cookie)).status).toBe(401);
    expect((await get(`/session?token=${server.token}`)).status).toBe(401);
    expect(await upgradeStatus({ origin, ...cookie }, ['nixstrap'])).toBe(401);
  });

  it('sets no cookie and redirects nowhere, also for an address of the older ?token= form', async () => {
    for (const [path, headers] of [
      ['/', {}],
      [`/?token=${server.token}`, {}],
      ['/session', bearer()],
    ] as const) {
      const reply = await get(path, headers);
      expect(reply.headers['set-cookie'], path).toBeUndefined();
      expect(reply.headers.location, path).toBeUndefined();
      expect(reply.status, path).toBe(path === '/session' ? 204 : 200);
    }
  });

  it('never serves files outside the renderer folder', async () => {
    for (const path of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/%00',
    ]) {
      const reply = await get(path, bearer());
      expect(reply.status, path).toBe(404);
      expect(reply.body).not.toContain('outside the renderer');
    }
  });

  it('refuses a WebSocket without the token or with a wrong one', async () => {
    expect(await upgradeStatus({ origin }, ['nixstrap'])).toBe(401);
    expect(await upgradeStatus({ origin }, [])).toBe(401);
    expect(await upgradeStatus({ origin }, keyProtocols('nope'))).toBe(401);
    expect(await upgradeStatus({ origin })).toBe(101);
    expect(await upgradeStatus({ origin, ...bearer() }, [])).toBe(101);
  });

  it('answers a WebSocket with the plain subprotocol, never the one carrying the token', async () => {
    const protocols = [`nixstrap.token.${server.token}`, 'nixstrap'];
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws`, protocols, {
      headers: { origin },
    });
    const answered = await new Promise<string | undefined>((resolve, reject) => {
      ws.once('upgrade', (res) => resolve(res.headers['sec-websocket-protocol']));
      ws.once('error', reject);
    });
    expect(answered).toBe('nixstrap');
    expect(ws.protocol).toBe('nixstrap');
    ws.close();
  });
});

describe('browser mode refuses other sites and rebound names', () => {
  it('answers 403 to a foreign Origin over HTTP, on the public files too', async () => {
    for (const path of ['/', '/assets/app.js', '/session']) {
      const foreign = { ...bearer(), origin: 'http://evil.example' };
      expect((await get(path, foreign)).status, path).toBe(403);
      const otherPort = { ...bearer(), origin: `http://127.0.0.1:${server.port + 1}` };
      expect((await get(path, otherPort)).status, path).toBe(403);
    }
    expect((await get('/', { origin })).status).toBe(200);
    expect((await get('/session', { ...bearer(), origin })).status).toBe(204);
  });

  it('answers 403 to a foreign Origin on the WebSocket upgrade', async () => {
    expect(await upgradeStatus({ origin: 'http://evil.example' })).toBe(403);
    expect(await upgradeStatus({ origin: 'null' })).toBe(403);
  });

  it('answers 403 to a non-loopback Host header (DNS rebinding), on the public files too', async () => {
    for (const path of ['/', '/session']) {
      expect((await get(path, { ...bearer(), host: `evil.example:${server.port}` })).status).toBe(
        403,
      );
      expect((await get(path, { ...bearer(), host: '127.0.0.1' })).status).toBe(403);
    }
    expect((await get('/', { host: `localhost:${server.port}` })).status).toBe(200);
    expect((await get('/session', { ...bearer(), host: `localhost:${server.port}` })).status).toBe(
      204,
    );
    expect(await upgradeStatus({ host: `evil.example:${server.port}` })).toBe(403);
    expect(refusals.some((line) => line.includes('Host header'))).toBe(true);
  });
});

describe('WebSocket calls answer with typed results and survive bad input', () => {
  it('answers a ping itself, so a page can tell a live server from a silent one', async () => {
    const ws = await openSocket();
    ws.send(JSON.stringify({ ping: 42 }));
    expect(await nextMessage(ws)).toEqual({ pong: 42 });
    ws.close();
  });

  it('answers a call by its id', async () => {
    const ws = await openSocket();
    ws.send(JSON.stringify({ id: 1, channel: 'app.info', request: {} }));
    const reply = await nextMessage(ws);
    expect(reply.id).toBe(1);
    expect(reply.result).toMatchObject({ ok: true, value: { shell: 'browser' } });
    ws.close();
  });

  it('reports a payload that fails the schema as INVALID_REQUEST and keeps the socket open', async () => {
    const ws = await openSocket();
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
    const ws = await openSocket();
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
      expect(wide.url).toBe(`http://127.0.0.1:${wide.port}/#token=${wide.token}`);
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
    expect((await get('/session', bearer())).status).toBe(204);
  }

  it('refuses a WebSocket upgrade to //x:99999 and keeps serving', async () => {
    const answer = await rawExchange(upgradeRequest('//x:99999'));
    expect(answer).toMatch(/^HTTP\/1\.1 401 /);
    await stillServing();
  });

  it('refuses the same upgrade with a good token as an unknown path, and keeps serving', async () => {
    const answer = await rawExchange(
      upgradeRequest('//x:99999', `Sec-WebSocket-Protocol: ${keyProtocols().join(', ')}\r\n`),
    );
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
      `GET /session HTTP/1.1\r\nHost: 127.0.0.1:PORT\r\nCookie: =;=x; ;\r\n\r\n`,
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
    const ws = await openSocket();
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send(
      JSON.stringify({ id: 1, channel: 'app.info', request: { pad: 'x'.repeat(1_100_000) } }),
    );
    expect(await closed).toBe(1009);
    const next = await openSocket();
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
    const before = openFiles();
    for (let i = 0; i < 20; i += 1) {
      await new Promise<void>((resolve, reject) => {
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port: server.port,
            path: '/assets/big.js',
            headers: { host: `127.0.0.1:${server.port}` },
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

describe('a browser without the key gets a page that says where the address comes from', () => {
  const page = { accept: 'text/html,application/xhtml+xml' };

  it('explains a missing key and shows the line nixstrap serve printed', async () => {
    const reply = await get('/session', page);
    expect(reply.status).toBe(401);
    expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(reply.headers['content-security-policy']).toContain("script-src 'self'");
    expect(reply.body).toContain('data-refusal="missing"');
    expect(reply.body).toContain(`Nixstrap is running at http://127.0.0.1:${server.port}/#token=…`);
    expect(reply.body).not.toContain(server.token);
    expect(reply.body).not.toMatch(/<script/i);
  });

  it('names its own port and the tunnel that keeps it when reached through another port', async () => {
    const tunnelled = { ...page, host: `127.0.0.1:${server.port + 1}` };
    const reply = await get('/', tunnelled);
    expect(reply.status).toBe(403);
    expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(reply.body).toContain('data-refusal="other-port"');
    expect(reply.body).toContain(`came in on port ${server.port + 1}`);
    expect(reply.body).toContain(`ssh -L ${server.port}:127.0.0.1:${server.port} HOST`);
    expect(reply.body).toContain(`Nixstrap is running at http://127.0.0.1:${server.port}/#token=…`);
    expect(reply.body).not.toContain(server.token);
    const rebound = await get('/', { ...page, host: `evil.example:${server.port + 1}` });
    expect(rebound.status).toBe(403);
    expect(rebound.headers['content-type']).toBe('text/plain; charset=utf-8');
  });

  it('answers scripts and tools with one line of text, as before', async () => {
    const reply = await get('/session', { accept: '*/*' });
    expect(reply.status).toBe(401);
    expect(reply.headers['content-type']).toBe('text/plain; charset=utf-8');
  });
});
