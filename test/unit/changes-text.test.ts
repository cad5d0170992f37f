import { describe, expect, it } from 'vitest';
import { formatChanges } from '../../common/changes-text';

const changes = {
  changed: [{ name: 'hello', from: '2.12', to: '2.13' }],
  added: [{ name: 'ripgrep', version: '14.1' }],
  removed: [],
  sizeAfter: 1946,
};

describe('the changes between two closures, as the terminal prints them', () => {
  it('a first system says there is nothing to compare with, as the wizard does', () => {
    expect(formatChanges({ ...changes, sizeBefore: null })).toBe(
      [
        '  ~ hello: 2.12 → 2.13',
        '  + ripgrep 14.1',
        'Closure: 1.9 KiB in all (no earlier system to compare with)',
      ].join('\n'),
    );
  });

  it('a later one gives both sizes and the difference, signed', () => {
    expect(
      formatChanges({ ...changes, sizeBefore: 1602 })
        .split('\n')
        .at(-1),
    ).toBe('Closure: 1.6 KiB → 1.9 KiB (+344 B)');
    expect(
      formatChanges({ ...changes, sizeBefore: 2290 })
        .split('\n')
        .at(-1),
    ).toBe('Closure: 2.2 KiB → 1.9 KiB (−344 B)');
  });
});
