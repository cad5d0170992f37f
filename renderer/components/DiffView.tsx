interface DiffViewProps {
  diff: string;
  /** Shown when there is no diff (an unchanged file). */
  empty?: string;
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
export function DiffView({ diff, empty = 'No changes.' }: DiffViewProps) {
  if (diff.trim() === '') return <p className="diff-empty">{empty}</p>;
  // The "Index:" and "====" banner that some diff writers put first says nothing the title does not.
  const lines = diff
    .replace(/\n$/, '')
    .split('\n')
    .filter((line) => !line.startsWith('Index: ') && !/^=+$/.test(line));
  return (
    <pre className="diff" data-testid="diff">
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
  );
}
