// Puts a generation on trial and then waits, as the app does after a switch: the process the
// keep test kills before the deadline, to see the trial taken up by the next one.
import { createKeepWatch } from '../../../main/core/ledger/keep-watch';

const [dataDir, profile, runId, generation, revertTo, seconds] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
  string,
];
createKeepWatch({ dataDir }).arm({
  profile,
  runId,
  generation: Number(generation),
  revertTo: Number(revertTo),
  seconds: Number(seconds),
});
process.stdout.write('armed\n');
setInterval(() => {}, 60_000);
