import type { Result } from '../../common';

/** What a browser sends: one call, named by an id it picks so replies can arrive out of order. */
export interface SocketCall {
  id: string | number;
  channel: string;
  request: unknown;
}

/** A subscription, named by an id the browser picks; its events arrive as SocketEvents. */
export interface SocketSubscribe {
  id: string | number;
  subscribe: string;
  request: unknown;
}

/** Stops the call or the subscription with this id. */
export interface SocketCancel {
  cancel: string | number;
}

/**
 * A page's "are you there": answered at once by the socket itself, never by the engine, so a
 * busy engine does not look like a lost server and a ping costs nothing.
 */
export interface SocketPing {
  ping: number;
}

export interface SocketPong {
  pong: number;
}

export interface SocketReply {
  id: string | number | null;
  result: Result<unknown>;
}

/** One event of the subscription `subscription`, sent to the socket that made it and no other. */
export interface SocketEvent {
  subscription: string | number;
  event: unknown;
}

export type SocketMessage = SocketCall | SocketSubscribe | SocketCancel | SocketPing;

function invalid(message: string): Result<never> {
  return {
    ok: false,
    error: {
      code: 'INVALID_REQUEST',
      message,
      hint: 'Send one JSON object per message: {"id": 1, "channel": "facts.detect", "request": {}}.',
    },
  };
}

function usableId(value: unknown): string | number | null {
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))
    ? value
    : null;
}

/** Reads one WebSocket message; anything that is not well-formed becomes a typed reply. */
export function parseSocketMessage(raw: string): SocketMessage | SocketReply {
  let message: unknown;
  try {
    message = JSON.parse(raw);
  } catch {
    return { id: null, result: invalid('The message is not valid JSON.') };
  }
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    return { id: null, result: invalid('The message must be a JSON object.') };
  }
  const fields = message as Record<string, unknown>;
  if (typeof fields.ping === 'number' && Number.isFinite(fields.ping)) return { ping: fields.ping };
  if ('cancel' in fields) {
    const cancel = usableId(fields.cancel);
    return cancel === null
      ? { id: null, result: invalid('"cancel" names the id of a call or subscription.') }
      : { cancel };
  }
  const id = usableId(fields.id);
  if (id === null) {
    return { id: null, result: invalid('The message needs an "id" (a string or a number).') };
  }
  if (typeof fields.subscribe === 'string') {
    return { id, subscribe: fields.subscribe, request: fields.request ?? {} };
  }
  if (typeof fields.channel !== 'string') {
    return { id, result: invalid('The message needs a "channel" (a string).') };
  }
  return { id, channel: fields.channel, request: fields.request ?? {} };
}
