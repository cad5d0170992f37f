import { useEffect, useRef, useState } from 'react';
import { type NixstrapError, type RunEvent, stripAnsi } from '../../common';
import type { Bridge } from '../bridge';
import { ErrorBanner } from '../components/ErrorBanner';

type RunResult = Extract<RunEvent, { type: 'result' }>;

interface RunLogProps {
  bridge: Bridge;
  runId: string;
  onResult: (result: RunResult) => void;
}

/**
 * A run's output as plain text, from the same terminal stream and events a rebuild has: the
 * commands, their output and sudo's prompt. It stands in until the xterm terminal view lands;
 * keystrokes are not sent from here.
 */
export function RunLog({ bridge, runId, onResult }: RunLogProps) {
  const [text, setText] = useState('');
  const [phase, setPhase] = useState<string | null>(null);
  const [error, setError] = useState<NixstrapError | null>(null);
  const report = useRef(onResult);
  report.current = onResult;
  const bottom = useRef<HTMLPreElement>(null);

  useEffect(() => {
    setText('');
    const attachment = bridge.attachTerminal(runId, 0, {
      data(chunk) {
        setText((shown) => shown + stripAnsi(chunk).replace(/\r(?!\n)/g, ''));
        attachment.written(chunk.length);
      },
      end() {},
      error: setError,
    });
    let unsubscribe: (() => void) | null = null;
    let closed = false;
    void bridge
      .subscribeRebuild({ runId, fromSeq: 0 }, ({ event }) => {
        if (event.type === 'phase') setPhase(`${event.phase}: ${event.status}`);
        if (event.type === 'result') report.current(event);
      })
      .then((result) => {
        if (!result.ok) setError(result.error);
        else if (closed) result.value();
        else unsubscribe = result.value;
      });
    return () => {
      closed = true;
      attachment.detach();
      unsubscribe?.();
    };
  }, [bridge, runId]);

  // Follow the output as a terminal does.
  useEffect(() => {
    bottom.current?.scrollTo({ top: bottom.current.scrollHeight });
  });

  return (
    <section className="card run-log" aria-label="Rollback run" data-testid="run-log">
      <div className="card-header">
        <h3>Run {runId}</h3>
        {phase && <span className="muted">{phase}</span>}
      </div>
      {error && <ErrorBanner error={error} />}
      <pre ref={bottom} className="run-log-text" data-testid="run-log-text">
        {text}
      </pre>
    </section>
  );
}
