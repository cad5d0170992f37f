import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// Secrets are on by default: planning them finds or makes the owner's age key where sops looks
// for it, and a host's own key in Nixstrap's data dir. A test must never read or create either
// in the tester's home, so each test process (and every CLI or server it starts, which inherit
// the environment) gets its own places, made once per process.
if (process.env.NIXSTRAP_TEST_HOME === undefined) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nixstrap-test-home-'));
  process.env.NIXSTRAP_TEST_HOME = dir;
  process.env.SOPS_AGE_KEY_FILE = path.join(dir, 'sops-age-keys.txt');
  process.env.NIXSTRAP_DATA_DIR ??= path.join(dir, 'data');
  delete process.env.SOPS_AGE_KEY;
}
