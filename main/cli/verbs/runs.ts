import type { RunSummary } from '../../../common/rebuild';
import { resolveDataDir } from '../../core/platform';
import { interruptedRunExplanation } from '../../core/rebuild/outcome';
import { listRuns } from '../../core/rebuild/registry';
import { print, stringFlag, type VerbContext } from '../context';
import { table } from '../table';

function when(iso: string | null): string {
  return iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, '') : '-';
}

export function formatRuns(runs: RunSummary[]): string {
  if (!runs.length) return 'No runs recorded yet.';
  const rows = runs.map((run) => [
    run.id,
    run.status,
    run.kind === 'rollback' ? `rollback ${run.action}` : run.action,
    run.host ?? '-',
    when(run.startedAt),
    run.generation === null ? '-' : String(run.generation),
    run.error?.message ??
      (run.status === 'interrupted' ? interruptedRunExplanation(run).message : ''),
  ]);
  const header = ['RUN', 'STATUS', 'ACTION', 'HOST', 'STARTED (UTC)', 'GEN', ''];
  return table([header, ...rows]);
}

/** `nixstrap runs [--json]`: the recorded runs, newest first. */
export async function run(ctx: VerbContext): Promise<number> {
  const runs = listRuns(resolveDataDir(stringFlag(ctx, 'data-dir')));
  print(ctx, runs, () => formatRuns(runs));
  return 0;
}
