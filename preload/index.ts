import { contextBridge, type IpcRendererEvent, ipcRenderer } from 'electron';
import type { Channel, Topic } from '../common/api';
import {
  CHANNEL_METHODS,
  IPC_CALL,
  IPC_CANCEL,
  IPC_EVENT,
  IPC_SUBSCRIBE,
  IPC_TERMINAL_PORT,
  IPC_UNSUBSCRIBE,
  type PreloadApi,
  TOPIC_METHODS,
} from '../common/bridge';
import type { Result } from '../common/result';

interface PushedEvent {
  subscription: number;
  event: unknown;
}

function call(channel: Channel, request: unknown, callId?: number): Promise<Result<unknown>> {
  return ipcRenderer.invoke(IPC_CALL, { channel, request, callId });
}

const methods = Object.fromEntries(
  (Object.entries(CHANNEL_METHODS) as [Channel, string][]).map(([channel, method]) => [
    method,
    (request: unknown, callId?: number) =>
      call(channel, request ?? {}, typeof callId === 'number' ? callId : undefined),
  ]),
);

/** One IPC listener for every subscription, routed by id; the IPC event never reaches the page. */
const listeners = new Map<number, (event: unknown) => void>();
let nextSubscription = 1;
ipcRenderer.on(IPC_EVENT, (_ipc: IpcRendererEvent, message: PushedEvent) => {
  listeners.get(message?.subscription)?.(message.event);
});

async function subscribe(
  topic: Topic,
  request: unknown,
  listener: (event: unknown) => void,
): Promise<Result<() => void>> {
  const id = nextSubscription++;
  listeners.set(id, listener);
  const result: Result<unknown> = await ipcRenderer.invoke(IPC_SUBSCRIBE, { id, topic, request });
  if (!result.ok) {
    listeners.delete(id);
    return result;
  }
  return {
    ok: true,
    value: () => {
      if (listeners.delete(id)) ipcRenderer.send(IPC_UNSUBSCRIBE, id);
    },
  };
}

const topics = Object.fromEntries(
  (Object.entries(TOPIC_METHODS) as [Topic, string][]).map(([topic, method]) => [
    method,
    (request: unknown, listener: (event: unknown) => void) => subscribe(topic, request, listener),
  ]),
);

/**
 * Terminal frames travel on a MessagePort main hands over on first use, so output bypasses
 * the invoke channel. Frames written before the port arrives wait for it.
 */
let port: MessagePort | null = null;
let portRequested = false;
const waiting: Uint8Array[] = [];
const frameListeners = new Set<(frame: Uint8Array) => void>();

ipcRenderer.on(IPC_TERMINAL_PORT, (event: IpcRendererEvent) => {
  const [given] = event.ports;
  if (!given) return;
  port = given;
  port.onmessage = (message: MessageEvent) => {
    const data = message.data as Uint8Array | ArrayBuffer;
    const frame = data instanceof Uint8Array ? data : new Uint8Array(data);
    for (const listener of frameListeners) listener(frame);
  };
  port.start();
  for (const frame of waiting.splice(0)) port.postMessage(frame);
});

function requestPort(): void {
  if (portRequested) return;
  portRequested = true;
  ipcRenderer.send(IPC_TERMINAL_PORT);
}

const bridge = {
  ...methods,
  ...topics,
  cancelCall: (callId: number) => ipcRenderer.send(IPC_CANCEL, callId),
  terminalSend(frame: Uint8Array) {
    requestPort();
    if (port) port.postMessage(frame);
    else waiting.push(frame);
  },
  onTerminalFrame(listener: (frame: Uint8Array) => void) {
    requestPort();
    frameListeners.add(listener);
    return () => {
      frameListeners.delete(listener);
    };
  },
} as unknown as PreloadApi;

contextBridge.exposeInMainWorld('nixstrap', bridge);
