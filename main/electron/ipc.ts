import { ipcMain, type WebContents, webContents } from 'electron';
import { EVENTS, type EventName, type Result } from '../../common';
import { IPC_CALL, IPC_EVENT } from '../../common/bridge';
import type { Api } from '../api';
import { senderRefusal } from './sender-check';

export interface IpcOptions {
  devOrigin?: string;
  log: (line: string) => void;
}

export interface IpcBridge {
  /** Marks a window's webContents as allowed to call the API, until it is destroyed. */
  trust(contents: WebContents): void;
  dispose(): void;
}

const forbidden: Result<never> = {
  ok: false,
  error: {
    code: 'FORBIDDEN_ORIGIN',
    message: 'This page is not allowed to use the Nixstrap API.',
    hint: 'Only the Nixstrap window itself may call the API.',
  },
};

function invalidMessage(): Result<never> {
  return {
    ok: false,
    error: {
      code: 'INVALID_REQUEST',
      message: 'The IPC message must be an object with a "channel" and a "request".',
      hint: 'Call the API through the methods on window.nixstrap.',
    },
  };
}

/** Typed push that never touches a destroyed window. */
function sendEvent(contents: WebContents, event: EventName, payload: unknown): void {
  if (!contents.isDestroyed()) contents.send(IPC_EVENT, { event, payload });
}

/**
 * One invoke channel carries every call as {channel, request}; the sender is checked first, then
 * `api.call` validates the channel and the payload against the contract.
 */
export function registerIpc(api: Api, opts: IpcOptions): IpcBridge {
  const trusted = new Set<number>();

  ipcMain.handle(IPC_CALL, async (event, message: unknown) => {
    const frame = event.senderFrame;
    const refusal = senderRefusal(
      {
        webContentsId: event.sender.id,
        frameUrl: frame ? frame.url : null,
        isMainFrame: frame !== null && frame.parent === null,
      },
      trusted,
      opts.devOrigin,
    );
    if (refusal) {
      opts.log(`nixstrap: refused IPC call: ${refusal}`);
      return forbidden;
    }
    if (typeof message !== 'object' || message === null || !('channel' in message)) {
      return invalidMessage();
    }
    const { channel, request } = message as { channel: unknown; request?: unknown };
    if (typeof channel !== 'string') return invalidMessage();
    return api.call(channel, request);
  });

  const unsubscribers = (Object.keys(EVENTS) as EventName[]).map((name) =>
    api.on(name, (payload) => {
      for (const id of trusted) {
        const contents = webContents.fromId(id);
        if (contents) sendEvent(contents, name, payload);
      }
    }),
  );

  return {
    trust(contents) {
      const id = contents.id;
      trusted.add(id);
      contents.once('destroyed', () => trusted.delete(id));
    },
    dispose() {
      ipcMain.removeHandler(IPC_CALL);
      for (const unsubscribe of unsubscribers) unsubscribe();
      trusted.clear();
    },
  };
}
