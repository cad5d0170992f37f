// Plans and runs a rollback to the generation given as the third argument, without asking:
// the child process the crash-safety test kills during activation.
import { openLedger } from '../../../main/core/ledger';
import { planRollback } from '../../../main/core/ledger/rollback-plan';
import { startRollback } from '../../../main/core/ledger/rollback-run';

const [dataDir, profile, to, runDir] = process.argv.slice(2) as [string, string, string, string];
const ledger = openLedger(dataDir);
const plan = await planRollback(ledger, { profile, runDir, to: Number(to) });
ledger.close();
const run = await startRollback({ dataDir, plan, confirm: 'yes', runDir });
process.stdout.write(`${run.id}\n`);
await run.done;
