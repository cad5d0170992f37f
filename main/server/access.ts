import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';

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

/** Cookies ignore ports, so the name carries the port: two servers on one host never overwrite each other. */
export function cookieName(port: number): string {
  return `nixstrap_token_${port}`;
}

export function sessionCookie(port: number, token: string): string {
  return `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** The token a request presents: the session cookie, or `Authorization: Bearer` for scripts. */
export function presentedToken(req: IncomingMessage, port: number): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice('Bearer '.length).trim();
  return cookieValue(req.headers.cookie, cookieName(port));
}

export function isLoopbackAddress(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  if (bare === 'localhost' || bare === '::1') return true;
  return isIP(bare) === 4 && bare.startsWith('127.');
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

/** Host, then Origin, then token: the same gate for every HTTP request and every WebSocket upgrade. */
export function judgeRequest(
  req: IncomingMessage,
  gate: { hosts: Set<string>; port: number; token: string },
  tokenOverride?: string,
): Verdict {
  const host = req.headers.host?.toLowerCase();
  if (!host || !gate.hosts.has(host)) {
    return { allowed: false, status: 403, reason: 'Host header is not this loopback server' };
  }
  const origin = req.headers.origin;
  if (origin !== undefined && origin.toLowerCase() !== `http://${host}`) {
    return { allowed: false, status: 403, reason: 'Origin is not this server' };
  }
  const given = tokenOverride ?? presentedToken(req, gate.port);
  if (!tokensMatch(gate.token, given)) {
    return { allowed: false, status: 401, reason: 'missing or wrong token' };
  }
  return { allowed: true };
}
