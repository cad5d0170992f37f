import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import { KEY_PARAM, SOCKET_PROTOCOL } from '../../common/browser-key';
import { SECURITY_HEADERS } from '../../common/security-headers';
import type { Api } from '../api';
import {
  allowedHosts,
  createToken,
  isLoopbackAddress,
  judgeOrigin,
  judgeRequest,
  loopbackHostPort,
  type Verdict,
} from './access';
import { otherPortPage, refusalPage, wantsPage } from './refusal-page';
import { type RequestTarget, readTarget } from './request-target';
import { createSocketSession } from './socket-session';
import { findStaticFile, type StaticFile } from './static-files';

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
  /** The address to open, the launch key in its fragment: `http://127.0.0.1:PORT/#token=…`. */
  url: string;
  port: number;
  host: string;
  token: string;
  close(): Promise<void>;
}

const SOCKET_PATH = '/ws';
/** Answers 204 to a page whose key is good: how a page tells "Nixstrap restarted" from "offline". */
const SESSION_PATH = '/session';
/** Facts, answers and plans are kilobytes; a larger message is a mistake or an attack. */
const MAX_MESSAGE_BYTES = 1024 * 1024;

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

function sendPage(res: ServerResponse, status: 401 | 403, html: string) {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'text/html; charset=utf-8',
    Connection: 'close',
  });
  res.end(html);
}

/** What a client sent, safe to print in a terminal: no control characters, no screenful. */
function printable(text: string): string {
  const clean = text.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > 120 ? `${clean.slice(0, 120)}…` : clean;
}

function isPrematureClose(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE';
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
 * per-launch token. The token reaches the page in the address's fragment, which the browser never
 * sends; the page keeps it in its origin's storage and presents it as `Authorization: Bearer` and
 * as a WebSocket subprotocol. The renderer's files are public code and need no token.
 */
export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const token = createToken();
  const gate = { hosts: new Set<string>(), token };
  let listeningPort = 0;

  const sockets = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_MESSAGE_BYTES,
    // ws answers with the first protocol offered unless told: never echo the one with the key.
    handleProtocols: (offered) => (offered.has(SOCKET_PROTOCOL) ? SOCKET_PROTOCOL : false),
  });

  function refuse(
    req: IncomingMessage,
    res: ServerResponse,
    verdict: Extract<Verdict, { allowed: false }>,
    target: RequestTarget,
  ): void {
    log(
      `nixstrap serve: refused ${printable(`${req.method} ${target.pathname}`)}: ${verdict.reason}`,
    );
    // A refused client's body is never read; closing the connection is what bounds it.
    const printedAddress = `http://${urlHost(host)}:${listeningPort}/`;
    const reached = loopbackHostPort(req.headers.host);
    if (wantsPage(req) && verdict.status === 401) {
      sendPage(res, 401, refusalPage(printedAddress));
      return;
    }
    if (wantsPage(req) && reached !== null && reached !== listeningPort) {
      sendPage(res, 403, otherPortPage(printedAddress, reached, listeningPort));
      return;
    }
    sendText(res, verdict.status, REFUSAL[verdict.status], { Connection: 'close' });
  }

  async function serveHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = readTarget(req.url);
    const origin = judgeOrigin(req, gate);
    if (!origin.allowed) {
      refuse(req, res, origin, target);
      return;
    }
    const readOnly = req.method === 'GET' || req.method === 'HEAD';
    // The renderer is public code: it must load without the key to ask for it. A `?token=` of an
    // older address is no business of the server's; the page takes it out of the address bar.
    const file = readOnly ? await findStaticFile(opts.rendererDir, target.pathname) : null;
    if (file) {
      await serveFile(req, res, file);
      return;
    }
    const verdict = judgeRequest(req, gate);
    if (!verdict.allowed) {
      refuse(req, res, verdict, target);
      return;
    }
    if (!readOnly) {
      sendText(res, 405, 'Only GET and HEAD are served here.', {
        Allow: 'GET, HEAD',
        Connection: 'close',
      });
      return;
    }
    if (target.pathname === SESSION_PATH) {
      res.writeHead(204, SECURITY_HEADERS);
      res.end();
      return;
    }
    sendText(res, 404, `Nothing here: ${printable(target.pathname)}`);
  }

  async function serveFile(req: IncomingMessage, res: ServerResponse, file: StaticFile) {
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': file.contentType,
      'Content-Length': String(file.size),
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    // pipeline, not pipe: a download the client abandons closes the file too.
    await pipeline(file.open(), res).catch((error: unknown) => {
      if (!isPrematureClose(error)) throw error;
    });
  }

  function refuseUpgrade(socket: Duplex, status: 401 | 403 | 404, reason: string): void {
    const body = `${status === 404 ? 'Nothing here.' : REFUSAL[status]}\n`;
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\nContent-Type: text/plain; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
    log(`nixstrap serve: refused WebSocket: ${reason}`);
  }

  /** The access check comes first: nothing an unproven client sends is parsed before it. */
  function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const verdict = judgeRequest(req, gate);
    if (!verdict.allowed) {
      refuseUpgrade(socket, verdict.status, verdict.reason);
      return;
    }
    const { pathname } = readTarget(req.url);
    if (pathname !== SOCKET_PATH) {
      refuseUpgrade(socket, 404, `unknown path ${printable(pathname)}`);
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => sockets.emit('connection', ws, req));
  }

  const http = createServer((req, res) => {
    serveHttp(req, res).catch((error: unknown) => {
      log(`nixstrap serve: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) sendText(res, 500, 'Nixstrap could not serve this file.');
      else res.destroy();
    });
  });
  // Slow or endless requests hold a connection; these bound how long.
  http.headersTimeout = 10_000;
  http.requestTimeout = 30_000;

  http.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    try {
      upgrade(req, socket, head);
    } catch (error) {
      log(`nixstrap serve: dropped a WebSocket request: ${(error as Error).message}`);
      socket.destroy();
    }
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
  // After listening, an error (too many open files on accept) is reported, never fatal.
  http.on('error', (error) => log(`nixstrap serve: ${error.message}`));

  const port = (http.address() as AddressInfo).port;
  listeningPort = port;
  for (const allowed of allowedHosts(host, port)) gate.hosts.add(allowed);
  if (!isLoopbackAddress(host)) {
    log(
      `nixstrap serve: WARNING: listening on ${host}, reachable from other machines. ` +
        'Anyone with the token can change this machine; prefer an SSH tunnel to 127.0.0.1.',
    );
  }

  return {
    url: `http://${urlHost(host)}:${port}/#${KEY_PARAM}=${token}`,
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
