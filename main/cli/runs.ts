import type { RunSummary } from '../../common';
import { listRuns, readLog } from '../core/rebuild';
import { stripAnsi } from '../core/rebuild/text';
import type { Flags, Io } from './run';

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
    Math.max(title.length, ...rows.map((r) => r[i]?.length ?? 0)),
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
export function runs(flags: Flags, dataDir: string, io: Io): number {
  const list = listRuns(dataDir);
  io.out(flags.json ? JSON.stringify(list, null, 2) : formatRuns(list));
  return 0;
}

/** `nixstrap log RUN`: the run's log as shown; plain text when written to a file or a pipe. */
export function log(
  runId: string,
  dataDir: string,
  io: Io,
  colour = Boolean(process.stdout.isTTY),
): number {
  const text = readLog(dataDir, runId);
  const shown = colour ? text : stripAnsi(text).replace(/\r+\n/g, '\n').replace(/\r/g, '');
  io.out(shown.replace(/\n$/, ''));
  return 0;
}
