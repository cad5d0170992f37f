import type { z } from 'zod';
import {
  CHANNELS,
  isChannel,
  isTopic,
  type NixstrapError,
  NixstrapFailure,
  type Result,
  SUBSCRIPTIONS,
} from '../../common';
import { type ApiContext, createHandlers, type Handlers } from './handlers';
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
  call(channel: string, request: unknown, options?: CallOptions): Promise<Result<unknown>>;
  /** Starts the subscription `topic`; `emit` hears its events and nobody else does. */
  subscribe(
    topic: string,
    request: unknown,
    emit: (event: unknown) => void,
  ): Promise<Result<Subscription>>;
  /** A run's terminal, for the terminal path (common/terminal-frames.ts). */
  terminal(runId: string): Result<TerminalSource>;
}

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
    hint: 'Please report it with the output of `nixstrap capture --out DIR` attached.',
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
  async function run(channel: string, request: unknown, signal: AbortSignal) {
    if (!isChannel(channel)) return unknownName('channel', channel, CHANNELS);
    const parsed = CHANNELS[channel].request.safeParse(request ?? {});
    if (!parsed.success) return invalidRequest(channel, parsed.error);
    try {
      const handler = handlers[channel] as (req: unknown, signal: AbortSignal) => Promise<unknown>;
      const value = await handler(parsed.data, signal);
      return { ok: true as const, value: CHANNELS[channel].response.parse(value) };
    } catch (error) {
      return { ok: false as const, error: asError(error, channel) };
    }
  }

  return {
    async call(channel, request, options = {}) {
      const signal = options.signal ?? new AbortController().signal;
      if (signal.aborted) return CANCELLED;
      return Promise.race([run(channel, request, signal), whenAborted(signal)]);
    },

    async subscribe(topic, request, emit) {
      if (!isTopic(topic)) return unknownName('subscription', topic, SUBSCRIPTIONS);
      const parsed = SUBSCRIPTIONS[topic].request.safeParse(request ?? {});
      if (!parsed.success) return invalidRequest(topic, parsed.error);
      try {
        const start = subscriptions[topic] as (
          req: unknown,
          emit: (event: unknown) => void,
        ) => Promise<() => void>;
        let live = true;
        const stop = await start(parsed.data, (event) => {
          if (live) emit(event);
        });
        return {
          ok: true,
          value: {
            dispose() {
              if (!live) return;
              live = false;
              stop();
            },
          },
        };
      } catch (error) {
        return { ok: false, error: asError(error, topic) };
      }
    },

    terminal(runId) {
      try {
        return { ok: true, value: findRun(runId) };
      } catch (error) {
        return { ok: false, error: asError(error, 'the terminal') };
      }
    },
  };
}
