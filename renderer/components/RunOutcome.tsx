import { forwardRef } from 'react';
import type { AutoRevert, RebuildAction, RunEvent } from '../../common';
import type { Bridge } from '../bridge';
import { outcomeTitle, revertedTitle, whoWentBack } from '../rebuild-words';
import { RunLockCommit } from './CommitLockButton';
import { RevertRunButton } from './RunLogButton';
import { Sentence } from './Sentence';
import { OUTPUT_TERMINAL_OPTIONS } from './terminal-output';

type ResultEvent = Extract<RunEvent, { type: 'result' }>;

interface RunOutcomeProps {
  bridge: Bridge;
  action: RebuildAction;
  result: ResultEvent;
  /** The switch was not kept in time and the engine went back: the title must not say it runs. */
  reverted?: AutoRevert | null;
  onAgain: () => void;
}

/** The last word on a run: what happened to this machine, and on failure why and what to try. */
export const RunOutcome = forwardRef<HTMLHeadingElement, RunOutcomeProps>(function RunOutcome(
  { bridge, action, result, reverted = null, onAgain },
  heading,
) {
  const explanation = result.explanation ?? null;
  const good = result.status === 'succeeded';
  return (
    <section
      className={`card outcome outcome-${reverted ? 'reverted' : result.status}`}
      aria-labelledby="outcome-title"
      data-testid="outcome"
      data-status={result.status}
      data-reverted={reverted ? 'true' : undefined}
    >
      {/* Polite: a revert changes the title after the run ended, where the user may not look. */}
      <h2 id="outcome-title" ref={heading} tabIndex={-1} aria-live="polite">
        {reverted ? revertedTitle(reverted) : outcomeTitle(action, result)}
      </h2>
      {explanation && (
        <div className="outcome-explanation" data-testid="explanation">
          {/* What the switch said stays worth reading, but it spoke of a configuration gone since. */}
          {reverted && <p>What the switch reported before {whoWentBack(reverted)} went back:</p>}
          <p className="outcome-message">
            <Sentence text={explanation.message} />
          </p>
          <p>
            <strong>What to try: </strong>
            <Sentence text={explanation.hint} />
          </p>
          {explanation.drv && (
            <p>
              Failing derivation: <code className="wrap">{explanation.drv}</code>
            </p>
          )}
          {explanation.logTail && explanation.logTail.length > 0 && (
            <>
              <p>Its last log lines:</p>
              <pre className="outcome-log">{explanation.logTail.join('\n')}</pre>
            </>
          )}
        </div>
      )}
      <dl className="outcome-facts">
        {result.generation !== null && (
          <>
            <dt>Generation</dt>
            <dd data-testid="outcome-generation">{result.generation}</dd>
          </>
        )}
        {result.storePath && (
          <>
            <dt>System</dt>
            <dd>
              <code className="wrap" data-testid="outcome-store-path">
                {result.storePath}
              </code>
            </dd>
          </>
        )}
        {/* An explanation names the exit code that matters (the builder's, the activation's);
            the command's own would only be a second, different number beside it. */}
        {!good && !explanation && result.exitCode !== null && (
          <>
            <dt>Exit code</dt>
            <dd>{result.exitCode}</dd>
          </>
        )}
        <dt>Run</dt>
        <dd>
          <code data-testid="outcome-run">{result.runId}</code>{' '}
          <span className="muted">
            (the terminal below keeps its last{' '}
            {OUTPUT_TERMINAL_OPTIONS.scrollback?.toLocaleString('en')} lines; the whole log stays
            with the run in Nixstrap's data folder)
          </span>
        </dd>
        {reverted && (
          <>
            <dt>Went back in</dt>
            <dd>
              <RevertRunButton bridge={bridge} reverted={reverted} testId="outcome-revert-run" />
            </dd>
          </>
        )}
      </dl>
      {good && (
        <RunLockCommit bridge={bridge} runId={result.runId} generation={result.generation} />
      )}
      <div className="actions">
        <button type="button" className="button button-secondary" onClick={onAgain}>
          {good ? 'Build again' : 'Try again'}
        </button>
      </div>
    </section>
  );
});
