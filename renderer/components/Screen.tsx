import { type ReactNode, useEffect, useRef } from 'react';

interface ScreenProps {
  title: ReactNode;
  /** The lines under the title. */
  intro?: ReactNode;
  testId?: string;
  children: ReactNode;
}

/** One step of the wizard. Its heading takes the keyboard when it opens, so reading starts there. */
export function Screen({ title, intro, testId, children }: ScreenProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section className="screen" aria-labelledby="screen-title" data-testid={testId}>
      <div className="screen-intro">
        <h1 id="screen-title" ref={heading} tabIndex={-1}>
          {title}
        </h1>
        {intro}
      </div>
      {children}
    </section>
  );
}
