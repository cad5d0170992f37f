import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NixstrapFailure } from '../../common';
import { closureBytes, closureChanges, queryClosures } from '../../main/core/store';
import { tempDir } from './helpers/cli';
import { buildGenerations } from './helpers/generations';

let older: string;
let newer: string;

beforeAll(() => {
  [older, newer] = buildGenerations([
    { label: '25.05.1', packages: ['hello-2.12', 'curl-8.5.0', 'zlib-1.3'] },
    { label: '25.05.2', packages: ['hello-2.13', 'git-2.44.0', 'zlib-1.3'] },
  ]) as [string, string];
});

describe('closures read from the real store', () => {
  it('lists every path a system needs, itself included', async () => {
    const closures = await queryClosures([older]);
    const names = (closures.paths.get(older) ?? []).map((p) => p.slice(44)).sort();
    expect(names).toEqual(['curl-8.5.0', 'hello-2.12', 'nixos-system-demo-25.05.1', 'zlib-1.3']);
    for (const p of closures.paths.get(older) ?? [])
      expect(closures.narSize.get(p)).toBeGreaterThan(0);
  });

  it('sizes a closure as `nix path-info -S` does', async () => {
    const bytes = await closureBytes([
      older,
      newer,
      '/nix/store/00000000000000000000000000000000-gone',
    ]);
    const closures = await queryClosures([older]);
    const sum = (closures.paths.get(older) ?? []).reduce(
      (t, p) => t + (closures.narSize.get(p) ?? 0),
      0,
    );
    expect(bytes.get(older)).toBe(sum);
    expect(bytes.get(newer)).toBeGreaterThan(0);
    expect(bytes.size).toBe(2);
  });

  it('tells what moving from one system to the other changes', async () => {
    const changes = await closureChanges(older, newer);
    expect(changes.added).toEqual([{ name: 'git', version: '2.44.0' }]);
    expect(changes.removed).toEqual([{ name: 'curl', version: '8.5.0' }]);
    expect(changes.changed).toEqual([
      { name: 'hello', from: '2.12', to: '2.13' },
      { name: 'nixos-system-demo', from: '25.05.1', to: '25.05.2' },
    ]);
    const sizes = await closureBytes([older, newer]);
    expect(changes.sizeBefore).toBe(sizes.get(older));
    expect(changes.sizeAfter).toBe(sizes.get(newer));
  });

  it('says so in one sentence when a store path is gone, without guessing how it went', async () => {
    const gone = '/nix/store/00000000000000000000000000000000-nixos-system-demo-1';
    const failure = await closureChanges(gone, newer).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(NixstrapFailure);
    expect((failure as NixstrapFailure).error.code).toBe('STORE_PATH_GONE');
    expect((failure as NixstrapFailure).error.message).toBe(
      `${gone} is gone from the Nix store, so its contents cannot be read.`,
    );
  });
});

describe('without the `nix` command, only the classic nix-store', () => {
  const savedPath = process.env.PATH;
  afterEach(() => {
    process.env.PATH = savedPath;
  });

  it('gives the same closures and sizes', async () => {
    const expected = await closureChanges(older, newer);
    const expectedBytes = await closureBytes([older]);
    const bin = tempDir('nix-store-only');
    const nixStore = ((savedPath ?? '').split(':') as string[])
      .map((dir) => path.join(dir, 'nix-store'))
      .find((file) => fs.existsSync(file)) as string;
    fs.symlinkSync(nixStore, path.join(bin, 'nix-store'));
    process.env.PATH = bin;
    expect(await closureChanges(older, newer)).toEqual(expected);
    expect(await closureBytes([older])).toEqual(expectedBytes);
  });
});
