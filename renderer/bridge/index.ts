import type { Bridge } from '../../common/bridge';
import { ipcBridge } from './ipc';
import { wsBridge } from './ws';

export type { Bridge, ConnectionState } from '../../common/bridge';
export { ipcBridge } from './ipc';
export { wsBridge } from './ws';

/** Electron's preload when it is there, else the WebSocket of the server that served this page. */
export function pickBridge(): Bridge {
  if (window.nixstrap) return ipcBridge(window.nixstrap);
  const { protocol, host } = window.location;
  const scheme = protocol === 'https:' ? 'wss' : 'ws';
  return wsBridge({
    socketUrl: `${scheme}://${host}/ws`,
    sessionUrl: `${protocol}//${host}/session`,
  });
}
