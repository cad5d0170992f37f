import { forwardRef, type ReactNode } from 'react';
import type { ClosureChanges } from '../../common';
import { formatSizeChange } from '../../common/changes-text';
import { type PackageChangeKind, packageLines } from '../package-changes';
import { AnswerButtons } from './AnswerButtons';

interface ChangesSummaryProps {
  title: string;
  changes: ClosureChanges | null;
  /** The run's question and how to answer it; absent when the run asks nothing (a build). */
  ask?: {
    question: string;
    confirmLabel: string;
    busy: boolean;
    onAnswer: (proceed: boolean) => void;
    /** A choice to make with the answer, shown between the question and its buttons. */
    choice?: ReactNode;
  };
}

const LIST_LIMIT = 40;

const GROUPS: { kind: PackageChangeKind; title: string }[] = [
  { kind: 'added', title: 'Added' },
  { kind: 'removed', title: 'Removed' },
  { kind: 'changed', title: 'Changed' },
];

function PackageList({ title, items, testId }: { title: string; items: string[]; testId: string }) {
  if (items.length === 0) return null;
  return (
    <div className="changes-group">
      <h3>
        {title} <span className="muted">({items.length})</span>
      </h3>
      <ul className="changes-list" data-testid={testId}>
        {items.slice(0, LIST_LIMIT).map((item) => (
          <li key={item}>
            <code>{item}</code>
          </li>
        ))}
        {items.length > LIST_LIMIT && (
          <li className="muted">and {items.length - LIST_LIMIT} more</li>
        )}
      </ul>
    </div>
  );
}

/** What the new system adds, removes and upgrades: before the go-ahead, and after the run. */
export const ChangesSummary = forwardRef<HTMLHeadingElement, ChangesSummaryProps>(
  function ChangesSummary({ title, changes, ask }, heading) {
    const lines = changes ? packageLines(changes) : null;
    const none = lines !== null && GROUPS.every(({ kind }) => lines[kind].length === 0);
    return (
      <section
        className={`card changes${ask ? ' changes-asking' : ''}`}
        aria-labelledby="changes-title"
        data-testid="changes"
      >
        <h2 id="changes-title" ref={heading} tabIndex={-1}>
          {title}
        </h2>
        {changes && lines ? (
          <>
            <p data-testid="changes-size">Closure size: {formatSizeChange(changes)}</p>
            {none && <p>No package is added, removed or changed.</p>}
            {GROUPS.map(({ kind, title }) => (
              <PackageList
                key={kind}
                title={title}
                items={lines[kind].map((line) => `${line.name} ${line.version}`.trim())}
                testId={`changes-${kind}`}
              />
            ))}
          </>
        ) : (
          <p className="muted" data-testid="changes-unknown">
            Nixstrap could not work out which packages change for this run. The new system is built
            and checked; the terminal shows what was built.
          </p>
        )}
        {ask && (
          <>
            <p className="changes-question">{ask.question}</p>
            {ask.choice}
            <AnswerButtons
              declineLabel="Don’t apply it"
              confirmLabel={ask.confirmLabel}
              busy={ask.busy}
              onAnswer={ask.onAnswer}
              declineTestId="decline"
              confirmTestId="confirm"
            />
          </>
        )}
      </section>
    );
  },
);
