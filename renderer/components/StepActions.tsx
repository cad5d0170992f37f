import { useId } from 'react';

interface StepActionsProps {
  onBack: () => void;
  backLabel?: string;
  nextLabel: string;
  /** The way on; the button stays disabled while it is absent, the reason shown beside it. */
  onNext: (() => void) | undefined;
  waitingFor?: string;
  nextTestId: string;
  /** The way on submits the form the row stands in (Enter in a field goes on too). */
  submits?: boolean;
}

/** The foot of a wizard step: back on the left, on to the next step on the right. */
export function StepActions({
  onBack,
  backLabel = 'Back',
  nextLabel,
  onNext,
  waitingFor,
  nextTestId,
  submits = false,
}: StepActionsProps) {
  const reasonId = useId();
  // A tooltip is out of reach for touch and keyboard users: why the way on is closed is said in text.
  const reason = onNext ? undefined : waitingFor;
  return (
    <div className="actions actions-spread">
      <button type="button" className="button button-secondary" onClick={onBack}>
        {backLabel}
      </button>
      <div className="actions-group step-next">
        {reason && (
          <p id={reasonId} className="step-next-reason muted" data-testid={`${nextTestId}-reason`}>
            {reason}
          </p>
        )}
        <button
          type={submits ? 'submit' : 'button'}
          className="button button-primary"
          disabled={!onNext}
          onClick={submits ? undefined : onNext}
          aria-describedby={reason ? reasonId : undefined}
          data-testid={nextTestId}
        >
          {nextLabel}
        </button>
      </div>
    </div>
  );
}
