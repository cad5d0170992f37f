import { contextBridge, type IpcRendererEvent, ipcRenderer } from 'electron';
import type { Channel, EventName } from '../common/api';
import { CHANNEL_METHODS, type ExposedBridge, IPC_CALL, IPC_EVENT } from '../common/bridge';
import type { Result } from '../common/result';

interface PushedEvent {
  event: EventName;
  payload: unknown;
}

function call(channel: Channel, request: unknown): Promise<Result<unknown>> {
  return ipcRenderer.invoke(IPC_CALL, { channel, request });
}

const methods = Object.fromEntries(
  (Object.entries(CHANNEL_METHODS) as [Channel, string][]).map(([channel, method]) => [
    method,
    (request: unknown) => call(channel, request ?? {}),
  ]),
);

/** Hands the listener the payload only: the IPC event object (and its sender) never reaches the page. */
function onEvent(event: EventName, listener: (payload: unknown) => void): () => void {
  const relay = (_ipc: IpcRendererEvent, message: PushedEvent) => {
    if (message?.event === event) listener(message.payload);
  };
  ipcRenderer.on(IPC_EVENT, relay);
  return () => {
    ipcRenderer.removeListener(IPC_EVENT, relay);
  };
}

const bridge = { ...methods, onEvent } as unknown as ExposedBridge;

contextBridge.exposeInMainWorld('nixstrap', bridge);
