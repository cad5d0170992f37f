import { describe, expect, it } from 'vitest';
import { freeHostName } from '../../renderer/free-host-name';

describe('the free host name offered when the repo already has the name', () => {
  it('adds -2, or the next number none of the hosts has', () => {
    expect(freeHostName('alice-laptop', ['alice-laptop'])).toBe('alice-laptop-2');
    expect(freeHostName('desk', ['desk', 'desk-2', 'desk-3'])).toBe('desk-4');
  });

  it('counts on from a number the name already ends with', () => {
    expect(freeHostName('desk-2', ['desk', 'desk-2'])).toBe('desk-3');
  });

  it('stays within the 63 characters of a host name', () => {
    const long = 'a'.repeat(63);
    const free = freeHostName(long, [long]);
    expect(free).toHaveLength(63);
    expect(free.endsWith('a-2')).toBe(true);
  });
});
