import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../common/security-headers';
import {
  APP_ENTRY_URL,
  decideWindowOpen,
  externalWebUrl,
  isInternalUrl,
} from '../../main/electron/navigation';
import { permissionAllowed } from '../../main/electron/permissions';
import { senderRefusal } from '../../main/electron/sender-check';
import { mainWindowOptions } from '../../main/electron/window';

describe('the main window is locked down', () => {
  const prefs = mainWindowOptions('/app/out/preload/index.cjs').webPreferences ?? {};

  it('isolates the page from Node and Electron', () => {
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
  });

  it('keeps web security and refuses insecure extras', () => {
    expect(prefs.webSecurity).not.toBe(false);
    expect(prefs.allowRunningInsecureContent).not.toBe(true);
    expect(prefs.experimentalFeatures).not.toBe(true);
    expect(prefs.webviewTag).not.toBe(true);
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
  });

  it('loads the bundled CommonJS preload it is given', () => {
    expect(prefs.preload).toBe('/app/out/preload/index.cjs');
  });
});

describe('the app never opens windows of its own', () => {
  it('denies every window.open, and sends web links to the system browser', () => {
    const opened: string[] = [];
    const open = (href: string) => opened.push(href);
    expect(decideWindowOpen('https://nixos.org/manual', open)).toEqual({ action: 'deny' });
    expect(decideWindowOpen('http://example.com/', open)).toEqual({ action: 'deny' });
    expect(decideWindowOpen(APP_ENTRY_URL, open)).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://nixos.org/manual', 'http://example.com/']);
  });

  it('drops links that are not plain web addresses', () => {
    const opened: string[] = [];
    for (const url of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://host/share',
      'https://user:secret@example.com/',
      'not a url',
    ]) {
      expect(decideWindowOpen(url, (href) => opened.push(href))).toEqual({ action: 'deny' });
    }
    expect(opened).toEqual([]);
    expect(externalWebUrl('HTTPS://Example.com')).toBe('https://example.com/');
  });
});

describe('navigation stays inside the app', () => {
  it('allows the app origin', () => {
    expect(isInternalUrl('app://nixstrap/index.html')).toBe(true);
    expect(isInternalUrl('app://nixstrap/')).toBe(true);
    expect(isInternalUrl('app://NIXSTRAP/index.html#plan')).toBe(true);
  });

  it('rejects external sites and lookalikes', () => {
    for (const url of [
      'https://example.com/',
      'app://nixstrap.evil/',
      'app://nixstrap.evil/index.html',
      'https://app//nixstrap',
      'app://evil/nixstrap',
      'app://nixstrap@evil/',
      'app://user:pw@nixstrap/',
      'file:///app/out/renderer/index.html',
      'http://nixstrap/',
      'javascript:location="app://nixstrap/"',
      '',
    ]) {
      expect(isInternalUrl(url), url).toBe(false);
    }
  });

  it('trusts a dev server only when one is given, and only its exact origin', () => {
    expect(isInternalUrl('http://localhost:5173/')).toBe(false);
    expect(isInternalUrl('http://localhost:5173/', 'http://localhost:5173')).toBe(true);
    expect(isInternalUrl('http://localhost:5174/', 'http://localhost:5173')).toBe(false);
  });
});

describe('only the app page may call the API over IPC', () => {
  const trusted = new Set([7]);
  const fromApp = { webContentsId: 7, frameUrl: 'app://nixstrap/index.html', isMainFrame: true };

  it('accepts the main frame of a trusted window showing the app', () => {
    expect(senderRefusal(fromApp, trusted)).toBeNull();
  });

  it('refuses unknown windows, subframes, gone frames and foreign pages', () => {
    expect(senderRefusal({ ...fromApp, webContentsId: 8 }, trusted)).toMatch(/not trusted/);
    expect(senderRefusal({ ...fromApp, isMainFrame: false }, trusted)).toMatch(/subframe/);
    expect(senderRefusal({ ...fromApp, frameUrl: null }, trusted)).toMatch(/gone/);
    expect(
      senderRefusal({ ...fromApp, frameUrl: 'app://nixstrap.evil/index.html' }, trusted),
    ).toMatch(/not the app/);
    expect(senderRefusal({ ...fromApp, frameUrl: 'https://example.com/' }, trusted)).toMatch(
      /not the app/,
    );
  });
});

describe('the page gets no permission but writing to the clipboard', () => {
  it('lets the app page copy, so its Copy buttons work', () => {
    expect(permissionAllowed('clipboard-sanitized-write', APP_ENTRY_URL, true)).toBe(true);
    expect(permissionAllowed('clipboard-sanitized-write', 'app://nixstrap', true)).toBe(true);
    expect(
      permissionAllowed(
        'clipboard-sanitized-write',
        'http://localhost:5173/',
        true,
        'http://localhost:5173',
      ),
    ).toBe(true);
  });

  it('refuses clipboard writes to subframes and foreign pages', () => {
    expect(permissionAllowed('clipboard-sanitized-write', APP_ENTRY_URL, false)).toBe(false);
    expect(permissionAllowed('clipboard-sanitized-write', 'https://example.com/', true)).toBe(
      false,
    );
    expect(permissionAllowed('clipboard-sanitized-write', 'app://nixstrap.evil/', true)).toBe(
      false,
    );
    expect(permissionAllowed('clipboard-sanitized-write', undefined, true)).toBe(false);
  });

  it('denies every other permission, the app page included', () => {
    for (const permission of [
      'clipboard-read',
      'media',
      'notifications',
      'geolocation',
      'openExternal',
      'fullscreen',
      'unknown',
    ]) {
      expect(permissionAllowed(permission, APP_ENTRY_URL, true), permission).toBe(false);
    }
  });
});

describe('the page carries the one Content-Security-Policy', () => {
  it('repeats in index.html the policy both shells send as a header', () => {
    const html = readFileSync(path.join(import.meta.dirname, '../../renderer/index.html'), 'utf8');
    const meta = html.match(/<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/);
    expect(meta?.[1]).toBe(CONTENT_SECURITY_POLICY);
  });

  it('lets scripts, frames and objects come from the app alone', () => {
    const directives = new Map(
      CONTENT_SECURITY_POLICY.split(';').map((part) => {
        const [name = '', ...sources] = part.trim().split(/\s+/);
        return [name, sources] as const;
      }),
    );
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|\*|http:|https:/);
  });
});
