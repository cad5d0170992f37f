/** The origin the renderer is served from (see protocol.ts). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'nixstrap';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * True only for pages of the app itself. Parsed, never prefix-matched, so `app://nixstrap.evil/`
 * and `app://nixstrap@evil/` are foreign. `devOrigin` is the electron-vite dev server, if any.
 */
export function isInternalUrl(url: string, devOrigin?: string): boolean {
  const parsed = parse(url);
  if (!parsed || parsed.username || parsed.password) return false;
  if (parsed.protocol === `${APP_SCHEME}:` && parsed.host.toLowerCase() === APP_HOST) return true;
  return devOrigin !== undefined && parsed.origin === devOrigin;
}

/** The address to hand to the system browser, or null: only plain web links ever leave the app. */
export function externalWebUrl(url: string): string | null {
  const parsed = parse(url);
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) return null;
  if (parsed.username || parsed.password) return null;
  return parsed.href;
}

/**
 * `setWindowOpenHandler`: the app never opens windows of its own. A web link goes to the system
 * browser instead; anything else (file:, javascript:, custom schemes) is dropped.
 */
export function decideWindowOpen(
  url: string,
  openExternal: (href: string) => void,
): { action: 'deny' } {
  const href = externalWebUrl(url);
  if (href) openExternal(href);
  return { action: 'deny' };
}
