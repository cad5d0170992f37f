import { describe, expect, it } from 'vitest';
import { rollbackVerb } from '../../common/rollback-verb';

describe('rollbackVerb', () => {
  it('rolls back to an older generation, switches to a newer one, boots into either', () => {
    expect(rollbackVerb('switch', 2, 3)).toBe('Roll back to');
    expect(rollbackVerb('switch', 3, 1)).toBe('Switch to');
    expect(rollbackVerb('boot', 3, 1)).toBe('Boot into');
    expect(rollbackVerb('boot', 1, 3)).toBe('Boot into');
  });

  it('rolls back when nothing says which generation is in use', () => {
    expect(rollbackVerb('switch', 4, null)).toBe('Roll back to');
  });
});
