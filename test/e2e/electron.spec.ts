import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import { ROOT } from './serve';

/**
 * The path `require('electron')` would return, or why there is none. Worked out from the
 * package's path.txt rather than by requiring it, because requiring it starts a download.
 */
function electronBinary(): { path: string } | { missing: string } {
  const packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return { missing: `${pathFile} does not exist` };
  const relative = readFileSync(pathFile, 'utf8');
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const path = override ? join(override, relative) : join(packageDir, 'dist', relative);
  return existsSync(path) ? { path } : { missing: `${path} does not exist` };
}

test.describe('the Electron app shows the wizard in a locked-down window', () => {
  test('it starts, detects this machine and exposes only the Nixstrap bridge', async () => {
    const binary = electronBinary();
    if ('missing' in binary) {
      const reason = `Electron binary not installed (ELECTRON_SKIP_BINARY_DOWNLOAD): ${binary.missing}`;
      // The list reporter shows test output but not skip annotations; say it where people look.
      console.log(`skipped: ${reason}`);
      test.skip(true, reason);
      return;
    }

    const dataDir = mkdtempSync(join(tmpdir(), 'nixstrap-e2e-electron-'));
    const rootArgs = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
    const app = await electron.launch({
      executablePath: binary.path,
      args: [...rootArgs, join(ROOT, 'out/main/electron.js')],
      cwd: ROOT,
      env: { ...process.env, NIXSTRAP_E2E: '1', NIXSTRAP_DATA_DIR: dataDir },
    });
    try {
      const page = await app.firstWindow();
      await expect(page.locator('body[data-app-state="ready"]')).toBeAttached({ timeout: 30_000 });
      await expect(page.getByTestId('facts-card')).toBeVisible();
      expect(new URL(page.url()).origin).toBe('app://nixstrap');

      const exposed = await page.evaluate(() => {
        const global = window as unknown as Record<string, unknown>;
        let evalBlocked = false;
        try {
          // biome-ignore lint/security/noGlobalEval: proves the CSP forbids eval
          eval('1');
        } catch {
          evalBlocked = true;
        }
        return {
          methods: Object.keys((global.nixstrap as object | undefined) ?? {}).sort(),
          require: typeof global.require,
          process: typeof global.process,
          evalBlocked,
        };
      });
      expect(exposed.methods).toContain('detectFacts');
      expect(exposed.methods).toContain('subscribeRebuild');
      expect(exposed.methods).toContain('terminalSend');
      expect(exposed.methods).not.toContain('ipcRenderer');
      expect(exposed.require).toBe('undefined');
      expect(exposed.process).toBe('undefined');
      expect(exposed.evalBlocked).toBe(true);

      await page.evaluate(() => {
        window.location.href = 'https://example.com/';
      });
      await expect(page.getByTestId('facts-card')).toBeVisible();
      expect(new URL(page.url()).origin).toBe('app://nixstrap');
    } finally {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
