import { formatBytes } from '../../common/bytes';
import { GENERATION_MARK_WORDS, generationMarks } from '../../common/generation-marks';
import type { Generation } from '../../common/rebuild';

/** Local time, minutes: what `nix-env --list-generations` shows, without the seconds. */
function when(iso: string | null): string {
  if (!iso) return '?';
  const d = new Date(iso);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
}

function commit(g: Generation): string {
  if (!g.commit) return '-';
  return `${g.commit.slice(0, 12)}${g.dirty ? '+dirty' : ''}`;
}

/** The generations as a table, oldest first like nix-env, with what the ledger adds. */
export function formatGenerations(generations: Generation[]): string {
  if (!generations.length) return 'This profile has no generations.';
  const rows = generations.map((g) => [
    String(g.number),
    when(g.createdAt),
    g.nixosVersion ?? '-',
    g.kernelVersion ?? '-',
    commit(g),
    formatBytes(g.closureBytes),
    generationMarks(g, generations)
      .map((mark) => GENERATION_MARK_WORDS[mark])
      .join(', '),
  ]);
  const header = ['Gen', 'Created', 'Version', 'Kernel', 'Commit', 'Closure', ''];
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((r) => (r[i] as string).length)),
  );
  return [header, ...rows]
    .map((row) =>
      row
        .map((cell, i) =>
          i === 0 ? cell.padStart(widths[i] as number) : cell.padEnd(widths[i] as number),
        )
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
