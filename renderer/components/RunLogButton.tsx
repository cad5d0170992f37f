import { lazy, Suspense, useState } from 'react';
import { createPortal } from 'react-dom';
import type { AutoRevert } from '../../common';
import type { Bridge } from '../bridge';
import { Spinner } from './Spinner';

// The terminal is loaded when a log is first opened, not with every screen that names a run.
const RunLogDialog = lazy(() =>
  import('./RunLogDialog').then((module) => ({ default: module.RunLogDialog })),
);

interface RunLogButtonProps {
  bridge: Bridge;
  runId: string;
  /** What the run did, for the log's title. */
  title: string;
  testId?: string;
}

/** A run named in a sentence ("run 2026…"), which opens that run's log. */
export function RunLogButton({ bridge, runId, title, testId }: RunLogButtonProps) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className="run-link"
        aria-haspopup="dialog"
        aria-label={`Show the log of run ${runId}`}
        onClick={() => setOpen(true)}
      >
        run <code data-testid={testId}>{runId}</code>
      </button>
      {/* On the page's body, not in the sentence naming the run: a dialog inside a notice's
          live region would be read out as more of the notice, and would take on its styles. */}
      {open &&
        createPortal(
          <Suspense fallback={<Spinner label="Opening the log…" />}>
            <RunLogDialog
              bridge={bridge}
              runId={runId}
              title={title}
              onClose={() => setOpen(false)}
            />
          </Suspense>,
          document.body,
        )}
    </>
  );
}

/** The run of an automatic revert (a switch nobody kept), which opens its log. */
export function RevertRunButton({
  bridge,
  reverted,
  testId,
}: {
  bridge: Bridge;
  reverted: Pick<AutoRevert, 'runId' | 'revertTo'>;
  testId: string;
}) {
  return (
    <RunLogButton
      bridge={bridge}
      runId={reverted.runId}
      title={`Back to generation ${reverted.revertTo}`}
      testId={testId}
    />
  );
}
