import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Answers, Facts, NixstrapError } from '../common';
import { type Bridge, pickBridge } from './bridge';
import { type StepInfo, StepNav } from './components/StepNav';
import { AnswersScreen } from './screens/AnswersScreen';
import { FactsScreen } from './screens/FactsScreen';
import { PlanScreen } from './screens/PlanScreen';

type Step = 'machine' | 'about' | 'plan' | 'rebuild';
const ORDER: Step[] = ['machine', 'about', 'plan', 'rebuild'];

export function App({ bridge: given }: { bridge?: Bridge }) {
  const bridge = useMemo(() => given ?? pickBridge(), [given]);
  const [step, setStep] = useState<Step>('machine');
  const [detected, setDetected] = useState<Facts | null>(null);
  const [facts, setFacts] = useState<Facts | null>(null);
  const [detecting, setDetecting] = useState(true);
  const [detectError, setDetectError] = useState<NixstrapError | null>(null);
  const [answers, setAnswers] = useState<Answers | null>(null);
  const [repo, setRepo] = useState('~/nixos-config');
  const [furthest, setFurthest] = useState(0);

  const go = useCallback((next: Step) => {
    setStep(next);
    setFurthest((reached) => Math.max(reached, ORDER.indexOf(next)));
  }, []);

  const detect = useCallback(async () => {
    setDetecting(true);
    setDetectError(null);
    const result = await bridge.detectFacts({});
    setDetecting(false);
    if (result.ok) {
      setDetected(result.value);
      setFacts(result.value);
      setAnswers(null);
      setFurthest(0);
    } else {
      setDetectError(result.error);
    }
  }, [bridge]);

  useEffect(() => {
    void detect();
  }, [detect]);

  const correct = useCallback((corrected: Facts) => {
    setFacts(corrected);
    // Suggestions derive from the facts, so they are recomputed from the corrected ones.
    setAnswers(null);
    setFurthest((reached) => Math.min(reached, 1));
  }, []);

  const steps: StepInfo<Step>[] = [
    { id: 'machine', title: 'This machine', enabled: true },
    { id: 'about', title: 'About you', enabled: facts !== null && furthest >= 1 },
    { id: 'plan', title: 'Review the plan', enabled: answers !== null && furthest >= 2 },
    { id: 'rebuild', title: 'Rebuild', enabled: false, note: 'next milestone' },
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
            facts={facts}
            detected={detected}
            loading={detecting}
            error={detectError}
            onRedetect={() => void detect()}
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
            onBack={() => go('about')}
          />
        )}
      </main>
    </div>
  );
}
