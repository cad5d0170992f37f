import { type Session, shell, type WebContents } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../../common/security-headers';
import { decideWindowOpen, isInternalUrl } from './navigation';
import { permissionAllowed } from './permissions';

export interface HardeningOptions {
  /** The electron-vite dev server origin in development; undefined in a built app. */
  devOrigin?: string;
  log: (line: string) => void;
}

/**
 * Denies every permission (camera, notifications, …) but the app page's clipboard writes, and
 * sets the CSP on every response.
 */
export function hardenSession(session: Session, opts: HardeningOptions): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const allowed = permissionAllowed(
      permission,
      details.requestingUrl,
      details.isMainFrame,
      opts.devOrigin,
    );
    if (!allowed) opts.log(`nixstrap: denied permission request: ${permission}`);
    callback(allowed);
  });
  // A check may come with the requesting origin alone.
  session.setPermissionCheckHandler((_contents, permission, origin, details) =>
    permissionAllowed(
      permission,
      details.requestingUrl ?? origin,
      details.isMainFrame,
      opts.devOrigin,
    ),
  );
  // The dev server injects an inline React-refresh script the strict policy would block.
  if (opts.devOrigin) return;
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers = Object.fromEntries(
      Object.entries(details.responseHeaders ?? {}).filter(
        ([name]) => name.toLowerCase() !== 'content-security-policy',
      ),
    );
    callback({
      responseHeaders: { ...headers, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
  });
}

/** Guards for one webContents: no foreign navigation, no new windows, no <webview>. */
export function hardenWebContents(contents: WebContents, opts: HardeningOptions): void {
  const blockForeign = (event: { preventDefault(): void }, url: string) => {
    if (isInternalUrl(url, opts.devOrigin)) return;
    event.preventDefault();
    opts.log(`nixstrap: blocked navigation to ${url}`);
  };
  contents.on('will-navigate', blockForeign);
  contents.on('will-redirect', blockForeign);
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    opts.log('nixstrap: blocked a <webview>');
  });
  contents.setWindowOpenHandler(({ url }) =>
    decideWindowOpen(url, (href) => {
      shell.openExternal(href).catch((error: unknown) => {
        opts.log(`nixstrap: could not open ${href}: ${String(error)}`);
      });
    }),
  );
}
