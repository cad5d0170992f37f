import { useEffect, useRef } from 'react';

/**
 * Work in progress, announced. With `focus`, the keyboard waits on it: for work started by a
 * control that the work itself removes from the page, so focus does not fall to the page's body.
 */
export function Spinner({ label, focus = false }: { label: string; focus?: boolean }) {
  const row = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (focus) row.current?.focus({ preventScroll: true });
  }, [focus]);
  return (
    <div
      ref={row}
      className="spinner-row"
      role="status"
      aria-live="polite"
      tabIndex={focus ? -1 : undefined}
    >
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}
