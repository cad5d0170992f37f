import type { Result } from '../../common';
import type { Api, Subscription } from './index';
import { serveTerminalFrames } from './terminal-host';

export type ClientId = string | number;

export interface ClientPeer {
  /** An event of subscription `id`, for this client only. */
  event(id: ClientId, event: unknown): void;
  /** A terminal frame for this client only. */
  frame(frame: Uint8Array): void;
  log(line: string): void;
}

/** Everything one client (a browser socket, an Electron window) has going with the API. */
export interface ClientSession {
  /** Resolves with the answer, or null when the call was cancelled (the client has its answer). */
  call(id: ClientId, channel: string, request: unknown): Promise<Result<unknown> | null>;
  subscribe(id: ClientId, topic: string, request: unknown): Promise<Result<Record<string, never>>>;
  /** Stops the call or the subscription `id`. */
  cancel(id: ClientId): void;
  receiveFrame(frame: Uint8Array): void;
  /** The client is gone: its calls are cancelled, its subscriptions and terminals stop. */
  close(): void;
}

/**
 * One client's calls, subscriptions and terminals, whatever transport carries them. Calls can
 * be cancelled by id, subscription events go to this client alone, and nothing outlives it: a
 * reloaded page subscribes again from where it wants to start.
 */
export function createClientSession(api: Api, peer: ClientPeer): ClientSession {
  const calls = new Map<ClientId, AbortController>();
  const subscriptions = new Map<ClientId, Subscription>();
  const terminals = serveTerminalFrames((runId) => api.terminal(runId), peer.frame, {
    log: peer.log,
  });
  let closed = false;

  function cancel(id: ClientId): void {
    calls.get(id)?.abort();
    calls.delete(id);
    subscriptions.get(id)?.dispose();
    subscriptions.delete(id);
  }

  return {
    async call(id, channel, request) {
      cancel(id);
      const controller = new AbortController();
      calls.set(id, controller);
      const result = await api.call(channel, request, { signal: controller.signal });
      if (calls.get(id) === controller) calls.delete(id);
      return closed || controller.signal.aborted ? null : result;
    },
    async subscribe(id, topic, request) {
      cancel(id);
      const result = await api.subscribe(topic, request, (event) => {
        if (!closed) peer.event(id, event);
      });
      if (!result.ok) return result;
      if (closed) result.value.dispose();
      else subscriptions.set(id, result.value);
      return { ok: true, value: {} };
    },
    cancel,
    receiveFrame(frame) {
      if (!closed) terminals.receive(frame);
    },
    close() {
      if (closed) return;
      closed = true;
      for (const controller of calls.values()) controller.abort();
      calls.clear();
      for (const subscription of subscriptions.values()) subscription.dispose();
      subscriptions.clear();
      terminals.close();
    },
  };
}
