import {
  type IpcMainEvent,
  type IpcMainInvokeEvent,
  ipcMain,
  MessageChannelMain,
  type MessagePortMain,
  type WebContents,
} from 'electron';
import {
  IPC_CALL,
  IPC_CANCEL,
  IPC_EVENT,
  IPC_SUBSCRIBE,
  IPC_TERMINAL_PORT,
  IPC_UNSUBSCRIBE,
} from '../../common/bridge';
import { type Api, type ClientSession, createClientSession } from '../api';
import { createIpcDispatch, type DispatchOptions } from './ipc-dispatch';
import type { IpcSender } from './sender-check';

export type IpcOptions = DispatchOptions;

interface WindowSession {
  session: ClientSession;
  /** Main's end of the window's terminal MessagePort, once the window asked for it. */
  port: MessagePortMain | null;
}

export interface IpcBridge {
  /** Marks a window's webContents as allowed to call the API, until it is destroyed. */
  trust(contents: WebContents): void;
  dispose(): void;
}

function senderOf(event: IpcMainEvent | IpcMainInvokeEvent): IpcSender {
  const frame = event.senderFrame;
  return {
    webContentsId: event.sender.id,
    frameUrl: frame ? frame.url : null,
    isMainFrame: frame !== null && frame.parent === null,
  };
}

/**
 * Each trusted window has one client session: its calls can be cancelled, its subscription
 * events go to it alone, and its terminal frames travel on a MessagePort of its own. The
 * session ends when the page reloads or the window closes, as a browser socket's does.
 */
export function registerIpc(api: Api, opts: IpcOptions): IpcBridge {
  const trusted = new Set<number>();
  const sessions = new Map<number, WindowSession>();
  const dispatch = createIpcDispatch(trusted, opts);

  function sessionFor(contents: WebContents): WindowSession {
    const existing = sessions.get(contents.id);
    if (existing) return existing;
    const entry: WindowSession = {
      port: null,
      session: createClientSession(api, {
        event: (id, event) => {
          if (!contents.isDestroyed()) contents.send(IPC_EVENT, { subscription: id, event });
        },
        frame: (frame) => entry.port?.postMessage(frame),
        log: opts.log,
      }),
    };
    sessions.set(contents.id, entry);
    return entry;
  }

  function endSession(id: number): void {
    const entry = sessions.get(id);
    entry?.session.close();
    entry?.port?.close();
    sessions.delete(id);
  }

  ipcMain.handle(IPC_CALL, (event, message: unknown) =>
    dispatch.call(() => sessionFor(event.sender).session, senderOf(event), message),
  );
  ipcMain.handle(IPC_SUBSCRIBE, (event, message: unknown) =>
    dispatch.subscribe(() => sessionFor(event.sender).session, senderOf(event), message),
  );
  const cancelOrUnsubscribe = (event: IpcMainEvent, id: unknown) => {
    if (typeof id !== 'number' || !dispatch.senderAllowed(senderOf(event))) return;
    sessions.get(event.sender.id)?.session.cancel(id);
  };
  ipcMain.on(IPC_CANCEL, cancelOrUnsubscribe);
  ipcMain.on(IPC_UNSUBSCRIBE, cancelOrUnsubscribe);

  ipcMain.on(IPC_TERMINAL_PORT, (event) => {
    if (!dispatch.senderAllowed(senderOf(event))) return;
    const entry = sessionFor(event.sender);
    const { port1, port2 } = new MessageChannelMain();
    port1.on('message', (message) => {
      const data = message.data as unknown;
      if (data instanceof Uint8Array) entry.session.receiveFrame(data);
    });
    port1.start();
    entry.port?.close();
    entry.port = port1;
    event.sender.postMessage(IPC_TERMINAL_PORT, null, [port2]);
  });

  return {
    trust(contents) {
      const id = contents.id;
      trusted.add(id);
      // A reload is a new page: what the old one had going stops, as a closed socket's does.
      contents.on('did-start-navigation', (details) => {
        if (details.isMainFrame && !details.isSameDocument) endSession(id);
      });
      contents.once('destroyed', () => {
        trusted.delete(id);
        endSession(id);
      });
    },
    dispose() {
      for (const channel of [IPC_CALL, IPC_SUBSCRIBE]) ipcMain.removeHandler(channel);
      for (const channel of [IPC_CANCEL, IPC_UNSUBSCRIBE, IPC_TERMINAL_PORT])
        ipcMain.removeAllListeners(channel);
      for (const id of [...sessions.keys()]) endSession(id);
      trusted.clear();
    },
  };
}
