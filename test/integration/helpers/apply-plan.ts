// Applies the plan in the JSON file given as the first argument: the child process the
// crash-safety test kills half-way (see NIXSTRAP_TEST_PAUSE_AFTER_WRITES in repo/apply.ts).
import { readFileSync } from 'node:fs';
import { PlanSchema } from '../../../common/plan';
import { applyPlan } from '../../../main/core/repo';

const plan = PlanSchema.parse(JSON.parse(readFileSync(process.argv[2]!, 'utf8')));
applyPlan(plan, { force: true }).then(
  (result) => process.stdout.write(`${JSON.stringify(result.written)}\n`),
  (error: Error) => {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  },
);
