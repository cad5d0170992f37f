// Rolls back with a keep guard and puts the generation on trial, as the app does, then waits:
// the Nixstrap the keep-guard test kills during the countdown, leaving only the guard.
import { openLedger } from '../../../main/core/ledger';
import { createKeepWatch } from '../../../main/core/ledger/keep-watch';
import { planRollback } from '../../../main/core/ledger/rollback-plan';
import { startRollback } from '../../../main/core/ledger/rollback-run';

const [dataDir, profile, runDir, to, seconds, action] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
  'switch' | 'test',
];
const ledger = openLedger(dataDir);
const plan = await planRollback(ledger, { profile, runDir, to: Number(to), action });
ledger.close();
const run = await startRollback({
  dataDir,
  plan,
  confirm: 'yes',
  runDir,
  keepSeconds: Number(seconds),
});
const result = await run.done;
if (result.status !== 'succeeded' || !plan.from) {
  process.stderr.write(`the guarded rollback ended ${result.status}\n`);
  process.exit(1);
}
createKeepWatch({ dataDir, runDir }).arm({
  profile,
  runId: run.id,
  generation: plan.to.number,
  revertTo: plan.from.number,
  revertAction: action,
  seconds: Number(seconds),
});
process.stdout.write(`${run.id}\n`);
setInterval(() => {}, 60_000);
