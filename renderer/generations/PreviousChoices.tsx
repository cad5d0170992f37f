import type { PreviousChoices as Choices } from '../../common';
import { rollbackVerb } from '../../common/rollback-verb';

interface PreviousChoicesProps {
  choices: Choices;
  busy: boolean;
  /** Opens the confirmation for generation `to`, as choosing it in the list would. */
  onChoose: (to: number, opener: HTMLElement) => void;
}

/**
 * The refusal's hint beside its buttons: the engine's names both generations in words (for the
 * CLI), which the buttons already say. Null when no button shows, and the words are the way on.
 */
export function choicesHint(choices: Choices): string | null {
  const none = [
    choices.beforeRunning === null ? 'the running one' : null,
    choices.beforeBootDefault === null ? 'the boot default' : null,
  ].filter((which) => which !== null);
  if (none.length === 2) return null;
  return none.length === 1
    ? `No generation comes before ${none[0]}. Roll back with the button below, or choose any generation in the list.`
    : 'Roll back with one of the buttons below, or choose any generation in the list.';
}

/**
 * The generations an ambiguous "previous generation" could mean (after Boot into), one button
 * each, so nobody has to look them up in the list.
 */
export function PreviousChoices({ choices, busy, onChoose }: PreviousChoicesProps) {
  const ways = [
    { to: choices.beforeRunning, which: 'before the running one', testId: 'before-running' },
    {
      to: choices.beforeBootDefault,
      which: 'before the boot default',
      testId: 'before-boot-default',
    },
  ];
  return (
    <div className="actions actions-start previous-choices">
      {ways.map(
        ({ to, which, testId }) =>
          to !== null && (
            <button
              key={testId}
              type="button"
              className="button button-secondary"
              disabled={busy}
              onClick={(event) => onChoose(to, event.currentTarget)}
              data-testid={testId}
            >
              {rollbackVerb('switch', to, choices.running)} {to} ({which})
            </button>
          ),
      )}
    </div>
  );
}
