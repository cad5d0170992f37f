import type { RunSummary } from '../../../common/rebuild';
import { resolveDataDir } from '../../core/platform';
import { interruptedRunExplanation } from '../../core/rebuild/outcome';
import { listRuns } from '../../core/rebuild/registry';
import { print, stringFlag, type VerbContext } from '../context';
import { table } from '../table';
import { RUNS_SHOWN } from '../verbs';

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

/**
 * `nixstrap runs [--all] [--json]`: the recorded runs, newest first: the newest RUNS_SHOWN, and
 * a line saying there are more (on stderr, so stdout stays the list), or every one with --all.
 */
export async function run(ctx: VerbContext): Promise<number> {
  const dataDir = resolveDataDir(stringFlag(ctx, 'data-dir'));
  const all = ctx.flags.all === true;
  // One more than is shown tells whether there are more, without counting them all.
  const found = listRuns(dataDir, all ? null : RUNS_SHOWN + 1);
  const runs = found.slice(0, all ? undefined : RUNS_SHOWN);
  print(ctx, runs, () => formatRuns(runs));
  if (found.length > runs.length) {
    ctx.io.err(
      `Only the newest ${RUNS_SHOWN} runs are listed; \`nixstrap runs --all\` lists every one.`,
    );
  }
  return 0;
}
