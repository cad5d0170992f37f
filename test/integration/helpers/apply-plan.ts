// The child process the crash tests stop half-way: plans the request in the JSON file given
// as the first argument, then applies it, killing itself with SIGKILL right after its
// `killAfter`-th disk step (none: it runs to the end and prints how many steps it took), or
// holding still there for a minute with `hold`, a write under way for another process to meet.
import { readFileSync } from 'node:fs';
import { applyPlan, computePlan, type PlanRequest } from '../../../main/core/repo';
import { watchDiskSteps } from '../../../main/core/repo/fs/durable';

type Job = { request: PlanRequest; take: string[]; killAfter: number | null; hold?: boolean };

const job = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Job;
const plan = await computePlan(job.request);
let steps = 0;
watchDiskSteps({
  after: (step) => {
    steps = step.n;
    if (step.n !== job.killAfter) return;
    if (!job.hold) process.kill(process.pid, 'SIGKILL');
    process.stderr.write('holding\n');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
  },
});
const resolutions = Object.fromEntries(job.take.map((path) => [path, 'take' as const]));
const result = await applyPlan(plan, { resolutions });
process.stdout.write(`${JSON.stringify({ commit: result.commit, steps })}\n`);
