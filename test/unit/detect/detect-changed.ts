import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectFacts, openFixture } from '../../../main/core/detect/index';

/** Detects a copy of the fixture `base` after `change` has altered it; the copy is removed. */
export function detectChanged(base: string, change: (dir: string) => void) {
  const dir = mkdtempSync(join(tmpdir(), 'nixstrap-changed-'));
  try {
    cpSync(join(import.meta.dirname, `../../fixtures/machines/${base}`), dir, {
      recursive: true,
      verbatimSymlinks: true,
    });
    change(dir);
    return detectFacts(openFixture(dir));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
