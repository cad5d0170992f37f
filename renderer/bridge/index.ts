import type { Bridge } from '../../common/bridge';
import { ipcBridge } from './ipc';
import { currentKey } from './launch-key';
import { wsBridge } from './ws';

export type { Bridge, ConnectionState } from '../../common/bridge';
export { ipcBridge } from './ipc';
export { arrivalRefusal, keyInAddress } from './launch-key';
export { wsBridge } from './ws';

/** Electron's preload when it is there, else the WebSocket of the server that served this page. */
export function pickBridge(): Bridge {
  if (window.nixstrap) return ipcBridge(window.nixstrap);
  const { protocol, host } = window.location;
  const scheme = protocol === 'https:' ? 'wss' : 'ws';
  return wsBridge({
    socketUrl: `${scheme}://${host}/ws`,
    sessionUrl: sessionUrl(),
    key: currentKey,
  });
}

/** Browser mode's check of the page's key: 204 while the server takes it. */
export function sessionUrl(): string {
  return `${window.location.origin}/session`;
}
