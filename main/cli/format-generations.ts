import { uncommittedWords } from '../../common/build-source';
import { formatBytes } from '../../common/bytes';
import { inputsLine } from '../../common/flake-inputs';
import { generationMarks, generationMarkWords } from '../../common/generation-marks';
import type { CommitCheck } from '../../common/generations';
import type { Generation } from '../../common/rebuild';
import { table } from './table';
import { terminalText } from './terminal-text';

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

/** A subject as long as a table column should be: `git log --oneline` width, then cut. */
const SUBJECT_WIDTH = 50;

function subject(g: Generation): string {
  if (!g.subject) return '';
  return g.subject.length > SUBJECT_WIDTH ? `${g.subject.slice(0, SUBJECT_WIDTH - 1)}…` : g.subject;
}

/**
 * The generations as a table, oldest first like nix-env, with what the ledger adds: the commit
 * subjects, where runs recorded any.
 */
export function formatGenerations(generations: Generation[]): string {
  if (!generations.length) return 'This profile has no generations.';
  const subjects = generations.some((g) => g.subject);
  const specialised = generations.some((g) => g.specialisations.length);
  const rows = generations.map((g) => [
    String(g.number),
    when(g.createdAt),
    g.nixosVersion ?? '-',
    g.kernelVersion ?? '-',
    commit(g),
    formatBytes(g.closureBytes),
    generationMarks(g, generations)
      .map((mark) => generationMarkWords(g, mark))
      .join(', '),
    ...(specialised ? [g.specialisations.join(', ')] : []),
    ...(subjects ? [subject(g)] : []),
  ]);
  const header = ['Gen', 'Created', 'Version', 'Kernel', 'Commit', 'Closure', 'Marks'];
  return table(
    [
      [...header, ...(specialised ? ['Specialisations'] : []), ...(subjects ? ['Subject'] : [])],
      ...rows,
    ],
    { right: [0] },
  );
}

/** One generation, field by field, then the sentence that says its commit is gone, if it is. */
export function formatGeneration(
  generation: Generation,
  generations: Generation[],
  check: CommitCheck,
): string {
  const marks = generationMarks(generation, generations).map((mark) =>
    generationMarkWords(generation, mark),
  );
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
    ['Uncommitted', generation.commit ? uncommittedWords(generation) : null],
    ['Subject', generation.subject],
    ['Branch', generation.branch],
    ['Host', generation.host],
    ['Inputs', inputsLine(generation.inputs)],
    ['Closure', formatBytes(generation.closureBytes)],
    ['Store path', generation.storePath],
    ['Specialisations', generation.specialisations.join(', ') || null],
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

/**
 * The flake inputs pinned differently between two generations, under a heading; none, nothing.
 * Their names come from a lock file, so they are made safe for the terminal.
 */
export function inputsSection(differences: string[]): string[] {
  return differences.length
    ? ['Flake inputs that differ:', ...differences.map((line) => `  ${terminalText(line)}`)]
    : [];
}
