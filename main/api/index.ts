import { EventEmitter } from 'node:events';
import type { z } from 'zod';
import {
  CHANNELS,
  type EventName,
  type EventPayload,
  isChannel,
  NixstrapFailure,
  type Result,
} from '../../common';
import { type ApiContext, createHandlers, type Handlers } from './handlers';

export type { ApiContext } from './handlers';

/** The engine as every shell sees it: one validated entry point, results as values, pushed events. */
export interface Api {
  call(channel: string, request: unknown): Promise<Result<unknown>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : 'request'}: ${issue.message}`)
    .join('; ');
}

export function createApi(ctx: ApiContext, handlers: Handlers = createHandlers(ctx)): Api {
  const events = new EventEmitter();
  return {
    async call(channel, request) {
      if (!isChannel(channel)) {
        return {
          ok: false,
          error: {
            code: 'UNKNOWN_CHANNEL',
            message: `There is no API channel called ${JSON.stringify(String(channel)).slice(0, 80)}.`,
            hint: `Known channels: ${Object.keys(CHANNELS).join(', ')}.`,
          },
        };
      }
      const parsed = CHANNELS[channel].request.safeParse(request ?? {});
      if (!parsed.success) {
        return {
          ok: false,
          error: {
            code: 'INVALID_REQUEST',
            message: `The request for ${channel} is invalid: ${describeIssues(parsed.error)}.`,
            hint: 'Send the fields the API contract (common/api.ts) lists for this channel.',
          },
        };
      }
      try {
        const handler = handlers[channel] as (req: unknown) => Promise<unknown>;
        const value = await handler(parsed.data);
        return { ok: true, value: CHANNELS[channel].response.parse(value) };
      } catch (error) {
        if (error instanceof NixstrapFailure) return { ok: false, error: error.error };
        const message = error instanceof Error ? error.message : String(error);
        return {
          ok: false,
          error: {
            code: 'INTERNAL',
            message: `Nixstrap hit an unexpected problem in ${channel}: ${message}`,
            hint: 'Please report it with the output of `nixstrap capture --out DIR` attached.',
          },
        };
      }
    },
    on(event, listener) {
      events.on(event, listener);
      return () => events.off(event, listener);
    },
  };
}
