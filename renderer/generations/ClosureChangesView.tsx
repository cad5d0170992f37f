import type { ClosureChanges } from '../../common';
import { formatSizeChange } from '../../common/changes-text';

/** Packages that change version, arrive and leave, and the closure size: what nvd shows. */
export function ClosureChangesView({ changes }: { changes: ClosureChanges }) {
  const none = !changes.changed.length && !changes.added.length && !changes.removed.length;
  return (
    <div className="closure-changes" data-testid="closure-changes">
      <p className="closure-size">
        Closure size: <strong>{formatSizeChange(changes)}</strong>
      </p>
      {none && <p className="muted">No package changes.</p>}
      {changes.changed.length > 0 && (
        <section>
          <h4>Version changes ({changes.changed.length})</h4>
          <ul className="package-list">
            {changes.changed.map((c) => (
              <li key={c.name} className="package-changed">
                <span className="package-name">{c.name}</span> {c.from || '?'} → {c.to || '?'}
              </li>
            ))}
          </ul>
        </section>
      )}
      {changes.added.length > 0 && (
        <section>
          <h4>Added ({changes.added.length})</h4>
          <ul className="package-list">
            {changes.added.map((p) => (
              <li key={p.name} className="package-added">
                + <span className="package-name">{p.name}</span> {p.version}
              </li>
            ))}
          </ul>
        </section>
      )}
      {changes.removed.length > 0 && (
        <section>
          <h4>Removed ({changes.removed.length})</h4>
          <ul className="package-list">
            {changes.removed.map((p) => (
              <li key={p.name} className="package-removed">
                − <span className="package-name">{p.name}</span> {p.version}
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
