import { NixstrapFailure } from '../../common';
import type { RebuildRun } from '../core/rebuild';

/** A run of this process by its id; rejects with RUN_NOT_FOUND when there is none. */
export type FindRun = (runId: string) => Promise<RebuildRun>;

/** The engine's runs; the engine loads on the first lookup, as every other part does. */
export function findEngineRun(dataDir: string): FindRun {
  return async (runId) => {
    const run = (await import('../core/rebuild')).getRun(dataDir, runId);
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
