import { describe, expect, it } from 'vitest';
import { leavesGenerationActive } from '../../common/generations';

describe('a run leaves its generation active, to be kept or undone', () => {
  const run = (status: string, exitCode: number | null, generation: number | null = 3) => ({
    status,
    exitCode,
    generation,
  });

  it('when it succeeded, or switched with failed units (4) or a failed activation snippet (2)', () => {
    expect(leavesGenerationActive(run('succeeded', 0))).toBe(true);
    expect(leavesGenerationActive(run('failed', 4))).toBe(true);
    expect(leavesGenerationActive(run('failed', 2))).toBe(true);
  });

  it('not when activation failed before switching, needs a reboot, or no generation was made', () => {
    expect(leavesGenerationActive(run('failed', 1))).toBe(false);
    expect(leavesGenerationActive(run('failed', 100))).toBe(false);
    expect(leavesGenerationActive(run('cancelled', null))).toBe(false);
    expect(leavesGenerationActive(run('failed', 4, null))).toBe(false);
  });
});
