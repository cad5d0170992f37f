/**
 * How a page of browser mode proves it holds the launch key. Never a cookie: cookies ignore ports,
 * so a browser would hand one to any other server on 127.0.0.1. The key travels in what the
 * browser scopes to this origin (scheme, host and port): the address's fragment, the page's
 * storage, and headers the page's own script sets.
 */

/** The address `nixstrap serve` prints carries the key here: `#token=…` (older ones: `?token=…`). */
export const KEY_PARAM = 'token';

/** How the printed address's key looks, value elided, where a page shows where the key goes. */
export const KEY_SHAPE = `#${KEY_PARAM}=…`;

/** The subprotocol the server answers with; it is never the one that carries the key. */
export const SOCKET_PROTOCOL = 'nixstrap';

/** A WebSocket cannot set Authorization, so it offers the key as a second subprotocol. */
const KEY_PROTOCOL_PREFIX = 'nixstrap.token.';

export function keyProtocol(key: string): string {
  return `${KEY_PROTOCOL_PREFIX}${key}`;
}

/** The key among the subprotocols a WebSocket offered (`Sec-WebSocket-Protocol`), if any. */
export function keyFromProtocols(header: string | undefined): string | undefined {
  for (const offered of header?.split(',') ?? []) {
    const protocol = offered.trim();
    if (protocol.startsWith(KEY_PROTOCOL_PREFIX)) return protocol.slice(KEY_PROTOCOL_PREFIX.length);
  }
  return undefined;
}

/** Why a page is refused: no key at all, a key that was never valid, or one from an earlier start. */
export type RefusalKind = 'missing' | 'wrong' | 'stale';

/** The words of a refused page, the same whether the server or the app shows them. */
export const REFUSAL_WORDS: Readonly<Record<RefusalKind, { title: string; text: string }>> = {
  missing: {
    title: 'This address needs its key',
    text: `Nixstrap answers only the full address it printed when it started, which ends in a key (${KEY_SHAPE}).`,
  },
  wrong: {
    title: 'The key in this address does not match',
    text: 'The address was cut short or comes from an earlier start of Nixstrap. Each start prints a new key.',
  },
  stale: {
    title: 'Nixstrap was restarted',
    text: 'This page still holds the key of an earlier start, so Nixstrap no longer accepts it. Each start prints a new key.',
  },
};

/** What the line `nixstrap serve` printed looks like, key elided, for an address ending in `/`. */
export function printedLine(address: string): string {
  return `Nixstrap is running at ${address}${KEY_SHAPE}`;
}
