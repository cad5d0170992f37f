export interface StepInfo<Id extends string> {
  id: Id;
  title: string;
  /** Reachable now: done before, or the current one. */
  enabled: boolean;
  /** The user has gone past this step at least once. */
  done: boolean;
  note?: string;
}

interface StepNavProps<Id extends string> {
  steps: StepInfo<Id>[];
  /** Null while a screen outside the wizard shows: every reachable step is then a way back. */
  current: Id | null;
  onSelect: (id: Id) => void;
}

function stateText(state: 'done' | 'current' | 'todo', enabled: boolean): string {
  if (state === 'done') return 'completed';
  if (state === 'current') return 'current step';
  return enabled ? 'not done yet' : 'not available yet';
}

/**
 * The wizard's steps; each one's state is said in words, not only drawn: the button's name
 * carries it, so it is read out even where a narrow window shows the number alone.
 */
export function StepNav<Id extends string>({ steps, current, onSelect }: StepNavProps<Id>) {
  return (
    <nav aria-label="Wizard steps" className="steps">
      <ol>
        {steps.map((step, index) => {
          const state = step.id === current ? 'current' : step.done ? 'done' : 'todo';
          return (
            <li key={step.id} className={`step step-${state}`} data-state={state}>
              <button
                type="button"
                className="step-button"
                title={state === 'current' ? undefined : step.title}
                aria-label={[step.title, step.note, stateText(state, step.enabled)]
                  .filter(Boolean)
                  .join(', ')}
                aria-current={state === 'current' ? 'step' : undefined}
                disabled={!step.enabled || state === 'current'}
                onClick={() => onSelect(step.id)}
              >
                <span className="step-number" aria-hidden="true">
                  {state === 'done' ? '✓' : index + 1}
                </span>
                <span className="step-title">
                  <span>{step.title}</span>
                  {step.note && <span className="step-note">{step.note}</span>}
                </span>
              </button>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
