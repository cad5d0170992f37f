import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const script = path.join(root, 'scripts/pty-spawn-helper.mjs');
const installed = path.dirname(createRequire(import.meta.url).resolve('node-pty/package.json'));
let dir: string | undefined;

afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('after an install, node-pty can start its macOS spawn-helper', () => {
  it('gives the shipped helpers, read-only as npm unpacks them, their exec bit', () => {
    dir = mkdtempSync(path.join(tmpdir(), 'nixstrap-pty-'));
    cpSync(path.join(installed, 'prebuilds'), path.join(dir, 'prebuilds'), { recursive: true });
    const helper = path.join(dir, 'prebuilds/darwin-arm64/spawn-helper');
    const other = path.join(dir, 'prebuilds/darwin-x64/spawn-helper');
    const addon = path.join(dir, 'prebuilds/darwin-arm64/pty.node');
    for (const file of [helper, other, addon]) chmodSync(file, 0o644);

    const run = spawnSync(process.execPath, [script, dir], { encoding: 'utf8' });

    expect(run.status, run.stderr).toBe(0);
    expect(statSync(helper).mode & 0o777).toBe(0o755);
    expect(statSync(other).mode & 0o777).toBe(0o755);
    expect(statSync(addon).mode & 0o777).toBe(0o644);
  });

  it('leaves a folder without helpers alone', () => {
    dir = mkdtempSync(path.join(tmpdir(), 'nixstrap-pty-'));
    const run = spawnSync(process.execPath, [script, dir], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe('');
  });
});
