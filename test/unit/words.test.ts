import { describe, expect, it } from 'vitest';
import { andList } from '../../common/words';

describe('andList', () => {
  it('joins items as a sentence does, and counts those past the most it names', () => {
    expect(andList([])).toBe('');
    expect(andList(['a'])).toBe('a');
    expect(andList(['a', 'b'])).toBe('a and b');
    expect(andList(['a', 'b', 'c'])).toBe('a, b and c');
    expect(andList(['a', 'b', 'c'], 3)).toBe('a, b and c');
    expect(andList(['a', 'b', 'c', 'd', 'e'], 3)).toBe('a, b, c and 2 more');
  });
});
