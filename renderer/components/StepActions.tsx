interface StepActionsProps {
  onBack: () => void;
  backLabel?: string;
  nextLabel: string;
  /** The way on; the button stays disabled while it is absent, its title saying why. */
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
  return (
    <div className="actions actions-spread">
      <button type="button" className="button button-secondary" onClick={onBack}>
        {backLabel}
      </button>
      <button
        type={submits ? 'submit' : 'button'}
        className="button button-primary"
        disabled={!onNext}
        onClick={submits ? undefined : onNext}
        title={onNext ? undefined : waitingFor}
        data-testid={nextTestId}
      >
        {nextLabel}
      </button>
    </div>
  );
}
