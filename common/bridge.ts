import type { Channel, ChannelRequest, ChannelValue, EventName, EventPayload } from './api';
import type { Result } from './result';

/**
 * The JavaScript name of each API channel, as the preload exposes it and the renderer calls it.
 * `satisfies` makes a channel without a method a type error. Types only are imported, so the
 * sandboxed preload bundle stays free of zod.
 */
export const CHANNEL_METHODS = {
  'app.info': 'appInfo',
  'facts.detect': 'detectFacts',
  'answers.defaults': 'defaultAnswers',
  'answers.validate': 'validateAnswers',
  'facts.assess': 'assessFacts',
  'password.hash': 'hashPassword',
  'plan.compute': 'computePlan',
  'plan.apply': 'applyPlan',
  'hosts.list': 'listHosts',
  'repo.check': 'checkRepo',
  'rebuild.start': 'startRebuild',
  'generations.list': 'listGenerations',
  'generations.rollback': 'rollbackGeneration',
} as const satisfies Record<Channel, string>;

export type MethodName = (typeof CHANNEL_METHODS)[Channel];

/** One async method per channel; every method resolves to a Result and never rejects. */
export type BridgeMethods = {
  [C in Channel as (typeof CHANNEL_METHODS)[C]]: (
    request: ChannelRequest<C>,
  ) => Promise<Result<ChannelValue<C>>>;
};

export type EventListener<E extends EventName> = (payload: EventPayload<E>) => void;

/** What the renderer talks to, whichever transport (Electron IPC or WebSocket) carries it. */
export type Bridge = BridgeMethods & {
  onEvent<E extends EventName>(event: E, listener: EventListener<E>): () => void;
};

/** The single IPC invoke channel and the single push channel between preload and main. */
export const IPC_CALL = 'nixstrap:call';
export const IPC_EVENT = 'nixstrap:event';
