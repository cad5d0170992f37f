import type { ExposedBridge } from '../../common/bridge';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in browser mode. */
    nixstrap?: ExposedBridge;
  }
}
