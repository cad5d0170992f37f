import type { Bridge } from '../../common/bridge';

/** Electron: the preload already exposes one method per channel plus onEvent. */
export function ipcBridge(exposed: Bridge): Bridge {
  return exposed;
}
