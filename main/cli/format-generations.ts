import { formatBytes } from '../../common/bytes';
import { GENERATION_MARK_WORDS, generationMarks } from '../../common/generation-marks';
import type { CommitCheck } from '../../common/generations';
import type { Generation } from '../../common/rebuild';
import { table } from './table';

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
  return table([header, ...rows], { right: [0] });
}

/** One generation, field by field, then the sentence that says its commit is gone, if it is. */
export function formatGeneration(
  generation: Generation,
  generations: Generation[],
  check: CommitCheck,
): string {
  const marks = generationMarks(generation, generations).map((mark) => GENERATION_MARK_WORDS[mark]);
  const fields: [string, string | null][] = [
    ['Created', when(generation.createdAt)],
    ['Version', generation.nixosVersion],
    ['Kernel', generation.kernelVersion],
    [
      'Commit',
      generation.commit
        ? `${commit(generation)}${check.repo ? ` in ${check.repo}` : ''}`
        : 'none recorded',
    ],
    ['Host', generation.host],
    ['Closure', formatBytes(generation.closureBytes)],
    ['Store path', generation.storePath],
    ['Marks', marks.join(', ') || null],
  ];
  const shown = fields.filter((field): field is [string, string] => field[1] !== null);
  const width = Math.max(...shown.map(([name]) => name.length));
  return [
    `Generation ${generation.number}`,
    ...shown.map(([name, value]) => `  ${name.padEnd(width)}  ${value}`),
    ...(check.warning ? ['', check.warning] : []),
  ].join('\n');
}
