import { type ReactNode, useEffect, useRef } from 'react';

export type BannerTone = 'error' | 'warning' | 'success' | 'info';

interface BannerProps {
  tone: BannerTone;
  /** A few words in bold; a note that is one sentence goes without one, in `children`. */
  title?: ReactNode;
  children?: ReactNode;
  /**
   * `alert` for what must be read now, `status` for news, `note` for an aside to what is next to
   * it; none for text that was there all along.
   */
  role?: 'alert' | 'status' | 'note';
  /** A button beside the text, e.g. "Try again". */
  action?: ReactNode;
  /**
   * Brings the banner into view and puts the keyboard on it whenever this value changes: a
   * result the user waited for must not appear above the fold, unseen.
   */
  focusKey?: unknown;
  testId?: string;
}

/** The one banner: every notice, warning, error and success in the wizard looks and reads alike. */
export function Banner({ tone, title, children, role, action, focusKey, testId }: BannerProps) {
  const box = useRef<HTMLDivElement>(null);
  const focus = focusKey !== undefined;

  useEffect(() => {
    if (focusKey === undefined) return;
    box.current?.scrollIntoView({ block: 'center' });
    box.current?.focus({ preventScroll: true });
  }, [focusKey]);

  return (
    <div
      className={`banner banner-${tone}`}
      role={role}
      ref={box}
      tabIndex={focus ? -1 : undefined}
      data-testid={testId}
    >
      <div className="banner-body">
        {title !== undefined && <div className="banner-title">{title}</div>}
        {children}
      </div>
      {action}
    </div>
  );
}
