import { useEffect, useId, useRef } from 'react';
import type { Bridge } from '../bridge';
import { TerminalView } from './TerminalView';
import { useDialogFocus } from './use-dialog-focus';
// The terminal's frame and tools are styled with the rebuild's run view.
import '../rebuild.css';

interface RunLogDialogProps {
  bridge: Bridge;
  runId: string;
  /** What the run did, for the title: "Going back to generation 2". */
  title: string;
  onClose: () => void;
}

/** A recorded run's log, replayed in the same terminal view a live run has. */
export function RunLogDialog({ bridge, runId, title, onClose }: RunLogDialogProps) {
  const heading = useId();
  const dialog = useDialogFocus<HTMLDivElement>(onClose);
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => close.current?.focus(), []);
  return (
    <div
      ref={dialog}
      className="dialog"
      role="dialog"
      aria-modal="true"
      aria-labelledby={heading}
      data-testid="run-log-dialog"
    >
      <div className="dialog-body dialog-wide card">
        <div className="card-header">
          <h2 id={heading}>
            {title}: run <code>{runId}</code>
          </h2>
          <button ref={close} type="button" className="button button-secondary" onClick={onClose}>
            Close
          </button>
        </div>
        <TerminalView bridge={bridge} runId={runId} label={`Output of run ${runId}`} />
      </div>
    </div>
  );
}
