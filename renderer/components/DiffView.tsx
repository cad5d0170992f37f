interface DiffViewProps {
  diff: string;
  /** Shown when there is no diff (an unchanged file). */
  empty?: string;
  /** What the diff is of, said when the keyboard reaches it. */
  label: string;
}

function lineKind(line: string): string {
  if (line.startsWith('+++') || line.startsWith('---')) return 'diff-meta';
  if (line.startsWith('@@')) return 'diff-hunk';
  if (line.startsWith('+')) return 'diff-add';
  if (line.startsWith('-')) return 'diff-del';
  if (line.startsWith('\\')) return 'diff-meta';
  return 'diff-context';
}

/** A unified diff, one row per line, additions and removals coloured and also marked by +/−. */
export function DiffView({ diff, empty = 'No changes.', label }: DiffViewProps) {
  if (diff.trim() === '') return <p className="diff-empty">{empty}</p>;
  // The "Index:" and "====" banner that some diff writers put first says nothing the title does not.
  const lines = diff
    .replace(/\n$/, '')
    .split('\n')
    .filter((line) => !line.startsWith('Index: ') && !/^=+$/.test(line));
  return (
    // Long lines scroll sideways and a long diff downwards: a tab stop lets the keyboard scroll
    // them too, and the section names what the keyboard landed on (a named region).
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling box must be reachable by keyboard
    <section className="diff" data-testid="diff" tabIndex={0} aria-label={label}>
      <pre>
        <code>
          {lines.map((line, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: lines of a fixed text never reorder
            <span key={index} className={`diff-line ${lineKind(line)}`}>
              {line === '' ? ' ' : line}
              {'\n'}
            </span>
          ))}
        </code>
      </pre>
    </section>
  );
}
