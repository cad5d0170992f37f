import { useEffect, useId, useRef, useState } from 'react';
import type { PendingKeep } from '../../common';

interface KeepBannerProps {
  pending: PendingKeep;
  busy: boolean;
  onKeep: () => void;
  /** The deadline passed: the engine is reverting; the screen reloads to show it. */
  onExpired: () => void;
}

/** Who switched and goes back, when it is another Nixstrap on this machine: Keep it here keeps it there. */
function elsewhereSentence(elsewhere: NonNullable<PendingKeep['elsewhere']>): string {
  const who =
    elsewhere.shell === 'electron'
      ? 'the Nixstrap app'
      : elsewhere.shell === 'browser'
        ? 'nixstrap serve'
        : 'another Nixstrap';
  const process = elsewhere.pid === null ? '' : ` (process ${elsewhere.pid})`;
  return `Switched by ${who}${process} on this machine, which goes back by itself; keeping it here keeps it there too.`;
}

function secondsLeft(deadline: string): number {
  return Math.max(0, Math.ceil((Date.parse(deadline) - Date.now()) / 1000));
}

/**
 * "Keep this configuration?" with the seconds left before the engine reverts by itself. The
 * question has a deadline, so the keyboard goes to its answer when it appears, and back to where
 * it was once it is answered.
 */
export function KeepBanner({ pending, busy, onKeep, onExpired }: KeepBannerProps) {
  const [left, setLeft] = useState(() => secondsLeft(pending.deadline));
  const title = useId();
  const sentence = useId();
  const keep = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const before = document.activeElement;
    keep.current?.focus();
    return () => {
      const lost = document.activeElement === null || document.activeElement === document.body;
      if (lost && before instanceof HTMLElement && before.isConnected) before.focus();
    };
  }, []);
  useEffect(() => {
    const timer = setInterval(() => {
      const now = secondsLeft(pending.deadline);
      setLeft(now);
      if (now === 0) {
        clearInterval(timer);
        onExpired();
      }
    }, 250);
    return () => clearInterval(timer);
  }, [pending.deadline, onExpired]);

  return (
    <div
      className="banner banner-warning keep-banner"
      role="alertdialog"
      aria-labelledby={title}
      aria-describedby={sentence}
      data-testid="keep-banner"
    >
      <div className="banner-body">
        <p className="banner-title" id={title}>
          Keep this configuration?
        </p>
        <p id={sentence}>
          Generation {pending.generation}{' '}
          {pending.revertAction === 'test' ? 'runs until the next reboot.' : 'is active.'}{' '}
          {left > 0
            ? `Without an answer it goes back to generation ${pending.revertTo} in ${left} s${pending.guarded ? ', even if Nixstrap or your connection stops' : ''}.${pending.bootsBack ? ` Until you keep it, a restart starts generation ${pending.revertTo}.` : ''}`
            : `Going back to generation ${pending.revertTo}…`}
        </p>
        {pending.elsewhere && (
          <p className="muted" data-testid="keep-elsewhere">
            {elsewhereSentence(pending.elsewhere)}
          </p>
        )}
      </div>
      <button
        ref={keep}
        type="button"
        className="button button-primary"
        disabled={busy || left === 0}
        onClick={onKeep}
        data-testid="keep"
      >
        Keep it
      </button>
    </div>
  );
}
