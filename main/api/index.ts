import type { z } from 'zod';
import {
  CHANNELS,
  type Channel,
  type ChannelRequest,
  type ChannelValue,
  isChannel,
  isTopic,
  type NixstrapError,
  NixstrapFailure,
  type Result,
  SUBSCRIPTIONS,
} from '../../common';
import { type ApiContext, createHandlers, type Handlers, type Request } from './handlers';
import { type FindRun, findEngineRun } from './runs';
import { createSubscriptionHandlers } from './subscriptions';
import type { TerminalSource } from './terminal-feed';

export {
  type ClientId,
  type ClientPeer,
  type ClientSession,
  createClientSession,
} from './client-session';
export type { ApiContext } from './handlers';
export type { FindRun } from './runs';
export type { TerminalSource } from './terminal-feed';
export { serveTerminalFrames, type TerminalHost } from './terminal-host';

export interface CallOptions {
  /** Aborting answers the call with CANCELLED at once; the handler sees the same signal. */
  signal?: AbortSignal;
}

/** A live subscription: its events reach only the caller that made it, until disposed. */
export interface Subscription {
  dispose(): void;
}

/** The engine as every shell sees it: one validated entry point, results as values. */
export interface Api {
  /** For what arrives over a wire: any name, any payload, both checked against the contract. */
  call(channel: string, request: unknown, options?: CallOptions): Promise<Result<unknown>>;
  /** For a shell in this process (the CLI): the channel's own request and value types. */
  invoke<C extends Channel>(
    channel: C,
    request: ChannelRequest<C>,
    options?: CallOptions,
  ): Promise<Result<ChannelValue<C>>>;
  /** Starts the subscription `topic`; `emit` hears its events and nobody else does. */
  subscribe(
    topic: string,
    request: unknown,
    emit: (event: unknown) => void,
  ): Promise<Result<Subscription>>;
  /** A run's terminal, for the terminal path (common/terminal-frames.ts). */
  terminal(runId: string): Promise<Result<TerminalSource>>;
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

function invalidRequest(name: string, error: z.ZodError): Result<never> {
  return {
    ok: false,
    error: {
      code: 'INVALID_REQUEST',
      message: `The request for ${name} is invalid: ${describeIssues(error)}.`,
      hint: 'Send the fields the API contract (common/api.ts) lists for this channel.',
    },
  };
}

function unknownName(kind: string, name: unknown, known: object): Result<never> {
  return {
    ok: false,
    error: {
      code: 'UNKNOWN_CHANNEL',
      message: `There is no API ${kind} called ${JSON.stringify(String(name)).slice(0, 80)}.`,
      hint: `Known ${kind}s: ${Object.keys(known).join(', ')}.`,
    },
  };
}

/** A NixstrapFailure keeps its code; anything else is a bug, told as INTERNAL. */
function asError(error: unknown, where: string): NixstrapError {
  if (error instanceof NixstrapFailure) return error.error;
  const message = error instanceof Error ? error.message : String(error);
  return {
    code: 'INTERNAL',
    message: `Nixstrap hit an unexpected problem in ${where}: ${message}`,
    hint: 'Please report it with a capture of the machine.',
  };
}

const CANCELLED: Result<never> = {
  ok: false,
  error: {
    code: 'CANCELLED',
    message: 'The request was cancelled before it finished.',
    hint: 'Nothing more was done for it; ask again when you need the answer.',
  },
};

function whenAborted(signal: AbortSignal): Promise<Result<never>> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve(CANCELLED);
    else signal.addEventListener('abort', () => resolve(CANCELLED), { once: true });
  });
}

/**
 * The API over the engine. `findRun` is how a run id becomes a run: the engine's own registry
 * unless a test or a benchmark brings its own runs.
 */
export function createApi(
  ctx: ApiContext,
  given?: Handlers,
  findRun: FindRun = findEngineRun(ctx.dataDir),
): Api {
  const handlers = given ?? createHandlers(ctx, findRun);
  const subscriptions = createSubscriptionHandlers(findRun);

  async function run<C extends Channel>(
    channel: C,
    request: unknown,
    signal: AbortSignal,
  ): Promise<Result<ChannelValue<C>>> {
    const schemas = SCHEMAS[channel];
    const parsed = schemas.request.safeParse(request ?? {});
    if (!parsed.success) return invalidRequest(channel, parsed.error);
    try {
      const value = await handlers[channel](parsed.data, signal);
      return { ok: true, value: schemas.response.parse(value) };
    } catch (error) {
      return { ok: false, error: asError(error, channel) };
    }
  }

  async function invoke<C extends Channel>(
    channel: C,
    request: unknown,
    options: CallOptions = {},
  ): Promise<Result<ChannelValue<C>>> {
    const signal = options.signal ?? new AbortController().signal;
    if (signal.aborted) return CANCELLED;
    return Promise.race([run(channel, request, signal), whenAborted(signal)]);
  }

  return {
    async call(channel, request, options) {
      if (isChannel(channel)) return invoke(channel, request, options);
      return unknownName('channel', channel, CHANNELS);
    },
    invoke,

    async subscribe(topic, request, emit) {
      if (!isTopic(topic)) return unknownName('subscription', topic, SUBSCRIPTIONS);
      const parsed = SUBSCRIPTIONS[topic].request.safeParse(request ?? {});
      if (!parsed.success) return invalidRequest(topic, parsed.error);
      try {
        let live = true;
        const stop = await subscriptions[topic](parsed.data, (event) => {
          if (live) emit(event);
        });
        const dispose = () => {
          if (!live) return;
          live = false;
          stop();
        };
        return { ok: true, value: { dispose } };
      } catch (error) {
        return { ok: false, error: asError(error, topic) };
      }
    },

    async terminal(runId) {
      try {
        return { ok: true, value: await findRun(runId) };
      } catch (error) {
        return { ok: false, error: asError(error, 'the terminal') };
      }
    },
  };
}
