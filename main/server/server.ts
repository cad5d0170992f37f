import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import { SECURITY_HEADERS } from '../../common/security-headers';
import type { Api } from '../api';
import {
  allowedHosts,
  createToken,
  isLoopbackAddress,
  judgeRequest,
  sessionCookie,
  tokensMatch,
} from './access';
import { createSocketSession } from './socket-session';
import { findStaticFile } from './static-files';

export interface ServerOptions {
  api: Api;
  /** 0 (the default) lets the system pick a free port. */
  port?: number;
  /** 127.0.0.1 unless the user explicitly asks for another address (`--bind`). */
  host?: string;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** Where warnings and refused requests are reported; stderr by default. */
  log?: (line: string) => void;
}

export interface RunningServer {
  /** The address to open, with the launch token: `http://127.0.0.1:PORT/?token=…`. */
  url: string;
  port: number;
  host: string;
  token: string;
  close(): Promise<void>;
}

const SOCKET_PATH = '/ws';
/** Facts, answers and plans are kilobytes; a larger message is a mistake or an attack. */
const MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

const STATUS_TEXT: Record<number, string> = {
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
};

const REFUSAL: Record<401 | 403, string> = {
  401: 'Nixstrap needs the token from the address it printed when it started.',
  403: 'Nixstrap only answers pages it served itself, on its own loopback address.',
};

function sendText(
  res: ServerResponse,
  status: number,
  body: string,
  extra: Record<string, string> = {},
) {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'text/plain; charset=utf-8',
    ...extra,
  });
  res.end(`${body}\n`);
}

function rawToBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data;
}

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Browser mode: the renderer and the API over HTTP and one WebSocket, on loopback, behind a
 * per-launch token. The token arrives once in the URL and is swapped for an HttpOnly cookie.
 */
export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const token = createToken();
  const gate = { hosts: new Set<string>(), port: 0, token };

  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });

  async function serveHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://placeholder');
    const urlToken = url.searchParams.get('token') ?? undefined;
    const verdict = judgeRequest(req, gate, urlToken);
    if (!verdict.allowed) {
      log(`nixstrap serve: refused ${req.method} ${url.pathname}: ${verdict.reason}`);
      sendText(res, verdict.status, REFUSAL[verdict.status]);
      return;
    }
    if (urlToken !== undefined && tokensMatch(token, urlToken)) {
      // The token leaves the address bar (and the history) at once; the cookie carries it from now on.
      url.searchParams.delete('token');
      sendText(res, 302, 'Redirecting.', {
        Location: `${url.pathname}${url.search}`,
        'Set-Cookie': sessionCookie(gate.port, token),
      });
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendText(res, 405, 'Only GET and HEAD are served here.', { Allow: 'GET, HEAD' });
      return;
    }
    const file = await findStaticFile(opts.rendererDir, url.pathname);
    if (!file) {
      sendText(res, 404, `Nothing here: ${url.pathname}`);
      return;
    }
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': file.contentType,
      'Content-Length': String(file.size),
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    file.open().pipe(res);
  }

  function refuseUpgrade(socket: Duplex, status: 401 | 403 | 404, reason: string): void {
    const body = `${status === 404 ? 'Nothing here.' : REFUSAL[status]}\n`;
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\nContent-Type: text/plain; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
    log(`nixstrap serve: refused WebSocket: ${reason}`);
  }

  const http = createServer((req, res) => {
    serveHttp(req, res).catch((error: unknown) => {
      log(`nixstrap serve: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) sendText(res, 500, 'Nixstrap could not serve this file.');
      else res.destroy();
    });
  });

  http.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    const path = new URL(req.url ?? '/', 'http://placeholder').pathname;
    if (path !== SOCKET_PATH) {
      refuseUpgrade(socket, 404, `unknown path ${path}`);
      return;
    }
    const verdict = judgeRequest(req, gate);
    if (!verdict.allowed) {
      refuseUpgrade(socket, verdict.status, verdict.reason);
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => sockets.emit('connection', ws, req));
  });

  sockets.on('connection', (ws: WebSocket) => {
    ws.on('error', (error) => log(`nixstrap serve: WebSocket error: ${error.message}`));
    const session = createSocketSession(opts.api, {
      sendJson: (message) => {
        if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message));
      },
      sendBinary: (frame) => {
        if (ws.readyState === WebSocket.OPEN) ws.send(frame, { binary: true });
      },
      log,
    });
    ws.on('message', (data, isBinary) => {
      if (isBinary) session.receiveBinary(rawToBytes(data));
      else session.receiveText(rawToString(data));
    });
    ws.on('close', () => session.close());
  });

  await new Promise<void>((resolveListen, rejectListen) => {
    http.once('error', rejectListen);
    http.listen(opts.port ?? 0, host, () => {
      http.off('error', rejectListen);
      resolveListen();
    });
  });

  const port = (http.address() as AddressInfo).port;
  gate.port = port;
  for (const allowed of allowedHosts(host, port)) gate.hosts.add(allowed);
  if (!isLoopbackAddress(host)) {
    log(
      `nixstrap serve: WARNING: listening on ${host}, reachable from other machines. ` +
        'Anyone with the token can change this machine; prefer an SSH tunnel to 127.0.0.1.',
    );
  }

  return {
    url: `http://${urlHost(host)}:${port}/?token=${token}`,
    port,
    host,
    token,
    close: () =>
      new Promise<void>((resolveClose) => {
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        http.closeAllConnections();
        http.close(() => resolveClose());
      }),
  };
}
