import { useState } from 'react';
import type { Bridge } from '../bridge';
import { RevertRunButton } from '../components/RunLogButton';
import { notKeptSentence } from '../rebuild-words';
import { KeepBanner } from './KeepBanner';
import { useKeepTrial } from './keep-trial';

/**
 * "Keep this configuration?" wherever the user is: a switch made from the wizard is on trial
 * too, and reverts by itself unless kept here. When it did revert, this says so on whatever
 * screen the user is on, not only on Build and switch, whose outcome says it too, and names
 * the run that went back, whose log it opens.
 */
export function KeepPrompt({ bridge }: { bridge: Bridge }) {
  const { pending, reverted, busy, keep, refresh } = useKeepTrial();
  // Dismissing hides the notice only: the outcome of Build and switch still tells the revert.
  const [dismissed, setDismissed] = useState<string | null>(null);

  if (reverted && reverted.runId !== dismissed) {
    return (
      <div className="banner banner-warning keep-banner" role="status" data-testid="revert-notice">
        <div className="banner-body">
          <p className="banner-title">
            {notKeptSentence(reverted)} in{' '}
            <RevertRunButton bridge={bridge} reverted={reverted} testId="revert-notice-run" />.
          </p>
        </div>
        <button
          type="button"
          className="button button-secondary"
          onClick={() => setDismissed(reverted.runId)}
        >
          Dismiss
        </button>
      </div>
    );
  }
  if (!pending) return null;
  return (
    <KeepBanner pending={pending} busy={busy} onKeep={() => void keep()} onExpired={refresh} />
  );
}
