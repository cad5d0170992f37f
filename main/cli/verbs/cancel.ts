import { resolveDataDir } from '../../core/platform';
import { cancelRunElsewhere } from '../../core/rebuild/cancel-elsewhere';
import { print, stringFlag, usageFailure, type VerbContext } from '../context';

/**
 * `nixstrap cancel RUN`: asks the Nixstrap running RUN on this machine (a `rebuild` whose
 * terminal is gone, a `serve`, the app) to cancel it, and waits until it has. Exits 0 only when
 * the run ended cancelled.
 */
export async function run(ctx: VerbContext): Promise<number> {
  const [runId] = ctx.words;
  if (runId === undefined) {
    throw usageFailure('`nixstrap cancel` needs the id of a run.', '`nixstrap runs` lists them.');
  }
  const dataDir = resolveDataDir(stringFlag(ctx, 'data-dir'));
  const ended = await cancelRunElsewhere(dataDir, runId);
  const cancelled = ended.status === 'cancelled';
  // What the owner's cancel left, in its words ("…before it changed anything on this machine").
  const left = ended.error?.message ? ` ${ended.error.message}` : '';
  print(ctx, ended, () =>
    cancelled
      ? `Cancelled run ${runId}.${left}\n\`nixstrap log ${runId}\` shows its log.`
      : `Run ${runId} ended ${ended.status} before it could be cancelled; \`nixstrap log ${runId}\` shows how.`,
  );
  return cancelled ? 0 : 1;
}
