export interface StepInfo<Id extends string> {
  id: Id;
  title: string;
  /** Reachable now: done before, or the current one. */
  enabled: boolean;
  note?: string;
}

interface StepNavProps<Id extends string> {
  steps: StepInfo<Id>[];
  /** Null while a screen outside the wizard shows: every reachable step is then a way back. */
  current: Id | null;
  onSelect: (id: Id) => void;
}

export function StepNav<Id extends string>({ steps, current, onSelect }: StepNavProps<Id>) {
  const currentIndex = steps.findIndex((step) => step.id === current);
  return (
    <nav aria-label="Wizard steps" className="steps">
      <ol>
        {steps.map((step, index) => {
          const state = index < currentIndex ? 'done' : index === currentIndex ? 'current' : 'todo';
          return (
            <li key={step.id} className={`step step-${state}`}>
              <button
                type="button"
                className="step-button"
                aria-current={state === 'current' ? 'step' : undefined}
                disabled={!step.enabled || state === 'current'}
                onClick={() => onSelect(step.id)}
              >
                <span className="step-number" aria-hidden="true">
                  {state === 'done' ? '✓' : index + 1}
                </span>
                <span className="step-title">
                  {step.title}
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
