import { EventEmitter } from 'node:events';
import type { z } from 'zod';
import {
  CHANNELS,
  type Channel,
  type ChannelRequest,
  type ChannelValue,
  type EventName,
  type EventPayload,
  isChannel,
  NixstrapFailure,
  type Result,
} from '../../common';
import { type ApiContext, createHandlers, type Handlers, type Request } from './handlers';

export type { ApiContext } from './handlers';

/** The engine as every shell sees it: one validated entry point, results as values, pushed events. */
export interface Api {
  /** For what arrives over a wire: any name, any payload, both checked against the contract. */
  call(channel: string, request: unknown): Promise<Result<unknown>>;
  /** For a shell in this process (the CLI): the channel's own request and value types. */
  invoke<C extends Channel>(
    channel: C,
    request: ChannelRequest<C>,
  ): Promise<Result<ChannelValue<C>>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/** The contract seen one channel at a time, so a generic channel keeps its own types. */
type ChannelSchemas = {
  [C in Channel]: {
    request: z.ZodType<Request<C>, ChannelRequest<C>>;
    response: z.ZodType<ChannelValue<C>>;
  };
};
const SCHEMAS: ChannelSchemas = CHANNELS;

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : 'request'}: ${issue.message}`)
    .join('; ');
}

export function createApi(ctx: ApiContext, handlers: Handlers = createHandlers(ctx)): Api {
  const events = new EventEmitter();
  async function invoke<C extends Channel>(
    channel: C,
    request: unknown,
  ): Promise<Result<ChannelValue<C>>> {
    const schemas = SCHEMAS[channel];
    const parsed = schemas.request.safeParse(request ?? {});
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
      const value = await handlers[channel](parsed.data);
      return { ok: true, value: schemas.response.parse(value) };
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
  }
  return {
    async call(channel, request) {
      if (isChannel(channel)) return invoke(channel, request);
      return {
        ok: false,
        error: {
          code: 'UNKNOWN_CHANNEL',
          message: `There is no API channel called ${JSON.stringify(String(channel)).slice(0, 80)}.`,
          hint: `Known channels: ${Object.keys(CHANNELS).join(', ')}.`,
        },
      };
    },
    invoke,
    on(event, listener) {
      events.on(event, listener);
      return () => events.off(event, listener);
    },
  };
}
