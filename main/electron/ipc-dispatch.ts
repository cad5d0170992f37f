import type { Result } from '../../common';
import type { Api } from '../api';
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
 * Everything an IPC call goes through, kept free of `electron` so it is tested without a
 * display: the sender is checked first, then `api.call` validates channel and payload.
 * Whatever the renderer sends, the answer is a Result, never a throw.
 */
export async function dispatchIpcCall(
  api: Api,
  sender: IpcSender,
  trusted: ReadonlySet<number>,
  message: unknown,
  opts: DispatchOptions,
): Promise<Result<unknown>> {
  const refusal = senderRefusal(sender, trusted, opts.devOrigin);
  if (refusal) {
    opts.log(`nixstrap: refused IPC call: ${refusal}`);
    return forbidden;
  }
  if (typeof message !== 'object' || message === null || !('channel' in message)) {
    return invalidMessage;
  }
  const { channel, request } = message as { channel: unknown; request?: unknown };
  if (typeof channel !== 'string') return invalidMessage;
  return api.call(channel, request);
}
