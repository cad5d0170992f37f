import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { nixstrap, repoRoot } from './helpers/cli';

const version = (
  JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
    version: string;
  }
).version;
let resources: string | undefined;

afterEach(() => {
  if (resources) rmSync(resources, { recursive: true, force: true });
});

describe('nixstrap --version', () => {
  it('prints the version of its package.json', () => {
    expect(nixstrap(['--version']).stdout.trim()).toBe(version);
  });

  it('still does where the resources folder holds templates/ alone, as a packaged app’s does', () => {
    resources = mkdtempSync(path.join(tmpdir(), 'nixstrap-resources-'));
    mkdirSync(path.join(resources, 'templates'));
    const run = nixstrap(['--version'], { env: { NIXSTRAP_RESOURCES: resources } });
    expect(run.stdout.trim()).toBe(version);
  });
});
