import type { Channel, ChannelRequest, ChannelValue, Topic, TopicEvent, TopicRequest } from './api';
import type { NixstrapError, Result } from './result';

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
  'answers.previous': 'previousAnswers',
  'facts.assess': 'assessFacts',
  'password.hash': 'hashPassword',
  'plan.compute': 'computePlan',
  'plan.apply': 'applyPlan',
  'repo.inspect': 'inspectRepo',
  'hosts.list': 'listHosts',
  'repo.check': 'checkRepo',
  'rebuild.start': 'startRebuild',
  'rebuild.confirm': 'confirmRebuild',
  'rebuild.cancel': 'cancelRebuild',
  'runs.list': 'listRuns',
  'runs.commitLock': 'commitLock',
  'runs.lockCheck': 'checkLockCommit',
  'generations.list': 'listGenerations',
  'generations.diff': 'diffGenerations',
  'generations.commit': 'checkGenerationCommit',
  'generations.plan': 'planRollback',
  'generations.rollback': 'rollbackGeneration',
  'generations.planDelete': 'planDeleteGenerations',
  'generations.delete': 'deleteGenerations',
  'generations.pending': 'pendingGenerations',
  'generations.keep': 'keepGeneration',
  'secrets.keys': 'secretKeys',
  'secrets.list': 'listSecrets',
  'secrets.set': 'setSecret',
  'secrets.rotate': 'rotateSecrets',
  'secrets.remove': 'removeSecret',
} as const satisfies Record<Channel, string>;

export const TOPIC_METHODS = {
  'rebuild.subscribe': 'subscribeRebuild',
} as const satisfies Record<Topic, string>;

export type MethodName = (typeof CHANNEL_METHODS)[Channel];

/** The part of the platform's AbortSignal a call needs (common/ sees no DOM or Node types). */
export interface CancelSignal {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
}

/** A call given an aborted signal resolves at once with CANCELLED, and the engine is told. */
export interface CallOptions {
  signal?: CancelSignal;
}

/** One async method per channel; every method resolves to a Result and never rejects. */
export type BridgeMethods = {
  [C in Channel as (typeof CHANNEL_METHODS)[C]]: (
    request: ChannelRequest<C>,
    options?: CallOptions,
  ) => Promise<Result<ChannelValue<C>>>;
};

export type Unsubscribe = () => void;

/** One method per subscription topic: events go to `listener` until the returned function is called. */
export type BridgeSubscriptions = {
  [T in Topic as (typeof TOPIC_METHODS)[T]]: (
    request: TopicRequest<T>,
    listener: (event: TopicEvent<T>) => void,
  ) => Promise<Result<Unsubscribe>>;
};

/** What a terminal view hears from a run's terminal. */
export interface TerminalHandlers {
  /** Output starting at character `offset`; report it with `written` once xterm has drawn it. */
  data(text: string, offset: number): void;
  /**
   * The server skipped `chars` characters to keep up with a flood (they were never sent, so
   * they are not acknowledged); the data after the gap follows. The run's log has them all.
   */
  skipped(chars: number): void;
  /** The run's output is complete. */
  end(offset: number): void;
  error(error: NixstrapError): void;
}

/** A terminal view's hold on a run's terminal; it reattaches by itself after a lost connection. */
export interface TerminalAttachment {
  /** Characters xterm has written (from its write callback): acknowledgements come from here. */
  written(chars: number): void;
  input(text: string): void;
  resize(cols: number, rows: number): void;
  detach(): void;
}

/**
 * How the page's link to the engine stands. `locked-out`: the server answers but no longer
 * accepts this page's key (it was restarted); only its newly printed address lets the page in.
 */
export type ConnectionState = 'connecting' | 'online' | 'offline' | 'locked-out';

/** What the renderer talks to, whichever transport (Electron IPC or WebSocket) carries it. */
export type Bridge = BridgeMethods &
  BridgeSubscriptions & {
    attachTerminal(
      runId: string,
      fromOffset: number,
      handlers: TerminalHandlers,
    ): TerminalAttachment;
    /** Calls the listener with the state now and on every change; returns the unsubscribe. */
    onConnection(listener: (state: ConnectionState) => void): Unsubscribe;
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
  'answers.previous',
  'plan.compute',
  'hosts.list',
  'repo.check',
  'generations.list',
  'secrets.list',
]);

/**
 * What the Electron preload exposes as `window.nixstrap`: the same methods, with a call id the
 * renderer can cancel by, and the raw terminal frames (common/terminal-frames.ts) that the
 * renderer's terminal link reads and writes.
 */
export type PreloadApi = {
  [C in Channel as (typeof CHANNEL_METHODS)[C]]: (
    request: ChannelRequest<C>,
    callId?: number,
  ) => Promise<Result<ChannelValue<C>>>;
} & BridgeSubscriptions & {
    cancelCall(callId: number): void;
    terminalSend(frame: Uint8Array): void;
    onTerminalFrame(listener: (frame: Uint8Array) => void): Unsubscribe;
  };

/** The IPC channels between preload and main. */
export const IPC_CALL = 'nixstrap:call';
export const IPC_CANCEL = 'nixstrap:cancel';
export const IPC_SUBSCRIBE = 'nixstrap:subscribe';
export const IPC_UNSUBSCRIBE = 'nixstrap:unsubscribe';
export const IPC_EVENT = 'nixstrap:event';
/** Asks main for the MessagePort that terminal frames travel on, and carries it back. */
export const IPC_TERMINAL_PORT = 'nixstrap:terminal-port';
