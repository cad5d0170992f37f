import { useCallback, useEffect, useRef, useState } from 'react';
import type { AutoRevert, PendingKeep } from '../../common';
import type { Bridge } from '../bridge';
import { KeepBanner } from './KeepBanner';

/** How often a screen outside the generations asks whether a switch waits for an answer. */
const POLL_MS = 2000;
/** How many polls to wait, after an unanswered question goes, for the revert to be recorded. */
const REVERT_POLLS = 15;

/**
 * "Keep this configuration?" wherever the user is: a switch made from the wizard is on trial
 * too, and reverts by itself unless kept here. When it did revert, this says so on whatever
 * screen the user is on, not only on Build and switch, whose outcome says it too.
 */
export function KeepPrompt({ bridge }: { bridge: Bridge }) {
  const [pending, setPending] = useState<PendingKeep | null>(null);
  const [reverted, setReverted] = useState<AutoRevert | null>(null);
  const [busy, setBusy] = useState(false);
  const asked = useRef<PendingKeep | null>(null);
  // A question that went away unanswered here, and the polls left to learn whether the engine
  // went back: its revert may still be running, or not yet recorded, when the question goes.
  const unanswered = useRef<{ trial: PendingKeep; polls: number } | null>(null);

  const poll = useCallback(async () => {
    const result = await bridge.pendingGenerations({});
    if (!result.ok) return;
    const now = result.value.pending[0] ?? null;
    if (asked.current && !now) unanswered.current = { trial: asked.current, polls: REVERT_POLLS };
    asked.current = now;
    setPending(now);
    if (now) {
      unanswered.current = null;
      setReverted(null);
    }
    const waiting = unanswered.current;
    if (!waiting) return;
    waiting.polls -= 1;
    if (waiting.polls <= 0) unanswered.current = null;
    const listed = await bridge.listGenerations({ profile: waiting.trial.profile });
    const back = listed.ok ? listed.value.reverted : null;
    if (
      back &&
      back.generation === waiting.trial.generation &&
      back.revertTo === waiting.trial.revertTo
    ) {
      unanswered.current = null;
      setReverted(back);
    }
  }, [bridge]);

  useEffect(() => {
    void poll();
    const timer = setInterval(() => void poll(), POLL_MS);
    return () => clearInterval(timer);
  }, [poll]);

  if (reverted) {
    return (
      <div className="banner banner-warning keep-banner" role="status" data-testid="revert-notice">
        <div className="banner-body">
          <p className="banner-title">
            Generation {reverted.generation} was not kept in time, so Nixstrap went back to
            generation {reverted.revertTo}.
          </p>
        </div>
        <button type="button" className="button button-secondary" onClick={() => setReverted(null)}>
          Dismiss
        </button>
      </div>
    );
  }
  if (!pending) return null;
  return (
    <KeepBanner
      pending={pending}
      busy={busy}
      onKeep={async () => {
        setBusy(true);
        // Answered here: nothing to learn about a revert when the question goes.
        asked.current = null;
        await bridge.keepGeneration({ profile: pending.profile });
        setBusy(false);
        void poll();
      }}
      onExpired={() => void poll()}
    />
  );
}
