// The child process the crash tests stop half-way: plans the request in the JSON file given
// as the first argument, then applies it, killing itself with SIGKILL right after its
// `killAfter`-th disk step (none: it runs to the end and prints how many steps it took).
import { readFileSync } from 'node:fs';
import { applyPlan, computePlan, type PlanRequest } from '../../../main/core/repo';
import { watchDiskSteps } from '../../../main/core/repo/fs/durable';

type Job = { request: PlanRequest; take: string[]; killAfter: number | null };

const job = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Job;
const plan = await computePlan(job.request);
let steps = 0;
watchDiskSteps({
  after: (step) => {
    steps = step.n;
    if (step.n === job.killAfter) process.kill(process.pid, 'SIGKILL');
  },
});
const resolutions = Object.fromEntries(job.take.map((path) => [path, 'take' as const]));
const result = await applyPlan(plan, { resolutions });
process.stdout.write(`${JSON.stringify({ commit: result.commit, steps })}\n`);
