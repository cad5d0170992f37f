import type { ClosureChanges } from '../../common';
import { formatSizeChange } from '../../common/changes-text';
import { type PackageChangeKind, packageLines } from '../package-changes';

/** nvd's order: what changes version first, then what arrives and what leaves. */
const GROUPS: { kind: PackageChangeKind; title: string; mark: string }[] = [
  { kind: 'changed', title: 'Version changes', mark: '' },
  { kind: 'added', title: 'Added', mark: '+ ' },
  { kind: 'removed', title: 'Removed', mark: '\u2212 ' },
];

/** Packages that change version, arrive and leave, and the closure size: what nvd shows. */
export function ClosureChangesView({ changes }: { changes: ClosureChanges }) {
  const lines = packageLines(changes);
  const none = GROUPS.every(({ kind }) => lines[kind].length === 0);
  return (
    <div className="closure-changes" data-testid="closure-changes">
      <p className="closure-size">
        Closure size: <strong>{formatSizeChange(changes)}</strong>
      </p>
      {none && <p className="muted">No package changes.</p>}
      {GROUPS.map(
        ({ kind, title, mark }) =>
          lines[kind].length > 0 && (
            <section key={kind}>
              <h4>
                {title} ({lines[kind].length})
              </h4>
              <ul className="package-list">
                {lines[kind].map((line) => (
                  <li key={line.name} className={`package-${kind}`}>
                    {mark}
                    <span className="package-name">{line.name}</span> {line.version}
                  </li>
                ))}
              </ul>
            </section>
          ),
      )}
    </div>
  );
}
