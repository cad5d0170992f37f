import { describe, expect, it } from 'vitest';
import { NixstrapFailure, type PreviousChoices } from '../../common/failure';
import { withChoiceCommands } from '../../main/cli/rollback-choices';

function refusal(choices: PreviousChoices): NixstrapFailure {
  return new NixstrapFailure('NOTHING_TO_ROLL_BACK', 'Not one generation.', 'Choose one.', {
    previousChoices: choices,
  });
}

function hint(error: unknown): string {
  if (error instanceof NixstrapFailure) return error.error.hint;
  throw new Error('expected a NixstrapFailure');
}

describe('the refusal of an ambiguous "previous generation" on the command line', () => {
  it('gives the command for each choice with the flags as given, quoted for the shell', () => {
    const error = withChoiceCommands(
      refusal({ running: 44, bootDefault: 42, beforeRunning: 43, beforeBootDefault: 41 }),
      { boot: true, profile: '/nix/var/nix/profiles/my system' },
    );
    expect(hint(error)).toBe(
      [
        'Name the generation with --to.',
        '  To boot into generation 43, the one before the running one (44):',
        "    nixstrap rollback --to 43 --boot --profile '/nix/var/nix/profiles/my system'",
        '  To boot into generation 41, the one before the boot default (42):',
        "    nixstrap rollback --to 41 --boot --profile '/nix/var/nix/profiles/my system'",
      ].join('\n'),
    );
    expect(error).toMatchObject({ error: { code: 'NOTHING_TO_ROLL_BACK' } });
  });

  it('says so where nothing is left before one of them', () => {
    const error = withChoiceCommands(
      refusal({ running: 2, bootDefault: 1, beforeRunning: 1, beforeBootDefault: null }),
      {},
    );
    expect(hint(error)).toBe(
      [
        'Name the generation with --to.',
        '  To roll back to generation 1, the one before the running one (2):',
        '    nixstrap rollback --to 1',
        '  No generation is left before the boot default (1).',
      ].join('\n'),
    );
  });

  it('names a try a try, and offers no try of the generation that runs already', () => {
    const error = withChoiceCommands(
      refusal({ running: 1, bootDefault: 2, beforeRunning: null, beforeBootDefault: 1 }),
      { test: true },
    );
    expect(hint(error)).toBe(
      [
        'Name the generation with --to.',
        '  No generation is left before the running one (1).',
        '  Generation 1, the one before the boot default (2), is the one running now.',
      ].join('\n'),
    );
    const tryIt = withChoiceCommands(
      refusal({ running: 3, bootDefault: 4, beforeRunning: 2, beforeBootDefault: 3 }),
      { test: true },
    );
    expect(hint(tryIt)).toContain('  To try generation 2, the one before the running one (3):');
    expect(hint(tryIt)).toContain('    nixstrap rollback --to 2 --test');
  });

  it('leaves every other failure as it was', () => {
    const other = new NixstrapFailure('STORE_PATH_GONE', 'Gone.', 'Choose another.');
    expect(withChoiceCommands(other, { yes: true })).toBe(other);
    const none = refusal({
      running: 2,
      bootDefault: 1,
      beforeRunning: null,
      beforeBootDefault: null,
    });
    expect(withChoiceCommands(none, {})).toBe(none);
  });
});
