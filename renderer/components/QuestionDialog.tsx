import { type ReactNode, useEffect, useId, useRef } from 'react';
import { Dialog } from './Dialog';

interface QuestionDialogProps {
  /** The heading, asked as a question: the dialog's accessible name. */
  question: string;
  /** The answer is on its way: Escape no longer cancels. */
  busy: boolean;
  onCancel: () => void;
  /** The button that asked, where the keyboard goes back to. */
  opener: HTMLElement | null;
  /**
   * Whether the keyboard starts on the question (a change that cannot be undone) rather than
   * where the dialog's own content puts it.
   */
  focusQuestion?: boolean;
  testId: string;
  children: ReactNode;
}

/** A confirmation: the question as its heading, what answering does below it, Escape to cancel. */
export function QuestionDialog({
  question,
  busy,
  onCancel,
  opener,
  focusQuestion = true,
  testId,
  children,
}: QuestionDialogProps) {
  const title = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (focusQuestion) heading.current?.focus();
  }, [focusQuestion]);
  return (
    <Dialog
      labelledBy={title}
      onEscape={() => {
        if (!busy) onCancel();
      }}
      opener={opener}
      testId={testId}
    >
      <h2 id={title} tabIndex={-1} ref={heading}>
        {question}
      </h2>
      {children}
    </Dialog>
  );
}
