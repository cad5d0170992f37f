import { describe, expect, it } from 'vitest';
import { diffClosures, parseStoreName } from '../../main/core/store';

const at = (base: string) => `/nix/store/${'a'.repeat(32)}-${base}`;

describe('package name and version from a store path', () => {
  it.each([
    ['hello-2.12.1', 'hello', '2.12.1'],
    ['python3.12-requests-2.31.0', 'python3.12-requests', '2.31.0'],
    ['nixos-system-atlas-25.05.20250101.abcdef', 'nixos-system-atlas', '25.05.20250101.abcdef'],
    ['openssl-3.0.13-bin', 'openssl', '3.0.13'],
    ['linux-6.6.1-modules', 'linux', '6.6.1'],
    ['glibc-2.39-52', 'glibc', '2.39-52'],
    ['etc', 'etc', ''],
    ['unit-sshd.service', 'unit-sshd.service', ''],
    ['X-Restart-Triggers-sshd', 'X-Restart-Triggers-sshd', ''],
  ])('%s is %s at "%s"', (base, name, version) => {
    expect(parseStoreName(at(base))).toEqual({ name, version });
  });
});

describe('the difference between two closures', () => {
  const sizes = new Map<string, number>([
    [at('hello-2.12'), 100],
    [at('hello-2.13'), 120],
    [at('curl-8.5.0'), 300],
    [at('git-2.44.0'), 500],
    [at('etc'), 10],
  ]);

  it('tells added, removed and changed packages apart, sorted by name, with both sizes', () => {
    const changes = diffClosures(
      [at('hello-2.12'), at('curl-8.5.0'), at('etc')],
      [at('hello-2.13'), at('git-2.44.0'), at('etc')],
      sizes,
    );
    expect(changes).toEqual({
      added: [{ name: 'git', version: '2.44.0' }],
      removed: [{ name: 'curl', version: '8.5.0' }],
      changed: [{ name: 'hello', from: '2.12', to: '2.13' }],
      sizeBefore: 410,
      sizeAfter: 630,
    });
  });

  it('counts everything as added for a first install, with no size before', () => {
    const changes = diffClosures(null, [at('hello-2.12')], sizes);
    expect(changes.added).toEqual([{ name: 'hello', version: '2.12' }]);
    expect(changes.sizeBefore).toBeNull();
    expect(changes.sizeAfter).toBe(100);
  });

  it('sees no change between a package and its other outputs of the same version', () => {
    const changes = diffClosures(
      [at('openssl-3.0.13')],
      [at('openssl-3.0.13'), at('openssl-3.0.13-bin')],
      sizes,
    );
    expect(changes.added).toEqual([]);
    expect(changes.changed).toEqual([]);
  });
});
