import { describe, expect, it } from 'vitest';
import { timeAgo } from '../../renderer/time-ago';

describe('when answers were recorded, as the plan screen says it', () => {
  const now = Date.parse('2026-11-26T12:00:00Z');
  it.each([
    ['2026-11-26T11:59:30Z', 'just now'],
    ['2026-11-26T11:55:00Z', '5 minutes ago'],
    ['2026-11-26T09:00:00Z', '3 hours ago'],
    ['2026-11-25T11:00:00Z', 'yesterday'],
    ['2026-11-23T12:00:00Z', '3 days ago'],
    ['2026-11-12T12:00:00Z', '2 weeks ago'],
    ['2026-08-26T12:00:00Z', '3 months ago'],
    ['2024-11-26T12:00:00Z', '2 years ago'],
  ])('%s reads "%s"', (iso, words) => {
    expect(timeAgo(iso, now)).toBe(words);
  });
});
