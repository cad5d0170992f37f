import { type Phase, REBUILD_PHASES } from '../../common';
import { formatBytes } from '../../common/bytes';
import {
  derivationName,
  formatElapsed,
  PHASE_STATE_WORDS,
  PHASE_TITLES,
  type PhaseState,
  phaseState,
} from '../rebuild-words';
import { currentPhase, type RunView } from '../run-view';

interface ProgressPanelProps {
  view: RunView;
  /** Milliseconds since the run started (or until it ended). */
  elapsedMs: number;
  /** Phases this action never reaches (a dry run has no activation). */
  skipped: readonly Phase[];
  /** The run is over: nothing is being built any more, whatever the last count said. */
  finished: boolean;
}

const MARK: Record<PhaseState, string> = {
  started: '\u25b8',
  succeeded: '\u2713',
  failed: '\u2715',
  stopped: '\u25a0',
  skipped: '\u2013',
  todo: '\u00b7',
};

/** Beside the terminal: where the run is, in numbers Nix itself reports. */
export function ProgressPanel({ view, elapsedMs, skipped, finished }: ProgressPanelProps) {
  const progress = view.progress;
  const current = finished ? null : (progress?.current ?? null);
  const builds = progress?.builds ?? { done: 0, expected: 0, running: 0, failed: 0 };
  const downloads = progress?.downloads ?? { done: 0, expected: 0, running: 0, failed: 0 };
  const bytes = progress?.bytes;
  const now = currentPhase(view);
  const shown = REBUILD_PHASES.filter((phase) => !skipped.includes(phase));
  // Nix's own bar counts bytes fetched from a cache ("DL") apart from bytes copied into the store.
  const moved = (done: number, expected: number) =>
    done + expected > 0
      ? `${formatBytes(done)} of ${formatBytes(Math.max(done, expected))}`
      : finished
        ? 'nothing'
        : 'nothing yet';
  const downloadedBytes = moved(bytes?.downloaded ?? 0, bytes?.expectedDownload ?? 0);
  const copiedBytes = moved(bytes?.copied ?? 0, bytes?.expectedCopy ?? 0);
  // Nix stops expecting what depended on a failed build, so its own count can end at "0 of 0
  // built, 1 failed"; what was built, is building or failed was expected all the same.
  const expected = (c: typeof builds) => Math.max(c.expected, c.done + c.running + c.failed);
  const counts: [label: string, value: string, testId: string][] = [
    ['Built', `${builds.done} of ${expected(builds)}`, 'progress-builds'],
    ['Building now', String(finished ? 0 : builds.running), 'progress-running'],
    ['Failed', String(builds.failed), 'progress-failed'],
    ['Paths fetched', `${downloads.done} of ${expected(downloads)}`, 'progress-downloads'],
    ['Downloaded', downloadedBytes, 'progress-bytes'],
    ['Copied to store', copiedBytes, 'progress-copied'],
    ['Elapsed', formatElapsed(elapsedMs), 'progress-elapsed'],
  ];
  return (
    <aside className="progress-panel card" aria-labelledby="progress-title" data-testid="progress">
      <h2 id="progress-title" className="progress-title">
        Progress
      </h2>
      <ol className="phase-list" aria-label="Phases">
        {shown.map((phase) => {
          const state = phaseState(view.phases[phase], view.result);
          return (
            <li
              key={phase}
              className={`phase phase-${state}`}
              aria-current={phase === now ? 'step' : undefined}
              data-testid={`phase-${phase}`}
              data-state={state}
            >
              <span className="phase-mark" aria-hidden="true">
                {MARK[state]}
              </span>
              {PHASE_TITLES[phase]}
              <span className="visually-hidden">: {PHASE_STATE_WORDS[state]}</span>
            </li>
          );
        })}
      </ol>
      <dl className="progress-counts">
        {counts.map(([label, value, testId]) => (
          <div key={testId} className="progress-count">
            <dt>{label}</dt>
            <dd data-testid={testId}>{value}</dd>
          </div>
        ))}
      </dl>
      <div className="progress-current" data-testid="progress-current">
        {current ? (
          <>
            <span className="progress-current-label">Now building</span>
            <code className="wrap">{derivationName(current.drv)}</code>
            {current.phase && <span className="muted"> ({current.phase})</span>}
          </>
        ) : (
          <span className="muted">
            {now === 'build' && !finished ? 'Evaluating the configuration…' : ''}
          </span>
        )}
      </div>
    </aside>
  );
}
