import { describe, expect, it } from 'vitest';
import { VERBS } from '../../main/cli/verbs';

describe('each verb’s usage line', () => {
  it('names every flag the verb takes (--data-dir, common to all, aside)', () => {
    const missing = Object.entries(VERBS).flatMap(([verb, spec]) =>
      Object.keys(spec.flags)
        .filter((flag) => flag !== 'data-dir' && !spec.usage.includes(`--${flag}`))
        .map((flag) => `${verb} --${flag}`),
    );
    expect(missing).toEqual([]);
  });
});
