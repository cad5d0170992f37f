import { useCallback, useEffect, useState } from 'react';
import type { PendingKeep } from '../../common';
import type { Bridge } from '../bridge';
import { KeepBanner } from './KeepBanner';

/** How often a screen outside the generations asks whether a switch waits for an answer. */
const POLL_MS = 2000;

/**
 * "Keep this configuration?" wherever the user is: a switch made from the wizard is on trial
 * too, and reverts by itself unless kept here.
 */
export function KeepPrompt({ bridge }: { bridge: Bridge }) {
  const [pending, setPending] = useState<PendingKeep | null>(null);
  const [busy, setBusy] = useState(false);

  const poll = useCallback(async () => {
    const result = await bridge.pendingGenerations({});
    if (result.ok) setPending(result.value.pending[0] ?? null);
  }, [bridge]);

  useEffect(() => {
    void poll();
    const timer = setInterval(() => void poll(), POLL_MS);
    return () => clearInterval(timer);
  }, [poll]);

  if (!pending) return null;
  return (
    <KeepBanner
      pending={pending}
      busy={busy}
      onKeep={async () => {
        setBusy(true);
        await bridge.keepGeneration({ profile: pending.profile });
        setBusy(false);
        void poll();
      }}
      onExpired={() => void poll()}
    />
  );
}
