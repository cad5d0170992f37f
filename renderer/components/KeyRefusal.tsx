import { useEffect, useRef } from 'react';
import { KEY_SHAPE, printedLine, REFUSAL_WORDS, type RefusalKind } from '../../common/browser-key';

/**
 * The whole page when browser mode's key is missing or refused on arrival: what happened, and
 * where the right address comes from. The app draws it, since the server serves the app to
 * anyone and leaves the key to the page.
 */
export function KeyRefusal({ kind, address }: { kind: RefusalKind; address: string }) {
  const { title, text } = REFUSAL_WORDS[kind];
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Nixstrap`;
    heading.current?.focus();
  }, [title]);
  return (
    <main className="key-refusal card" data-refusal={kind}>
      <h1 ref={heading} tabIndex={-1}>
        {title}
      </h1>
      <p>
        {text.split(KEY_SHAPE).flatMap((part, index) =>
          index === 0
            ? [part]
            : [
                <code key={part} className="inline-code">
                  {KEY_SHAPE}
                </code>,
                part,
              ],
        )}
      </p>
      <p>
        Find the line that <code className="inline-code">nixstrap serve</code> printed in its
        terminal:
      </p>
      <pre>{printedLine(address)}</pre>
      <p>Copy that whole address, key included, into the address bar.</p>
      {kind === 'stale' && (
        <p>Open the new address in this tab: the answers you gave here are kept.</p>
      )}
      <p className="lead">
        Nixstrap not running any more? Start it again with{' '}
        <code className="inline-code">nixstrap serve</code>; it prints a new address.
      </p>
    </main>
  );
}
