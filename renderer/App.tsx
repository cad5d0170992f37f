import { lazy, type ReactNode, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import type { Answers, ApplyResult, Facts, Journey, SetSecretResult } from '../common';
import { answersToKeep } from './answers-form';
import { type Bridge, pickBridge } from './bridge';
import { Banner } from './components/Banner';
import { ConnectionNotice, ConnectionStatus, useConnection } from './components/ConnectionStatus';
import { Spinner } from './components/Spinner';
import { type StepInfo, StepNav } from './components/StepNav';
import { KeepPrompt } from './generations/KeepPrompt';
import { KeepTrialProvider } from './generations/keep-trial';
import { ACTIONS } from './rebuild-words';
import { AnswersScreen } from './screens/AnswersScreen';
import { DoneScreen } from './screens/DoneScreen';
import { type Detection, FactsScreen } from './screens/FactsScreen';
import { PlanScreen } from './screens/PlanScreen';
import { SecretsScreen } from './screens/SecretsScreen';
import type { StepProps } from './screens/step-props';
import { type SecretDraft, savedSecretDraft } from './secret-draft';
import { RepoSecretsScreen } from './secrets/RepoSecretsScreen';
import { type StoredSecrets, savedStoredSecrets, withStored } from './stored-secrets';
import { useRunGoingOn } from './use-run-going-on';

/** The terminal (xterm.js and its renderers) loads with the step that shows it. */
const RebuildScreen = lazy(() =>
  import('./screens/RebuildScreen').then((module) => ({ default: module.RebuildScreen })),
);

/** The generations screen (which shows a rollback's terminal) loads on first use too. */
const GenerationsScreen = lazy(() =>
  import('./generations/GenerationsScreen').then((module) => ({
    default: module.GenerationsScreen,
  })),
);

type Step = 'machine' | 'about' | 'secrets' | 'plan' | 'done' | 'rebuild';
const ORDER: Step[] = ['machine', 'about', 'secrets', 'plan', 'done', 'rebuild'];
const TITLES: Record<Step, string> = {
  machine: 'This machine',
  about: 'About you',
  secrets: 'Secrets',
  plan: 'Review the plan',
  done: 'Written',
  rebuild: 'Build and switch',
};

/**
 * What the user has entered and what was written, kept for this tab so a reload, the Back
 * button or a restarted server (same port, same tab) loses nothing.
 */
interface SavedWizard {
  facts: Facts | null;
  answers: Answers | null;
  repo: string;
  journey: Journey;
  furthest: number;
  step: Step;
  /** What "Write and commit" did: the Done screen shows it, the rebuild builds it. */
  applied: ApplyResult | null;
  secretDraft: SecretDraft;
  /** The secrets stored on the Written screen since that write: names and files, no values. */
  storedSecrets: StoredSecrets;
}

const SAVED_KEY = 'nixstrap.wizard';

function loadSaved(): Partial<SavedWizard> | null {
  try {
    const text = sessionStorage.getItem(SAVED_KEY);
    return text ? (JSON.parse(text) as Partial<SavedWizard>) : null;
  } catch {
    return null;
  }
}

/** The screens that stand beside the wizard, reachable from the first screen on. */
const ASIDES = ['generations', 'secrets'] as const;
type Aside = (typeof ASIDES)[number];
const ASIDE_TITLES: Record<Aside, string> = { generations: 'Generations', secrets: 'Secrets' };
const asideInAddress = (): Aside | null =>
  ASIDES.find((aside) => window.location.hash === `#${aside}`) ?? null;

function isStep(value: unknown): value is Step {
  return ORDER.some((step) => step === value);
}

/** The step the address names; after the server's redirect to `/` there is none, so the saved one. */
function stepToRestore(saved: Partial<SavedWizard> | null): Step {
  const hash = window.location.hash.slice(1);
  if (isStep(hash)) return hash;
  return isStep(saved?.step) ? saved.step : 'machine';
}

export function App({ bridge: given }: { bridge?: Bridge }) {
  const bridge = useMemo(() => given ?? pickBridge(), [given]);
  const connection = useConnection(bridge);
  const saved = useMemo(loadSaved, []);
  const [step, setStep] = useState<Step>('machine');
  const [aside, setAside] = useState(asideInAddress);
  const [facts, setFacts] = useState<Facts | null>(null);
  const [detection, setDetection] = useState<Detection>({
    loading: true,
    detected: null,
    error: null,
  });
  const [answers, setAnswers] = useState<Answers | null>(saved?.answers ?? null);
  const [repo, setRepo] = useState(saved?.repo ?? '~/nixos-config');
  const [journey, setJourney] = useState<Journey>(
    saved?.journey === 'add-host' ? 'add-host' : 'init',
  );
  const [furthest, setFurthest] = useState(saved?.furthest ?? 0);
  const [applied, setApplied] = useState<ApplyResult | null>(saved?.applied ?? null);
  const [secretDraft, setSecretDraft] = useState(() => savedSecretDraft(saved?.secretDraft));
  const [storedSecrets, setStoredSecrets] = useState(() =>
    savedStoredSecrets(saved?.storedSecrets),
  );
  const target = useMemo(
    () => applied && { repo: applied.plan.repo, host: applied.plan.hostName },
    [applied],
  );

  // Each step is a history entry, so the browser's Back and Forward move between steps.
  const go = useCallback((next: Step) => {
    setAside(null);
    setStep(next);
    setFurthest((reached) => Math.max(reached, ORDER.indexOf(next)));
    if (window.location.hash !== `#${next}`)
      window.history.pushState({ step: next }, '', `#${next}`);
  }, []);

  useEffect(() => {
    const onPop = () => {
      setAside(asideInAddress());
      const hash = window.location.hash.slice(1);
      setStep(isStep(hash) ? hash : 'machine');
    };
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  useEffect(() => {
    document.title = `${aside ? ASIDE_TITLES[aside] : TITLES[step]} · Nixstrap`;
  }, [step, aside]);

  const detect = useCallback(
    async (restore: boolean) => {
      setDetection((current) => ({ ...current, loading: true, error: null }));
      const result = await bridge.detectFacts({});
      if (result.ok) {
        setDetection({ loading: false, detected: result.value, error: null });
        // Corrections the user made before a reload still apply; a re-detect starts afresh.
        setFacts(restore && saved?.facts ? saved.facts : result.value);
        if (restore) {
          const wanted = stepToRestore(saved);
          const written = Boolean(saved?.applied);
          const reachable =
            ORDER.indexOf(wanted) <= (saved?.furthest ?? 0) &&
            ((wanted !== 'done' && wanted !== 'rebuild') || written);
          setStep(reachable ? wanted : 'machine');
        }
      } else {
        setDetection((current) => ({ ...current, loading: false, error: result.error }));
      }
    },
    [bridge, saved],
  );

  useEffect(() => {
    void detect(true);
  }, [detect]);

  // The marker tests and the Electron shell wait for: facts are in, whichever step shows.
  useEffect(() => {
    if (facts && !detection.loading) document.body.dataset.appState = 'ready';
  }, [facts, detection.loading]);

  useEffect(() => {
    const state: SavedWizard = {
      facts,
      answers: answersToKeep(answers),
      repo,
      journey,
      furthest,
      step,
      applied,
      secretDraft,
      storedSecrets,
    };
    try {
      sessionStorage.setItem(SAVED_KEY, JSON.stringify(state));
    } catch {
      // Storage can be full or disabled; the wizard works without it.
    }
  }, [facts, answers, repo, journey, furthest, step, applied, secretDraft, storedSecrets]);

  // Answers the user gave stay theirs when a fact is corrected; untouched ones were never
  // filled in, and the answers step prefills them from the corrected facts.
  const correct = useCallback((corrected: Facts) => setFacts(corrected), []);

  const secretStored = useCallback(
    (result: SetSecretResult) => setStoredSecrets((before) => withStored(before, result)),
    [],
  );

  const onApplied = useCallback(
    (result: ApplyResult) => {
      setApplied(result);
      setStoredSecrets([]);
      go('done');
    },
    [go],
  );

  const going = useRunGoingOn(bridge, aside !== null || step !== 'rebuild');

  const steps: StepInfo<Step>[] = ORDER.map((id, index) => ({
    id,
    title: TITLES[id],
    done: index < furthest && (id !== 'done' || applied !== null),
    enabled:
      id === 'machine' ||
      (id === 'about' && facts !== null && furthest >= 1) ||
      (id === 'secrets' && answers !== null && furthest >= 2) ||
      (id === 'plan' && answers !== null && furthest >= 3) ||
      ((id === 'done' || id === 'rebuild') && applied !== null),
    ...(id === 'rebuild' && going ? { note: 'running' } : {}),
  }));

  // Back and on follow ORDER; the plan goes on by writing, to the done step.
  const back = () => go(ORDER[ORDER.indexOf(step) - 1] ?? 'machine');
  const next = () => go(ORDER[ORDER.indexOf(step) + 1] ?? 'rebuild');
  const stepProps: StepProps | null =
    facts && answers ? { bridge, facts, answers, repo, onBack: back } : null;

  /** The screen of the wizard's current step, once what it works from is there. */
  function stepScreen(): ReactNode {
    switch (step) {
      case 'machine':
        return (
          <FactsScreen
            bridge={bridge}
            facts={facts}
            detection={detection}
            onRedetect={() => void detect(false)}
            onCorrect={correct}
            onContinue={next}
          />
        );
      case 'about':
        return (
          facts && (
            <AnswersScreen
              bridge={bridge}
              facts={facts}
              answers={answers}
              onChange={setAnswers}
              onBack={back}
              onContinue={next}
            />
          )
        );
      case 'secrets':
        return (
          stepProps && (
            <SecretsScreen
              {...stepProps}
              onChange={setAnswers}
              onContinue={next}
              secretDraft={secretDraft}
              onSecretDraft={setSecretDraft}
            />
          )
        );
      case 'plan':
        return (
          stepProps && (
            <PlanScreen
              {...stepProps}
              onRepoChange={setRepo}
              journey={journey}
              onJourneyChange={setJourney}
              onAnswersChange={setAnswers}
              onApplied={onApplied}
              onBuild={applied ? () => go('rebuild') : undefined}
            />
          )
        );
      case 'done':
        return (
          applied && (
            <DoneScreen
              bridge={bridge}
              result={applied}
              secretDraft={secretDraft}
              storedSecrets={storedSecrets}
              onSecretStored={secretStored}
              onBack={back}
              onBuild={next}
            />
          )
        );
      case 'rebuild':
        return (
          target && (
            <Suspense fallback={<Spinner label="Opening Build and switch…" />}>
              <RebuildScreen bridge={bridge} target={target} onBack={back} />
            </Suspense>
          )
        );
    }
  }

  return (
    <div className="app">
      <header className="topbar">
        <div className="topbar-inner">
          <div className="brand">
            <svg className="brand-mark" viewBox="0 0 64 64" aria-hidden="true">
              <path d="M32 14v36M16.4 23l31.2 18M16.4 41l31.2-18" />
            </svg>
            <span className="brand-name">Nixstrap</span>
          </div>
          <StepNav steps={steps} current={aside ? null : step} onSelect={go} />
          <div className="topbar-end">
            {ASIDES.map((name) => (
              <button
                key={name}
                type="button"
                className="button button-ghost topbar-link"
                aria-current={aside === name ? 'page' : undefined}
                onClick={() => {
                  setAside(name);
                  if (asideInAddress() !== name) window.history.pushState({}, '', `#${name}`);
                }}
                data-testid={`open-${name}`}
              >
                {ASIDE_TITLES[name]}
              </button>
            ))}
            {!window.nixstrap && <ConnectionStatus state={connection} />}
          </div>
        </div>
      </header>
      <main className="content">
        <ConnectionNotice state={connection} />
        {going && (
          <Banner
            tone="info"
            role="status"
            testId="run-going-on"
            // Back keeps the page's scroll: brought into view once, when it appears.
            focusKey={going.runId}
            title="Still running"
            action={
              <button type="button" className="button" onClick={() => go('rebuild')}>
                Show it
              </button>
            }
          >
            {`${ACTIONS.find((a) => a.id === going.action)?.title ?? going.action}: ${going.host} goes on in Build and switch; leaving that screen did not stop it.`}
          </Banner>
        )}
        {aside === 'generations' ? (
          <Suspense fallback={<Spinner label="Opening the generations…" />}>
            <GenerationsScreen bridge={bridge} repo={repo} />
          </Suspense>
        ) : aside === 'secrets' ? (
          <RepoSecretsScreen bridge={bridge} repo={repo} onRepoChange={setRepo} />
        ) : (
          <KeepTrialProvider bridge={bridge}>
            <KeepPrompt bridge={bridge} />
            {stepScreen()}
          </KeepTrialProvider>
        )}
      </main>
    </div>
  );
}
