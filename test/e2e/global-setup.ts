import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, startServe } from './serve';

/**
 * Starts browser mode the way a user does (`nixstrap serve`, live detection) and hands its URL
 * to the tests in NIXSTRAP_E2E_URL. Returns the teardown Playwright runs at the end.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  for (const built of ['out/main/cli.js', 'out/renderer/index.html']) {
    if (!existsSync(join(ROOT, built))) {
      throw new Error(
        `${built} is missing. Run \`npx electron-vite build\` before the end-to-end tests.`,
      );
    }
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'nixstrap-e2e-data-'));
  // Planning secrets finds or makes the owner's age key where sops looks for it. Every server and
  // CLI the tests start inherits this, so none of them touches the tester's own key.
  process.env.SOPS_AGE_KEY_FILE = join(dataDir, 'sops-age-keys.txt');
  delete process.env.SOPS_AGE_KEY;
  const server = await startServe(['--data-dir', dataDir]);
  process.env.NIXSTRAP_E2E_URL = server.url;
  return async () => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
