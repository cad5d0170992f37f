import { mkdtempSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeDirs, makeDirsSync } from '../../main/core/platform';

describe('creating the folders of a path', () => {
  it('creates every missing level and accepts what exists', async () => {
    const base = mkdtempSync(path.join(os.tmpdir(), 'nixstrap-dirs-'));
    await makeDirs(path.join(base, 'a/b/c'));
    makeDirsSync(path.join(base, 'a/b/d/e'));
    await makeDirs(path.join(base, 'a/b/c'));
    expect(statSync(path.join(base, 'a/b/c')).isDirectory()).toBe(true);
    expect(statSync(path.join(base, 'a/b/d/e')).isDirectory()).toBe(true);
  });

  it.runIf(process.platform === 'linux')(
    'fails at once inside /proc instead of spinning',
    async () => {
      await expect(makeDirs('/proc/nixstrap-test/x')).rejects.toMatchObject({ code: 'ENOENT' });
      expect(() => makeDirsSync('/proc/nixstrap-test/x')).toThrow();
    },
  );
});
