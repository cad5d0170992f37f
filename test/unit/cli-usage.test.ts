import { describe, expect, it } from 'vitest';
import { cliHint } from '../../main/cli/hints';
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

describe('hints in CLI words', () => {
  it('names the profile the user gave, quoted for the shell', () => {
    expect(
      cliHint('The list of generations shows the numbers it has.', "/tmp/my prof's/system"),
    ).toBe(
      "`nixstrap generations --profile '/tmp/my prof'\\''s/system'` shows the numbers it has.",
    );
    expect(cliHint('Read the log above; to put things back, roll back to generation 41.')).toBe(
      'Read the log above; to put things back, run `nixstrap rollback --to 41`.',
    );
  });
});
