import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Answers, Facts, NixstrapError } from '../common';
import { answersToKeep } from './answers-form';
import { type Bridge, pickBridge } from './bridge';
import { type StepInfo, StepNav } from './components/StepNav';
import { AnswersScreen } from './screens/AnswersScreen';
import { FactsScreen } from './screens/FactsScreen';
import { PlanScreen } from './screens/PlanScreen';
import { RebuildScreen, type RebuildTarget } from './screens/RebuildScreen';
import { SecretsScreen } from './screens/SecretsScreen';

type Step = 'machine' | 'about' | 'secrets' | 'plan' | 'rebuild';
const ORDER: Step[] = ['machine', 'about', 'secrets', 'plan', 'rebuild'];

/** What the user has entered, kept for this tab so a reload or the Back button loses nothing. */
interface SavedWizard {
  facts: Facts | null;
  answers: Answers | null;
  repo: string;
  furthest: number;
  /** The repo and host the plan wrote, once it was written: what the rebuild builds. */
  target: RebuildTarget | null;
}

const SAVED_KEY = 'nixstrap.wizard';

function loadSaved(): SavedWizard | null {
  try {
    const text = sessionStorage.getItem(SAVED_KEY);
    return text ? (JSON.parse(text) as SavedWizard) : null;
  } catch {
    return null;
  }
}

function stepFromHash(): Step {
  const hash = window.location.hash.slice(1);
  return (ORDER as string[]).includes(hash) ? (hash as Step) : 'machine';
}

export function App({ bridge: given }: { bridge?: Bridge }) {
  const bridge = useMemo(() => given ?? pickBridge(), [given]);
  const saved = useMemo(loadSaved, []);
  const [step, setStep] = useState<Step>('machine');
  const [detected, setDetected] = useState<Facts | null>(null);
  const [facts, setFacts] = useState<Facts | null>(null);
  const [detecting, setDetecting] = useState(true);
  const [detectError, setDetectError] = useState<NixstrapError | null>(null);
  const [answers, setAnswers] = useState<Answers | null>(saved?.answers ?? null);
  const [repo, setRepo] = useState(saved?.repo ?? '~/nixos-config');
  const [furthest, setFurthest] = useState(saved?.furthest ?? 0);
  const [target, setTarget] = useState<RebuildTarget | null>(saved?.target ?? null);

  // Each step is a history entry, so the browser's Back and Forward move between steps.
  const go = useCallback((next: Step) => {
    setStep(next);
    setFurthest((reached) => Math.max(reached, ORDER.indexOf(next)));
    if (window.location.hash !== `#${next}`)
      window.history.pushState({ step: next }, '', `#${next}`);
  }, []);

  useEffect(() => {
    const onPop = () => setStep(stepFromHash());
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  const detect = useCallback(
    async (restore: boolean) => {
      setDetecting(true);
      setDetectError(null);
      const result = await bridge.detectFacts({});
      setDetecting(false);
      if (result.ok) {
        setDetected(result.value);
        // Corrections the user made before a reload still apply; a re-detect starts afresh.
        setFacts(restore && saved?.facts ? saved.facts : result.value);
        if (restore) {
          const wanted = stepFromHash();
          const reachable = ORDER.indexOf(wanted) <= (saved?.furthest ?? 0);
          setStep(reachable ? wanted : 'machine');
        }
      } else {
        setDetectError(result.error);
      }
    },
    [bridge, saved],
  );

  useEffect(() => {
    void detect(true);
  }, [detect]);

  // The marker tests and the Electron shell wait for: facts are in, whichever step shows.
  useEffect(() => {
    if (facts && !detecting) document.body.dataset.appState = 'ready';
  }, [facts, detecting]);

  useEffect(() => {
    const state: SavedWizard = { facts, answers: answersToKeep(answers), repo, furthest, target };
    try {
      sessionStorage.setItem(SAVED_KEY, JSON.stringify(state));
    } catch {
      // Storage can be full or disabled; the wizard works without it.
    }
  }, [facts, answers, repo, furthest, target]);

  // Answers the user gave stay theirs when a fact is corrected; untouched ones were never
  // filled in, and the answers step prefills them from the corrected facts.
  const correct = useCallback((corrected: Facts) => setFacts(corrected), []);

  const steps: StepInfo<Step>[] = [
    { id: 'machine', title: 'This machine', enabled: true },
    { id: 'about', title: 'About you', enabled: facts !== null && furthest >= 1 },
    { id: 'secrets', title: 'Secrets', enabled: answers !== null && furthest >= 2 },
    { id: 'plan', title: 'Review the plan', enabled: answers !== null && furthest >= 3 },
    { id: 'rebuild', title: 'Build and switch', enabled: target !== null && furthest >= 3 },
  ];

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
          <StepNav steps={steps} current={step} onSelect={go} />
        </div>
      </header>
      <main className="content">
        {step === 'machine' && (
          <FactsScreen
            bridge={bridge}
            facts={facts}
            detected={detected}
            loading={detecting}
            error={detectError}
            onRedetect={() => void detect(false)}
            onCorrect={correct}
            onContinue={() => go('about')}
          />
        )}
        {step === 'about' && facts && (
          <AnswersScreen
            bridge={bridge}
            facts={facts}
            answers={answers}
            onChange={setAnswers}
            onBack={() => go('machine')}
            onContinue={() => go('secrets')}
          />
        )}
        {step === 'secrets' && facts && answers && (
          <SecretsScreen
            bridge={bridge}
            facts={facts}
            answers={answers}
            repo={repo}
            onChange={setAnswers}
            onBack={() => go('about')}
            onContinue={() => go('plan')}
          />
        )}
        {step === 'plan' && facts && answers && (
          <PlanScreen
            bridge={bridge}
            facts={facts}
            answers={answers}
            repo={repo}
            onRepoChange={setRepo}
            onBack={() => go('secrets')}
            onApplied={(applied) =>
              setTarget({ repo: applied.plan.repo, host: applied.plan.hostName })
            }
            onBuild={target ? () => go('rebuild') : undefined}
          />
        )}
        {step === 'rebuild' && target && <RebuildScreen bridge={bridge} target={target} />}
      </main>
    </div>
  );
}
