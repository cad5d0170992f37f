import type { PreloadApi } from '../../common/bridge';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in browser mode. */
    nixstrap?: PreloadApi;
  }
}
