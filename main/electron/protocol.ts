import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { protocol } from 'electron';
import { SECURITY_HEADERS } from '../../common/security-headers';
import { contentTypeFor, rendererFilePath } from '../../common/static-files';
import { APP_HOST, APP_SCHEME } from './navigation';

/** Must run before `app.ready`: `standard` gives app:// real origins and relative URLs. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

function notFound(): Response {
  return new Response('Not found', { status: 404, headers: { ...SECURITY_HEADERS } });
}

/** Serves the built renderer at app://nixstrap/ instead of file://, refusing any path outside it. */
export function serveRenderer(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host.toLowerCase() !== APP_HOST) return notFound();
    const relative = rendererFilePath(url.pathname);
    if (!relative) return notFound();
    try {
      const body = await readFile(join(rendererDir, relative));
      return new Response(body, {
        headers: { ...SECURITY_HEADERS, 'Content-Type': contentTypeFor(relative) },
      });
    } catch {
      return notFound();
    }
  });
}
