import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { keyFromProtocols } from '../../common/browser-key';

/** 32 random bytes per launch: far beyond guessing, short enough to paste. */
export function createToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Hashing first gives equal-length buffers, so the comparison leaks neither content nor length. */
export function tokensMatch(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}

/**
 * The key a request presents: `Authorization: Bearer` (the page's own requests, and scripts), or
 * the subprotocol a WebSocket offers it in. Never a cookie: a browser sends cookies to every port
 * of a host, so a cookie would hand the key to any other server on 127.0.0.1.
 */
export function presentedToken(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice('Bearer '.length).trim();
  return keyFromProtocols(req.headers['sec-websocket-protocol']);
}

export function isLoopbackAddress(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  if (bare === 'localhost' || bare === '::1') return true;
  return isIP(bare) === 4 && bare.startsWith('127.');
}

/**
 * The port of a Host header that names a loopback address (`127.0.0.1:8080`, `[::1]:8080`,
 * `localhost:8080`), or null: how a request that came through a forwarded port is told apart.
 */
export function loopbackHostPort(host: string | undefined): number | null {
  const [, name, port] = host?.match(/^(.+):(\d{1,5})$/) ?? [];
  if (name === undefined || port === undefined || !isLoopbackAddress(name)) return null;
  return Number(port);
}

function hostWithPort(address: string, port: number): string {
  return isIP(address) === 6 ? `[${address}]:${port}` : `${address}:${port}`;
}

/**
 * The Host headers this server answers to. Anything else is a DNS-rebinding attempt: a page on
 * evil.example whose name now resolves to 127.0.0.1 still sends `Host: evil.example`.
 */
export function allowedHosts(bind: string, port: number): Set<string> {
  const names = new Set(['127.0.0.1', 'localhost', '::1']);
  if (bind === '0.0.0.0' || bind === '::') {
    for (const list of Object.values(networkInterfaces())) {
      for (const entry of list ?? []) names.add(entry.address);
    }
  } else {
    names.add(bind);
  }
  return new Set([...names].map((name) => hostWithPort(name, port).toLowerCase()));
}

export type Verdict = { allowed: true } | { allowed: false; status: 401 | 403; reason: string };

interface Gate {
  hosts: Set<string>;
  token: string;
}

/** Host, then Origin: the check every request and every WebSocket upgrade passes first. */
export function judgeOrigin(req: IncomingMessage, gate: Gate): Verdict {
  const host = req.headers.host?.toLowerCase();
  if (!host || !gate.hosts.has(host)) {
    return { allowed: false, status: 403, reason: 'Host header is not this loopback server' };
  }
  const origin = req.headers.origin;
  if (origin !== undefined && origin.toLowerCase() !== `http://${host}`) {
    return { allowed: false, status: 403, reason: 'Origin is not this server' };
  }
  return { allowed: true };
}

/** Host, then Origin, then the key: the gate of everything but the renderer's public files. */
export function judgeRequest(req: IncomingMessage, gate: Gate): Verdict {
  const verdict = judgeOrigin(req, gate);
  if (!verdict.allowed) return verdict;
  if (!tokensMatch(gate.token, presentedToken(req))) {
    return { allowed: false, status: 401, reason: 'missing or wrong token' };
  }
  return { allowed: true };
}
