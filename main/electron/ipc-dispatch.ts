import type { Result } from '../../common';
import type { ClientSession } from '../api';
import { type IpcSender, senderRefusal } from './sender-check';

const forbidden: Result<never> = {
  ok: false,
  error: {
    code: 'FORBIDDEN_ORIGIN',
    message: 'This page is not allowed to use the Nixstrap API.',
    hint: 'Only the Nixstrap window itself may call the API.',
  },
};

const invalidMessage: Result<never> = {
  ok: false,
  error: {
    code: 'INVALID_REQUEST',
    message: 'The IPC message must be an object with a "channel" and a "request".',
    hint: 'Call the API through the methods on window.nixstrap.',
  },
};

export interface DispatchOptions {
  devOrigin?: string;
  log: (line: string) => void;
}

/**
 * Everything an IPC message goes through, kept free of `electron` so it is tested without a
 * display. The sender is checked first against the windows the app trusts; whatever the
 * renderer sends, the answer is a Result.
 */
export interface IpcDispatch {
  /** Whether an IPC message from `sender` may reach the API; a refusal is logged. */
  senderAllowed(sender: IpcSender): boolean;
  /**
   * A call: the window's session runs it, which validates channel and payload. The session is
   * asked for only once the sender passed, so a refused sender never gets one (nothing would
   * close it).
   */
  call(
    sessionOf: () => ClientSession,
    sender: IpcSender,
    message: unknown,
  ): Promise<Result<unknown>>;
  /** A subscription: checked like a call, its events for that window only. */
  subscribe(
    sessionOf: () => ClientSession,
    sender: IpcSender,
    message: unknown,
  ): Promise<Result<unknown>>;
}

export function createIpcDispatch(
  trusted: ReadonlySet<number>,
  opts: DispatchOptions,
): IpcDispatch {
  /** Calls without an id of their own get one here, out of the renderer's way (below zero). */
  let anonymous = 0;

  function senderAllowed(sender: IpcSender): boolean {
    const refusal = senderRefusal(sender, trusted, opts.devOrigin);
    if (refusal) opts.log(`nixstrap: refused IPC message: ${refusal}`);
    return refusal === null;
  }

  return {
    senderAllowed,
    async call(sessionOf, sender, message) {
      if (!senderAllowed(sender)) return forbidden;
      if (typeof message !== 'object' || message === null || !('channel' in message)) {
        return invalidMessage;
      }
      const { channel, request, callId } = message as {
        channel: unknown;
        request?: unknown;
        callId?: unknown;
      };
      if (typeof channel !== 'string') return invalidMessage;
      const id = typeof callId === 'number' && Number.isSafeInteger(callId) ? callId : --anonymous;
      const result = await sessionOf().call(id, channel, request);
      // A cancelled call's answer is ignored by the renderer, which already resolved it.
      return result ?? { ok: false, error: { code: 'CANCELLED', message: 'Cancelled.', hint: '' } };
    },
    async subscribe(sessionOf, sender, message) {
      if (!senderAllowed(sender)) return forbidden;
      const { id, topic, request } = (message ?? {}) as {
        id?: unknown;
        topic?: unknown;
        request?: unknown;
      };
      if (typeof id !== 'number' || typeof topic !== 'string') return invalidMessage;
      return sessionOf().subscribe(id, topic, request);
    },
  };
}
