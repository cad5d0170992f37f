import { ipcMain, type WebContents, webContents } from 'electron';
import { EVENTS, type EventName } from '../../common';
import { IPC_CALL, IPC_EVENT } from '../../common/bridge';
import type { Api } from '../api';
import { type DispatchOptions, dispatchIpcCall } from './ipc-dispatch';

export type IpcOptions = DispatchOptions;

export interface IpcBridge {
  /** Marks a window's webContents as allowed to call the API, until it is destroyed. */
  trust(contents: WebContents): void;
  dispose(): void;
}

/** Typed push that never touches a destroyed window. */
function sendEvent(contents: WebContents, event: EventName, payload: unknown): void {
  if (!contents.isDestroyed()) contents.send(IPC_EVENT, { event, payload });
}

/** One invoke channel carries every call as {channel, request}; `dispatchIpcCall` judges each. */
export function registerIpc(api: Api, opts: IpcOptions): IpcBridge {
  const trusted = new Set<number>();

  ipcMain.handle(IPC_CALL, async (event, message: unknown) => {
    const frame = event.senderFrame;
    const sender = {
      webContentsId: event.sender.id,
      frameUrl: frame ? frame.url : null,
      isMainFrame: frame !== null && frame.parent === null,
    };
    return dispatchIpcCall(api, sender, trusted, message, opts);
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
