import { useEffect, useRef, useState } from 'react';
import type { NixstrapError, RunEvent } from '../../common';
import type { Bridge } from '../bridge';
import { ErrorBanner } from '../components/ErrorBanner';
import { TerminalView } from '../components/TerminalView';
import { PHASE_STATE_WORDS, PHASE_TITLES } from '../rebuild-words';
// The terminal's frame and tools are styled with the rebuild's run view.
import '../rebuild.css';

type RunResult = Extract<RunEvent, { type: 'result' }>;

interface RollbackRunProps {
  bridge: Bridge;
  runId: string;
  /** What the run does, in words: its heading ("Roll back to generation 3"). */
  title: string;
  /** What the run does, for the names a screen reader gives its section and terminal. */
  kind: 'rollback' | 'delete';
  onResult: (result: RunResult) => void;
}

const NAMES: Record<RollbackRunProps['kind'], { section: string; terminal: string }> = {
  rollback: { section: 'Rollback run', terminal: 'Output of the rollback' },
  delete: { section: 'Deletion run', terminal: 'Output of the deletion' },
};

/**
 * A rollback or a deletion as it runs, in the same terminal view as a rebuild (sudo asks there),
 * with the phase it has reached; the outcome goes to the screen when the run ends.
 */
export function RollbackRun({ bridge, runId, title, kind, onResult }: RollbackRunProps) {
  const [phase, setPhase] = useState<string | null>(null);
  const [error, setError] = useState<NixstrapError | null>(null);
  const report = useRef(onResult);
  report.current = onResult;
  // Focus follows the run, as on Build and switch: the button that started it may be gone once
  // the generation it offered is the current one.
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);

  useEffect(() => {
    let unsubscribe: (() => void) | null = null;
    let closed = false;
    void bridge
      .subscribeRebuild({ runId, fromSeq: 0 }, ({ event }) => {
        if (event.type === 'phase')
          setPhase(`${PHASE_TITLES[event.phase]}: ${PHASE_STATE_WORDS[event.status]}`);
        if (event.type === 'result') report.current(event);
      })
      .then((result) => {
        if (!result.ok) setError(result.error);
        else if (closed) result.value();
        else unsubscribe = result.value;
      });
    return () => {
      closed = true;
      unsubscribe?.();
    };
  }, [bridge, runId]);

  return (
    <section className="card run-log" aria-label={NAMES[kind].section} data-testid="rollback-run">
      <div className="card-header">
        <div>
          {/* A section of the screen under its h1, so an h2; sized as the small title it is. */}
          <h2 className="run-log-title" ref={heading} tabIndex={-1}>
            {title}
          </h2>
          {/* The id stays as detail: the CLI and a bug report name the run by it. */}
          <p className="subtitle" data-testid="rollback-run-id">
            Run {runId}
          </p>
        </div>
        {phase && (
          <span className="muted" data-testid="rollback-phase">
            {phase}
          </span>
        )}
      </div>
      {error && <ErrorBanner error={error} />}
      <TerminalView bridge={bridge} runId={runId} label={NAMES[kind].terminal} />
    </section>
  );
}
