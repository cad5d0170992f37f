import { join, resolve } from 'node:path';
import { app, BrowserWindow, session } from 'electron';
import { createApi } from '../api';
import { resolveDataDir } from '../core/platform';
import { registerIpc } from './ipc';
import { APP_ENTRY_URL } from './navigation';
import { registerAppScheme, serveRenderer } from './protocol';
import { hardenSession, hardenWebContents } from './security';
import { mainWindowOptions } from './window';

const log = (line: string) => process.stderr.write(`${line}\n`);
const here = import.meta.dirname;
const rendererDir = join(here, '../renderer');
const preloadPath = join(here, '../preload/index.cjs');
/** electron-vite dev serves the renderer over http; a packaged app never does. */
const devOrigin =
  !app.isPackaged && process.env.ELECTRON_RENDERER_URL
    ? new URL(process.env.ELECTRON_RENDERER_URL).origin
    : undefined;

// Before `ready`: tests and side-by-side installs get their own Chromium profile and ledger.
if (process.env.NIXSTRAP_DATA_DIR) {
  app.setPath('userData', join(resolve(process.env.NIXSTRAP_DATA_DIR), 'electron'));
}
registerAppScheme();

const isPrimary = process.env.NIXSTRAP_E2E ? true : app.requestSingleInstanceLock();
if (!isPrimary) app.quit();

let mainWindow: BrowserWindow | null = null;

app.on('second-instance', () => {
  if (!mainWindow) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.focus();
});

app.on('web-contents-created', (_event, contents) =>
  hardenWebContents(contents, { devOrigin, log }),
);

async function start(): Promise<void> {
  await app.whenReady();
  hardenSession(session.defaultSession, { devOrigin, log });
  serveRenderer(rendererDir);
  const fixture = process.env.NIXSTRAP_FIXTURE;
  const api = createApi({
    shell: 'electron',
    dataDir: resolveDataDir(undefined),
    ...(fixture ? { fixture } : {}),
  });
  const ipc = registerIpc(api, { devOrigin, log });

  const openWindow = () => {
    const window = new BrowserWindow(mainWindowOptions(preloadPath));
    ipc.trust(window.webContents);
    window.once('ready-to-show', () => window.show());
    window.on('closed', () => {
      if (mainWindow === window) mainWindow = null;
    });
    mainWindow = window;
    void window.loadURL(devOrigin ? (process.env.ELECTRON_RENDERER_URL as string) : APP_ENTRY_URL);
  };

  openWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openWindow();
  });
  app.on('will-quit', () => ipc.dispose());
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

if (isPrimary) {
  start().catch((error: unknown) => {
    log(`nixstrap: could not start: ${error instanceof Error ? error.message : String(error)}`);
    app.exit(1);
  });
}
