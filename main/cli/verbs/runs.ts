import type { RunSummary } from '../../../common/rebuild';
import { resolveDataDir } from '../../core/platform';
import { listRuns } from '../../core/rebuild/registry';
import { print, stringFlag, type VerbContext } from '../context';

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
    run.error?.message ?? '',
  ]);
  const header = ['RUN', 'STATUS', 'ACTION', 'HOST', 'STARTED (UTC)', 'GEN', ''];
  const widths = header.map((title, i) =>
    Math.max(title.length, ...rows.map((row) => row[i]?.length ?? 0)),
  );
  return [header, ...rows]
    .map((row) =>
      row
        .map((cell, i) => (i < row.length - 1 ? cell.padEnd(widths[i] ?? 0) : cell))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** `nixstrap runs [--json]`: the recorded runs, newest first. */
export async function run(ctx: VerbContext): Promise<number> {
  const runs = listRuns(resolveDataDir(stringFlag(ctx, 'data-dir')));
  print(ctx, runs, () => formatRuns(runs));
  return 0;
}
