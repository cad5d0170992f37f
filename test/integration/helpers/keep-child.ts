// Puts a generation on trial and then waits, as the app does after a switch: the process the
// keep test kills before the deadline, or during the revert, to see the trial taken up by the
// next one. With a run folder (the stand-in's /run) it reverts as the app would.
import { createKeepWatch } from '../../../main/core/ledger/keep-watch';

const [dataDir, profile, runId, generation, revertTo, seconds, runDir] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
  string,
  string | undefined,
];
createKeepWatch({ dataDir, runDir: runDir ?? null }).arm({
  profile,
  runId,
  generation: Number(generation),
  revertTo: Number(revertTo),
  seconds: Number(seconds),
});
process.stdout.write('armed\n');
setInterval(() => {}, 60_000);
