import type { EventName, Result } from '../../common';
import type { Api } from '../api';

/** What a browser sends: one call, named by an id it picks so replies can arrive out of order. */
export interface SocketCall {
  id: string | number;
  channel: string;
  request: unknown;
}

export interface SocketReply {
  id: string | number | null;
  result: Result<unknown>;
}

export interface SocketEvent {
  event: EventName;
  payload: unknown;
}

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

/** Reads one WebSocket message; anything that is not a well-formed call becomes a typed reply. */
export function parseSocketCall(raw: string): SocketCall | SocketReply {
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
  const id = usableId(fields.id);
  if (id === null) {
    return { id: null, result: invalid('The message needs an "id" (a string or a number).') };
  }
  if (typeof fields.channel !== 'string') {
    return { id, result: invalid('The message needs a "channel" (a string).') };
  }
  return { id, channel: fields.channel, request: fields.request ?? {} };
}

/** Answers one raw message. Never throws: every outcome is a reply the client can match by id. */
export async function answerSocketMessage(api: Api, raw: string): Promise<SocketReply> {
  const parsed = parseSocketCall(raw);
  if ('result' in parsed) return parsed;
  try {
    return { id: parsed.id, result: await api.call(parsed.channel, parsed.request) };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return {
      id: parsed.id,
      result: {
        ok: false,
        error: {
          code: 'INTERNAL',
          message: `The call to ${parsed.channel} failed unexpectedly: ${detail}`,
          hint: 'Please report it with the steps that led here.',
        },
      },
    };
  }
}
