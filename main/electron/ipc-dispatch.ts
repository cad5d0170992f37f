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

/** Whether an IPC message may reach the API; a refusal is logged. */
export function senderAllowed(
  sender: IpcSender,
  trusted: ReadonlySet<number>,
  opts: DispatchOptions,
): boolean {
  const refusal = senderRefusal(sender, trusted, opts.devOrigin);
  if (refusal) opts.log(`nixstrap: refused IPC message: ${refusal}`);
  return refusal === null;
}

/** Calls without an id of their own get one here, out of the renderer's way (below zero). */
let anonymous = 0;

/**
 * Everything an IPC call goes through, kept free of `electron` so it is tested without a
 * display: the sender is checked first, then the window's session runs the call, which
 * validates channel and payload. Whatever the renderer sends, the answer is a Result.
 */
export async function dispatchIpcCall(
  session: ClientSession,
  sender: IpcSender,
  trusted: ReadonlySet<number>,
  message: unknown,
  opts: DispatchOptions,
): Promise<Result<unknown>> {
  if (!senderAllowed(sender, trusted, opts)) return forbidden;
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
  const result = await session.call(id, channel, request);
  // A cancelled call's answer is ignored by the renderer, which already resolved it.
  return result ?? { ok: false, error: { code: 'CANCELLED', message: 'Cancelled.', hint: '' } };
}

/** A subscription from the renderer: checked like a call, its events for that window only. */
export async function dispatchIpcSubscribe(
  session: ClientSession,
  sender: IpcSender,
  trusted: ReadonlySet<number>,
  message: unknown,
  opts: DispatchOptions,
): Promise<Result<unknown>> {
  if (!senderAllowed(sender, trusted, opts)) return forbidden;
  const { id, topic, request } = (message ?? {}) as {
    id?: unknown;
    topic?: unknown;
    request?: unknown;
  };
  if (typeof id !== 'number' || typeof topic !== 'string') return invalidMessage;
  return session.subscribe(id, topic, request);
}
