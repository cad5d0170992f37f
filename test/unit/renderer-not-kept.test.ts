import { describe, expect, it } from 'vitest';
import { notKeptSentence, revertedTitle } from '../../renderer/rebuild-words';

describe('a trial nobody kept is told by who went back', () => {
  const revert = { runId: '20261127041703-5a7334', generation: 3, revertTo: 2 };

  it('Nixstrap, when it went back itself', () => {
    expect(notKeptSentence(revert)).toBe(
      'Generation 3 was not kept in time, so Nixstrap went back to generation 2',
    );
    expect(revertedTitle(revert)).toBe(
      'Generation 3 was built and switched to, then Nixstrap went back to generation 2 because it was not kept.',
    );
  });

  it('its keep guard, when the guard did it for a Nixstrap that could not', () => {
    const byGuard = { ...revert, byGuard: true as const };
    expect(notKeptSentence(byGuard)).toBe(
      'Generation 3 was not kept in time, so its keep guard went back to generation 2',
    );
    expect(revertedTitle(byGuard)).toContain('then its keep guard went back to generation 2');
  });
});
