import { useEffect, useRef, useState } from 'react';
import type { BusyRun, HeldElsewhere, NixstrapError, Phase, RebuildAction } from '../../common';
import { leavesGenerationActive } from '../../common/generations';
import type { Bridge } from '../bridge';
import { Banner } from '../components/Banner';
import { ChangesSummary } from '../components/ChangesSummary';
import { Checkbox } from '../components/Checkbox';
import { ErrorBanner } from '../components/ErrorBanner';
import { OptionCards } from '../components/OptionCards';
import { PlainField } from '../components/PlainField';
import { ProgressPanel } from '../components/ProgressPanel';
import { RunOutcome } from '../components/RunOutcome';
import { Screen } from '../components/Screen';
import { StepActions } from '../components/StepActions';
import { TerminalView } from '../components/TerminalView';
import { useKeepTrial } from '../generations/keep-trial';
import '../rebuild.css';
import {
  ACTIONS,
  CONFIRM_LABEL,
  changesTitle,
  derivationName,
  PHASE_TITLES,
} from '../rebuild-words';
import { applyRunEvent, currentPhase, emptyRunView, type RunView } from '../run-view';
import { loadWatched, saveWatched, type WatchedRun } from '../watched-run';

/** What to rebuild: the repo the plan wrote and the host it added. */
export interface RebuildTarget {
  repo: string;
  host: string;
}

/** Actions that change the running or booted system when they succeed. */

const SKIPPED: Record<RebuildAction, Phase[]> = {
  switch: [],
  boot: [],
  test: ['set-profile'],
  build: ['confirm', 'set-profile', 'activate'],
  'dry-build': ['validate', 'changes', 'confirm', 'set-profile', 'activate'],
};

/** One polite sentence about where the run is; the terminal itself is never read out. */
function announcement(view: RunView): string {
  if (view.result) return '';
  if (view.question) return 'The new system is built. Nixstrap waits for your go-ahead.';
  const phase = currentPhase(view);
  // Between one phase's end and the next one's start nothing new is under way to tell.
  if (!phase) return Object.values(view.phases).some(Boolean) ? '' : 'Starting the build.';
  if (phase !== 'build') return `${PHASE_TITLES[phase]}…`;
  const builds = view.progress?.builds;
  const current = view.progress?.current;
  const counted = builds?.expected ? `Built ${builds.done} of ${builds.expected}.` : 'Building.';
  return current ? `${counted} Now ${derivationName(current.drv)}.` : counted;
}

/** Step 4: build the configuration the plan wrote, watch it, confirm, and see what happened. */
interface RebuildScreenProps {
  bridge: Bridge;
  target: RebuildTarget;
  /** Back to the written repo, before a run starts. */
  onBack: () => void;
}

