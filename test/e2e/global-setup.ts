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
  // The server, and every CLI a test runs, find or make age keys here, never in the tester's home.
  const home = mkdtempSync(join(tmpdir(), 'nixstrap-e2e-home-'));
  process.env.SOPS_AGE_KEY_FILE = join(home, 'sops-age-keys.txt');
  process.env.NIXSTRAP_DATA_DIR = join(home, 'data');
  delete process.env.SOPS_AGE_KEY;
  // Switches made by these tests are not put on trial: a revert a minute later would take the
  // run lock from whatever test runs then (generations.spec.ts tests the trial on its own server).
  const server = await startServe(['--data-dir', dataDir, '--keep-seconds', '0']);
  process.env.NIXSTRAP_E2E_URL = server.url;
  return async () => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  };
}
