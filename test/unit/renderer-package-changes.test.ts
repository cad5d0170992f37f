import { describe, expect, it } from 'vitest';
import { packageLines } from '../../renderer/package-changes';

describe('a change lists its packages the same way in the rebuild and the generations', () => {
  it('keeps what arrives and leaves with its version, and shows how an upgrade moves', () => {
    const lines = packageLines({
      added: [{ name: 'curl', version: '8.5.0' }],
      removed: [{ name: 'git', version: '2.44.0' }],
      changed: [{ name: 'hello', from: '2.13', to: '2.12' }],
      sizeBefore: 100,
      sizeAfter: 120,
    });
    expect(lines).toEqual({
      added: [{ name: 'curl', version: '8.5.0' }],
      removed: [{ name: 'git', version: '2.44.0' }],
      changed: [{ name: 'hello', version: '2.13 → 2.12' }],
    });
  });

  it('writes a version Nix does not know as ?, never a bare arrow', () => {
    const lines = packageLines({
      added: [],
      removed: [],
      changed: [
        { name: 'firmware', from: '', to: '2024' },
        { name: 'kernel', from: '6.6', to: '' },
      ],
      sizeBefore: null,
      sizeAfter: 0,
    });
    expect(lines.changed.map((line) => line.version)).toEqual(['? → 2024', '6.6 → ?']);
  });
});
