import { useEffect, useId, useRef } from 'react';
import type { Bridge } from '../bridge';
import { Dialog } from './Dialog';
import { TerminalView } from './TerminalView';
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
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => close.current?.focus(), []);
  return (
    <Dialog labelledBy={heading} onEscape={onClose} wide testId="run-log-dialog">
      <div className="card-header">
        <h2 id={heading}>
          {title}: run <code>{runId}</code>
        </h2>
        <button ref={close} type="button" className="button button-secondary" onClick={onClose}>
          Close
        </button>
      </div>
      <TerminalView bridge={bridge} runId={runId} label={`Output of run ${runId}`} />
    </Dialog>
  );
}