export function RebuildScreen({ bridge, target, onBack }: RebuildScreenProps) {
  const [watched, setWatched] = useState<WatchedRun | null>(loadWatched);
  const [repo, setRepo] = useState(target.repo);
  const [host, setHost] = useState(target.host);
  const [action, setAction] = useState<RebuildAction>('switch');
  const [starting, setStarting] = useState(false);
  const [answering, setAnswering] = useState(false);
  /** Whether to stay in the specialisation that runs now, when the question offers it. */
  const [stay, setStay] = useState(true);
  const [error, setError] = useState<NixstrapError | null>(null);
  /** A run of another Nixstrap this page asked to cancel: while asking, then once it ended. */
  const [cancelledElsewhere, setCancelledElsewhere] = useState<{
    runId: string;
    ended: boolean;
  } | null>(null);
  const [view, setView] = useState<RunView>(emptyRunView);
  const [now, setNow] = useState(() => Date.now());
  const [spoken, setSpoken] = useState('');
  const runHeading = useRef<HTMLHeadingElement>(null);
  const changesHeading = useRef<HTMLHeadingElement>(null);
  const outcomeHeading = useRef<HTMLHeadingElement>(null);

  const runId = watched?.runId ?? null;

  // The run's events, replayed from the first: a reloaded page rebuilds the same view.
  useEffect(() => {
    if (!runId) return;
    let unsubscribe: (() => void) | null = null;
    let live = true;
    setView(emptyRunView());
    void bridge
      .subscribeRebuild({ runId, fromSeq: 0 }, ({ seq, event }) =>
        setView((current) => applyRunEvent(current, seq, event)),
      )
      .then((result) => {
        if (!live) {
          if (result.ok) result.value();
        } else if (result.ok) unsubscribe = result.value;
        else {
          // The run is gone (another data folder, a server that forgot it): start afresh.
          setError(result.error);
          saveWatched(null);
          setWatched(null);
        }
      });
    return () => {
      live = false;
      unsubscribe?.();
    };
  }, [bridge, runId]);

  const finished = view.result !== null;
  useEffect(() => {
    if (!runId || finished) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [runId, finished]);
  useEffect(() => {
    if (!finished || !watched || watched.endedAt !== undefined) return;
    const ended = { ...watched, endedAt: Date.now() };
    saveWatched(ended);
    setWatched(ended);
  }, [finished, watched]);

  // Focus follows the run: its heading when it starts, the question, then the outcome.
  useEffect(() => {
    if (runId) runHeading.current?.focus();
  }, [runId]);
  const asking = view.question !== null;
  useEffect(() => {
    if (asking) changesHeading.current?.focus();
  }, [asking]);
  useEffect(() => {
    if (finished) outcomeHeading.current?.focus();
  }, [finished]);

  // Spoken at most every few seconds, and whenever the phase changes.
  const sentence = announcement(view);
  const phase = currentPhase(view);
  const lastSpoken = useRef(0);
  const lastPhase = useRef<Phase | null>(null);
  useEffect(() => {
    const due = Date.now() - lastSpoken.current > 5000 || phase !== lastPhase.current;
    if (!due || sentence === spoken) return;
    lastSpoken.current = Date.now();
    lastPhase.current = phase;
    setSpoken(sentence);
  }, [sentence, phase, spoken]);

  async function start() {
    setStarting(true);
    setError(null);
    setCancelledElsewhere(null);
    const result = await bridge.startRebuild({ repo, host, action });
    setStarting(false);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    const run = { runId: result.value.runId, action, repo, host, startedAt: Date.now() };
    saveWatched(run);
    setWatched(run);
  }

  /** The run this Nixstrap is busy with, started from a page that is gone: watched here now. */
  function showBusy(busy: BusyRun) {
    const { runId, action: busyAction, repo: busyRepo, host: busyHost } = busy;
    const run = {
      runId,
      action: busyAction,
      repo: busyRepo,
      host: busyHost,
      startedAt: Date.parse(busy.startedAt),
    };
    setError(null);
    saveWatched(run);
    setWatched(run);
  }

  async function answer(proceed: boolean) {
    if (!watched) return;
    setAnswering(true);
    const offered = view.runningSpecialisation;
    const result = await bridge.confirmRebuild({
      runId: watched.runId,
      proceed,
      ...(proceed && offered ? { specialisation: stay ? offered : null } : {}),
    });
    setAnswering(false);
    if (!result.ok) setError(result.error);
  }

  async function cancel() {
    if (!watched) return;
    const result = await bridge.cancelRebuild({ runId: watched.runId });
    if (!result.ok) setError(result.error);
  }

  /**
   * The run another Nixstrap on this machine holds (its terminal gone, its window elsewhere):
   * that one is asked to cancel it as its own Cancel would, and this resolves once it has.
   */
  async function cancelElsewhere(held: HeldElsewhere) {
    setCancelledElsewhere({ runId: held.runId, ended: false });
    const result = await bridge.cancelRebuild({ runId: held.runId });
    if (!result.ok) {
      setCancelledElsewhere(null);
      setError(result.error);
      return;
    }
    setError(null);
    setCancelledElsewhere({ runId: held.runId, ended: true });
  }

  /**
   * A refusal of the repository or host is about the values it was given: once the user
   * changes them it no longer is, so it goes. One about a run in the way stays: it offers that run.
   */
  function edited(set: (value: string) => void): (value: string) => void {
    return (value) => {
      set(value);
      setError((shown) => (shown && !shown.busyRun && !shown.heldElsewhere ? null : shown));
    };
  }

  // "Try again" and "Build again" lead back to the form, whose start button takes the keyboard.
  const setupForm = useRef<HTMLFormElement>(null);
  const backToSetup = useRef(false);
  useEffect(() => {
    if (watched || !backToSetup.current) return;
    backToSetup.current = false;
    setupForm.current?.querySelector<HTMLButtonElement>('button[type="submit"]')?.focus();
  }, [watched]);

  function again() {
    backToSetup.current = true;
    saveWatched(null);
    setWatched(null);
    setView(emptyRunView());
    setError(null);
  }

  // A switch from the app is on trial: if nobody keeps it, the engine goes back by itself.
  const lastRevert = useKeepTrial().reverted;
  const reverted =
    view.result &&
    leavesGenerationActive(view.result) &&
    watched?.action === 'switch' &&
    lastRevert?.generation === view.result.generation
      ? lastRevert
      : null;

  const chosen = ACTIONS.find((option) => option.id === (watched?.action ?? action));

  return (
    <Screen
      title="Build and switch"
      intro={
        <p className="lead">
          Nix builds the configuration, Nixstrap shows what will change and asks before this machine
          switches. Every step is recorded, so you can roll back.
        </p>
      }
    >
      {error && (
        <ErrorBanner error={error}>
          {error.busyRun && !watched && (
            <p>
              <button
                type="button"
                className="button button-secondary"
                onClick={() => showBusy(error.busyRun as BusyRun)}
                data-testid="show-busy-run"
              >
                Show that run
              </button>
            </p>
          )}
          {error.heldElsewhere && !watched && (
            <p>
              <button
                type="button"
                className="button button-secondary"
                disabled={cancelledElsewhere !== null}
                onClick={() => void cancelElsewhere(error.heldElsewhere as HeldElsewhere)}
                data-testid="cancel-held-run"
              >
                {cancelledElsewhere ? 'Cancelling that run…' : 'Cancel that run'}
              </button>
            </p>
          )}
        </ErrorBanner>
      )}
      {cancelledElsewhere?.ended && !watched && (
        <Banner tone="success" role="status" testId="cancelled-elsewhere">
          Run {cancelledElsewhere.runId} was cancelled and its log kept: start yours when ready.
        </Banner>
      )}

      {!watched && (
        <form
          ref={setupForm}
          className="card rebuild-setup"
          onSubmit={(event) => {
            event.preventDefault();
            void start();
          }}
        >
          <div className="form-grid rebuild-target">
            <PlainField
              label="Configuration repository"
              value={repo}
              onChange={edited(setRepo)}
              data-testid="rebuild-repo"
            />
            <PlainField
              label="Host"
              value={host}
              onChange={edited(setHost)}
              data-testid="rebuild-host"
            />
          </div>
          <p className="field-help" data-testid="rebuild-source">
            Nix builds <code className="wrap">nixosConfigurations.{host || '…'}</code> from the
            files git tracks in this folder, uncommitted changes included; a new file needs{' '}
            <code>git add</code> first.
          </p>
          <fieldset className="choice-group">
            <legend className="field-label">What to do with it</legend>
            <OptionCards
              name="rebuild-action"
              options={ACTIONS}
              value={action}
              onChange={setAction}
              testIdPrefix="action"
            />
          </fieldset>
          <StepActions
            onBack={onBack}
            nextLabel={starting ? 'Starting…' : (chosen?.start ?? '')}
            onNext={starting || !repo.trim() || !host.trim() ? undefined : () => void start()}
            waitingFor={starting ? 'Starting the run…' : 'Give the repository and the host first.'}
            nextTestId="start-rebuild"
            submits
          />
        </form>
      )}

      {watched && (
        <>
          <div className="run-header">
            <div>
              <h2 id="run-title" ref={runHeading} tabIndex={-1}>
                {chosen?.title}: <code>{watched.host}</code>
              </h2>
              <p className="subtitle">
                From <code className="wrap">{watched.repo}</code>
              </p>
            </div>
            {!finished && (
              <button
                type="button"
                className="button button-secondary"
                onClick={() => void cancel()}
                data-testid="cancel-rebuild"
              >
                Cancel
              </button>
            )}
          </div>
          <p className="visually-hidden" role="status" aria-live="polite" data-testid="announce">
            {spoken}
          </p>
          {view.question !== null && (
            <ChangesSummary
              ref={changesHeading}
              title={`What will change${view.changes?.specialisation ? ` in specialisation ${view.changes.specialisation}` : ''}`}
              changes={view.changes}
              ask={{
                question: view.question,
                confirmLabel: CONFIRM_LABEL[watched.action],
                busy: answering,
                onAnswer: (proceed) => void answer(proceed),
                ...(view.runningSpecialisation
                  ? {
                      choice: (
                        <Checkbox checked={stay} onChange={setStay} testId="stay-in-specialisation">
                          Stay in specialisation {view.runningSpecialisation}
                          <span className="muted">
                            {' '}
                            (it runs now; unticked, the base configuration is activated)
                          </span>
                        </Checkbox>
                      ),
                    }
                  : {}),
              }}
            />
          )}
          {view.result && (
            <RunOutcome
              ref={outcomeHeading}
              bridge={bridge}
              action={watched.action}
              result={view.result}
              reverted={reverted}
              onAgain={again}
            />
          )}
          {view.result && view.question === null && view.changes && (
            <ChangesSummary
              title={changesTitle(watched.action, view.result, reverted)}
              changes={view.changes}
            />
          )}
          <div className="run-body">
            <TerminalView
              bridge={bridge}
              runId={watched.runId}
              label="Output of Build and switch"
            />
            <ProgressPanel
              view={view}
              elapsedMs={(watched.endedAt ?? now) - watched.startedAt}
              skipped={SKIPPED[watched.action]}
              finished={finished}
            />
          </div>
        </>
      )}
    </Screen>
  );
}
