import { renderRepo } from '../main/core/generate';
import { fixtureCases } from '../test/helpers/golden-cases';

const BUDGET_MS = 50;
const RUNS = 20;

// The captured machine whose repo has the most text is the most work to render.
const cases = fixtureCases().map((golden) => ({
  golden,
  bytes: renderRepo(golden.facts, golden.answers).reduce((sum, f) => sum + f.content.length, 0),
}));
const { golden: largest, bytes } = cases.sort((a, b) => b.bytes - a.bytes)[0]!;

const times: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const start = performance.now();
  const files = renderRepo(largest.facts, largest.answers);
  times.push(performance.now() - start);
  if (files.length === 0) throw new Error('rendered nothing');
}
times.sort((a, b) => a - b);
const median = (times[RUNS / 2 - 1]! + times[RUNS / 2]!) / 2;
console.log(`generate: full repo for ${largest.name} (${(bytes / 1024).toFixed(1)} KiB of files)`);
console.log(
  `  median ${median.toFixed(2)} ms over ${RUNS} runs (min ${times[0]!.toFixed(2)}, max ${times[RUNS - 1]!.toFixed(2)})`,
);
console.log(`  ${(median / BUDGET_MS).toFixed(3)}× the ${BUDGET_MS} ms budget`);
