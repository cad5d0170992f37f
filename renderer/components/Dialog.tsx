import type { ReactNode } from 'react';
import { useDialogFocus } from './use-dialog-focus';

interface DialogProps {
  /** The id of the dialog's heading, its accessible name. */
  labelledBy: string;
  /** Escape, wherever the focus was left. */
  onEscape: () => void;
  /** Where the keyboard goes back to on close, when not the control that had it on open. */
  opener?: HTMLElement | null;
  /** Room for a terminal, not only for sentences. */
  wide?: boolean;
  testId: string;
  children: ReactNode;
}

/**
 * A modal dialog over the dimmed page, with the keyboard of one (useDialogFocus). Its own
 * effects run before its parent's, so the opener is known before the parent moves the focus in.
 */
export function Dialog({
  labelledBy,
  onEscape,
  opener = null,
  wide,
  testId,
  children,
}: DialogProps) {
  const dialog = useDialogFocus<HTMLDivElement>(onEscape, opener);
  return (
    <div
      ref={dialog}
      className="dialog"
      role="dialog"
      aria-modal="true"
      aria-labelledby={labelledBy}
      data-testid={testId}
    >
      <div className={wide ? 'dialog-body dialog-wide card' : 'dialog-body card'}>{children}</div>
    </div>
  );
}
