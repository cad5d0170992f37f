import { renderRepo } from '../main/core/generate';
import { goldenCases } from '../test/golden/cases';

const BUDGET_MS = 50;
const RUNS = 20;

// The machine with the most detected hardware renders the most text.
const largest = goldenCases()
  .map((golden) => ({ golden, size: JSON.stringify(golden.facts).length }))
  .sort((a, b) => b.size - a.size)[0]!.golden;

const times: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const start = performance.now();
  renderRepo(largest.facts, largest.answers);
  times.push(performance.now() - start);
}
times.sort((a, b) => a - b);
const median = (times[Math.floor(RUNS / 2) - 1]! + times[Math.floor(RUNS / 2)]!) / 2;
console.log(
  `generate: render repo for ${largest.name}, median ${median.toFixed(2)} ms over ${RUNS} runs, ` +
    `${(median / BUDGET_MS).toFixed(3)}× the ${BUDGET_MS} ms budget`,
);
