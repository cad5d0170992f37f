import { describe, expect, it } from 'vitest';
import { type FlakeInput, inputDifferences, inputLabel } from '../../common';
import { parseLockedInputs } from '../../main/core/rebuild/flake-lock';

const NIXPKGS_REV = '1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b';
const HM_REV = '5d6e7f8091a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6';

/** A lock as Nix 2.4+ writes it: github pins, a `follows`, a path input with no commit. */
const LOCK = {
  nodes: {
    'home-manager': {
      inputs: { nixpkgs: ['nixpkgs'] },
      locked: {
        lastModified: 1795600000,
        narHash: 'sha256-hm',
        owner: 'nix-community',
        repo: 'home-manager',
        rev: HM_REV,
        type: 'github',
      },
      original: {
        owner: 'nix-community',
        ref: 'release-25.11',
        repo: 'home-manager',
        type: 'github',
      },
    },
    nixpkgs: {
      locked: {
        lastModified: 1795651200,
        narHash: 'sha256-np',
        owner: 'NixOS',
        repo: 'nixpkgs',
        rev: NIXPKGS_REV,
        type: 'github',
      },
      original: { id: 'nixpkgs', type: 'indirect' },
    },
    secrets: {
      flake: false,
      locked: {
        lastModified: 1795651200,
        narHash: 'sha256-se',
        path: '/srv/secrets',
        type: 'path',
      },
      original: { path: '/srv/secrets', type: 'path' },
    },
    root: {
      inputs: {
        'home-manager': 'home-manager',
        nixpkgs: 'nixpkgs',
        pkgs: ['home-manager', 'nixpkgs'],
        secrets: 'secrets',
      },
    },
  },
  root: 'root',
  version: 7,
};

describe('reading the direct inputs of a flake.lock', () => {
  it('gives each root input its source, full rev, date and hash, following `follows`', () => {
    expect(parseLockedInputs(JSON.stringify(LOCK))).toEqual([
      {
        name: 'home-manager',
        type: 'github',
        source: 'github:nix-community/home-manager/release-25.11',
        rev: HM_REV,
        lastModified: '2026-11-25T09:46:40.000Z',
        narHash: 'sha256-hm',
      },
      {
        name: 'nixpkgs',
        type: 'github',
        source: 'github:NixOS/nixpkgs',
        rev: NIXPKGS_REV,
        lastModified: '2026-11-26T00:00:00.000Z',
        narHash: 'sha256-np',
      },
      expect.objectContaining({ name: 'pkgs', rev: NIXPKGS_REV }),
      {
        name: 'secrets',
        type: 'path',
        source: 'path:/srv/secrets',
        rev: null,
        lastModified: '2026-11-26T00:00:00.000Z',
        narHash: 'sha256-se',
      },
    ]);
  });

  it('reads nothing from a lock that is cut short, of an unknown version, or misshapen', () => {
    const text = JSON.stringify(LOCK);
    expect(parseLockedInputs(text.slice(0, text.length / 2))).toBeNull();
    expect(parseLockedInputs(JSON.stringify({ ...LOCK, version: 8 }))).toBeNull();
    expect(parseLockedInputs(JSON.stringify({ ...LOCK, root: 'nowhere' }))).toBeNull();
    expect(parseLockedInputs('[]')).toBeNull();
  });

  it('leaves out an input whose node is missing or whose follows loop', () => {
    const root = { inputs: { gone: 'gone', loop: ['loop'] } };
    const lock = { ...LOCK, nodes: { ...LOCK.nodes, root } };
    expect(parseLockedInputs(JSON.stringify(lock))).toEqual([]);
  });
});

const input = (name: string, rev: string, lastModified: string): FlakeInput => ({
  name,
  source: `github:o/${name}`,
  rev,
  lastModified,
  narHash: `sha256-${rev}`,
});

describe('the words for inputs', () => {
  it('lists an input by short rev and day', () => {
    expect(inputLabel(input('nixpkgs', NIXPKGS_REV, '2026-11-20T10:00:00.000Z'))).toBe(
      'nixpkgs 1a2b3c4 · 20 Nov 2026',
    );
  });

  it('says which inputs differ from the generation in use, and which one has not', () => {
    const now = {
      number: 5,
      inputs: [
        input('home-manager', HM_REV, '2026-11-01T00:00:00Z'),
        input('nixpkgs', HM_REV, '2026-11-27T10:00:00Z'),
      ],
    };
    const then = {
      number: 3,
      inputs: [
        input('home-manager', HM_REV, '2026-11-01T00:00:00Z'),
        input('nixpkgs', NIXPKGS_REV, '2026-11-20T10:00:00Z'),
        input('extra', NIXPKGS_REV, '2025-12-31T10:00:00Z'),
      ],
    };
    expect(inputDifferences(now, then, true)).toEqual([
      'extra: not an input now, 1a2b3c4 (31 Dec 2025) in generation 3',
      'nixpkgs: 5d6e7f8 (27 Nov) now, 1a2b3c4 (20 Nov) in generation 3',
    ]);
    expect(inputDifferences(then, now, false)[1]).toBe(
      'nixpkgs: 1a2b3c4 (20 Nov) in generation 3, 5d6e7f8 (27 Nov) in generation 5',
    );
    expect(inputDifferences(now, { number: 1, inputs: [] }, true)).toEqual([]);
  });
});
