import { NixstrapFailure } from '../../common';
import { getRun, type RebuildRun } from '../core/rebuild';

/** A run of this process by its id; throws RUN_NOT_FOUND when there is none. */
export type FindRun = (runId: string) => RebuildRun;

export function findEngineRun(dataDir: string): FindRun {
  return (runId) => {
    const run = getRun(dataDir, runId);
    if (!run) {
      throw new NixstrapFailure(
        'RUN_NOT_FOUND',
        `There is no run ${JSON.stringify(runId).slice(0, 80)} in this Nixstrap.`,
        'Start a rebuild first, or list the recorded runs with `nixstrap runs`.',
      );
    }
    return run;
  };
}
