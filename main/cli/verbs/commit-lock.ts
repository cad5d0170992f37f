import { commitBuiltLock } from '../../core/rebuild/commit-lock';
import { print, usageFailure, type VerbContext } from '../context';
import { withLedger } from '../profile';

/**
 * `nixstrap commit-lock RUN`: commits the flake.lock RUN's build wrote (and nothing else), and
 * records RUN and its generation as built from that commit.
 */
export async function run(ctx: VerbContext): Promise<number> {
  const [runId] = ctx.words;
  if (runId === undefined) {
    throw usageFailure(
      '`nixstrap commit-lock` needs the id of a run.',
      '`nixstrap runs` lists them; a build that wrote flake.lock ends by naming this command.',
    );
  }
  const done = await withLedger(ctx, (ledger) => commitBuiltLock(ledger, runId));
  print(ctx, done, () => {
    const built =
      done.generation === null
        ? `run ${runId} is`
        : `run ${runId} and generation ${done.generation} are`;
    return `Committed flake.lock in ${done.repo} as ${done.commit?.slice(0, 12)} (Lock flake inputs); ${built} recorded as built from it${done.dirty ? ', with the other uncommitted changes it was built with' : ''}.`;
  });
  return 0;
}
