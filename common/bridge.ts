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
  'plan.compute': 'computePlan',
  'plan.apply': 'applyPlan',
  'hosts.list': 'listHosts',
  'repo.check': 'checkRepo',
  'rebuild.start': 'startRebuild',
  'generations.list': 'listGenerations',
  'generations.rollback': 'rollbackGeneration',
  'secrets.keys': 'secretKeys',
  'secrets.list': 'listSecrets',
  'secrets.set': 'setSecret',
  'secrets.rotate': 'rotateSecrets',
} as const satisfies Record<Channel, string>;

export type MethodName = (typeof CHANNEL_METHODS)[Channel];

/** One async method per channel; every method resolves to a Result and never rejects. */
export type BridgeMethods = {
  [C in Channel as (typeof CHANNEL_METHODS)[C]]: (
    request: ChannelRequest<C>,
  ) => Promise<Result<ChannelValue<C>>>;
};

export type EventListener<E extends EventName> = (payload: EventPayload<E>) => void;

/** What Electron's preload exposes: the methods and the pushed events. */
export type ExposedBridge = BridgeMethods & {
  onEvent<E extends EventName>(event: E, listener: EventListener<E>): () => void;
};

/**
 * How the page's link to the engine stands. `locked-out`: the server answers but no longer
 * accepts this page's key (it was restarted); only its newly printed address lets the page in.
 */
export type ConnectionState = 'connecting' | 'online' | 'offline' | 'locked-out';

/** What the renderer talks to, whichever transport (Electron IPC or WebSocket) carries it. */
export type Bridge = ExposedBridge & {
  /** Calls the listener with the state now and on every change; returns the unsubscribe. */
  onConnection(listener: (state: ConnectionState) => void): () => void;
};

/**
 * Channels that only read: a call lost with the connection is sent again once it is back. Any
 * other channel may have changed something before the connection broke, so it is never repeated
 * behind the user's back; a channel added later is treated so until listed here.
 */
export const REPEATABLE_CHANNELS: ReadonlySet<Channel> = new Set<Channel>([
  'app.info',
  'facts.detect',
  'answers.defaults',
  'answers.validate',
  'plan.compute',
  'hosts.list',
  'repo.check',
  'generations.list',
]);

/** The single IPC invoke channel and the single push channel between preload and main. */
export const IPC_CALL = 'nixstrap:call';
export const IPC_EVENT = 'nixstrap:event';
