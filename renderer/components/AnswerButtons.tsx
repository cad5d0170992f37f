import type { Ref } from 'react';

interface AnswerButtonsProps {
  declineLabel: string;
  confirmLabel: string;
  /** An answer is on its way: neither button takes another. */
  busy: boolean;
  onAnswer: (proceed: boolean) => void;
  declineTestId?: string;
  confirmTestId: string;
  /** Where the yes goes, for a question that puts the keyboard on it. */
  confirmRef?: Ref<HTMLButtonElement>;
}

/** The two answers to a question: no on the left, yes on the right. */
export function AnswerButtons({
  declineLabel,
  confirmLabel,
  busy,
  onAnswer,
  declineTestId,
  confirmTestId,
  confirmRef,
}: AnswerButtonsProps) {
  const answers = [
    { proceed: false, label: declineLabel, tone: 'secondary', testId: declineTestId },
    { proceed: true, label: confirmLabel, tone: 'primary', testId: confirmTestId },
  ];
  return (
    <div className="actions">
      {answers.map(({ proceed, label, tone, testId }) => (
        <button
          key={tone}
          ref={proceed ? confirmRef : undefined}
          type="button"
          className={`button button-${tone}`}
          disabled={busy}
          onClick={() => onAnswer(proceed)}
          data-testid={testId}
        >
          {label}
        </button>
      ))}
    </div>
  );
}
