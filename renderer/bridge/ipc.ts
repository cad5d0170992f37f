import type { Bridge, ExposedBridge } from '../../common/bridge';

/** Electron: the preload exposes one method per channel plus onEvent; IPC is never offline. */
export function ipcBridge(exposed: ExposedBridge): Bridge {
  return {
    ...exposed,
    onConnection: (listener) => {
      listener('online');
      return () => {};
    },
  };
}
