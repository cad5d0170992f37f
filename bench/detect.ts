import { createLiveProbe, detectWithTimings } from '../main/core/detect/index';
import { median } from './median';

/** Live detection must feel instant in the wizard: 150 ms after Node has started. */
const BUDGET_MS = 150;
const RUNS = 20;

const totals: number[] = [];
const perDetector = new Map<string, number[]>();
for (let run = 0; run < RUNS; run += 1) {
  const started = performance.now();
  const { timings } = detectWithTimings(createLiveProbe());
  totals.push(performance.now() - started);
  for (const { detector, ms } of timings) {
    perDetector.set(detector, [...(perDetector.get(detector) ?? []), ms]);
  }
}

const total = median(totals);
console.log(
  `live detection, ${RUNS} runs: median ${total.toFixed(1)} ms (first run ${totals[0]?.toFixed(1)} ms)`,
);
for (const [detector, values] of perDetector) {
  console.log(`  ${detector.padEnd(16)} ${median(values).toFixed(2).padStart(8)} ms`);
}
console.log(`ratio to the ${BUDGET_MS} ms budget: ${(total / BUDGET_MS).toFixed(2)}`);
