import type { PreviousChoices as Choices } from '../../common';
import { rollbackVerb } from '../../common/rollback-verb';

interface PreviousChoicesProps {
  choices: Choices;
  busy: boolean;
  /** Opens the confirmation for generation `to`, as choosing it in the list would. */
  onChoose: (to: number, opener: HTMLElement) => void;
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
