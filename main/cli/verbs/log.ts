import { resolveDataDir } from '../../core/platform';
import { getRun, readLog } from '../../core/rebuild/registry';
import { stripAnsi } from '../../core/rebuild/text';
import { stringFlag, usageFailure, type VerbContext } from '../context';

/** `nixstrap log RUN`: the run's log as shown; plain text when written to a file or a pipe. */
export async function run(ctx: VerbContext): Promise<number> {
  const [runId] = ctx.words;
  if (runId === undefined) {
    throw usageFailure('`nixstrap log` needs the id of a run.', '`nixstrap runs` lists them.');
  }
  const dataDir = resolveDataDir(stringFlag(ctx, 'data-dir'));
  const text = readLog(dataDir, runId);
  const shown = process.stdout.isTTY
    ? text
    : stripAnsi(text).replace(/\r+\n/g, '\n').replace(/\r/g, '');
  ctx.io.out(shown.replace(/\n$/, ''));
  // A log cut off by a dead process ends mid-line: say why, as the app's screen does.
  const result = await getRun(dataDir, runId)?.done;
  if (result?.status === 'interrupted' && result.explanation) {
    ctx.io.err(`Run ${runId} was interrupted. ${result.explanation.message}`);
  }
  return 0;
}
