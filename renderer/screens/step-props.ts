import type { Answers, Facts } from '../../common';
import type { Bridge } from '../bridge';

/** What the steps after the answers work from (the engine, the machine, the answers, the repo), and the way back. */
export interface StepProps {
  bridge: Bridge;
  facts: Facts;
  answers: Answers;
  repo: string;
  onBack: () => void;
}
