import { useEffect, useRef } from 'react';

const FOCUSABLE =
  'a[href], button:not(:disabled), input:not(:disabled), select:not(:disabled), textarea:not(:disabled), summary, [tabindex]:not([tabindex="-1"])';

/**
 * The keyboard of a modal dialog: Tab and Shift+Tab go round inside it instead of onto the page
 * behind, Escape closes it wherever the focus was left (a click on the backdrop leaves it on the
 * page), and when it closes the keyboard goes back to the control that opened it: `opener`, or
 * else whatever had the focus when the dialog appeared (so call this before the dialog moves focus
 * inside). An opener that was disabled while the dialog was prepared has lost the focus already,
 * so it has to be named.
 */
export function useDialogFocus<T extends HTMLElement>(
  onEscape: () => void,
  opener: HTMLElement | null = null,
) {
  const dialog = useRef<T>(null);
  const onEscapeNow = useRef(onEscape);
  onEscapeNow.current = onEscape;

  const returnTo = useRef(opener);

  useEffect(() => {
    const back = returnTo.current ?? document.activeElement;
    const onKeyDown = (event: KeyboardEvent) => {
      const box = dialog.current;
      if (!box) return;
      if (event.key === 'Escape') {
        event.preventDefault();
        onEscapeNow.current();
        return;
      }
      if (event.key !== 'Tab') return;
      const stops = [...box.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
        (element) => element.getClientRects().length > 0,
      );
      const first = stops[0];
      const last = stops[stops.length - 1];
      if (!first || !last) return;
      const active = document.activeElement;
      const outside = !box.contains(active);
      if (event.shiftKey && (active === first || outside)) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && (active === last || outside)) {
        event.preventDefault();
        first.focus();
      }
    };
    // Captured before the focused control sees it: a terminal in the dialog (a run's log) keeps
    // the keys it handles to itself, Escape among them.
    document.addEventListener('keydown', onKeyDown, true);
    return () => {
      document.removeEventListener('keydown', onKeyDown, true);
      if (back instanceof HTMLElement && back.isConnected) back.focus();
    };
  }, []);

  return dialog;
}
