import type { BrowserWindowConstructorOptions } from 'electron';

/**
 * The main window's options. Kept free of runtime Electron imports so a unit test can assert the
 * security settings without launching Electron. Each one is set explicitly even where it is the
 * default, so a changed default or a careless edit shows up in that test.
 */
export function mainWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1120,
    height: 800,
    minWidth: 720,
    minHeight: 560,
    title: 'Nixstrap',
    show: false,
    backgroundColor: '#15171c',
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      spellcheck: false,
    },
  };
}
