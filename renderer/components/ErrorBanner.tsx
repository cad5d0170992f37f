import type { ReactNode } from 'react';
import type { NixstrapError } from '../../common';
import { Banner } from './Banner';
import { Sentence } from './Sentence';

interface ErrorBannerProps {
  error: NixstrapError;
  onRetry?: () => void;
  /** Ways on that the error itself offers, under its hint. */
  children?: ReactNode;
}

/**
 * Every failed call ends here, in view and focused: the sentence and the hint first, the code
 * (for bug reports and searches) behind a disclosure.
 */
export function ErrorBanner({ error, onRetry, children }: ErrorBannerProps) {
  return (
    <Banner
      tone="error"
      role="alert"
      title={<Sentence text={error.message} />}
      focusKey={error}
      testId="error-banner"
      action={
        onRetry && (
          <button type="button" className="button button-secondary" onClick={onRetry}>
            Try again
          </button>
        )
      }
    >
      {error.hint && (
        <p className="banner-hint">
          <Sentence text={error.hint} />
        </p>
      )}
      {children}
      <details className="banner-details">
        <summary>Details</summary>
        <p>
          Error code <code data-testid="error-code">{error.code}</code>
        </p>
      </details>
    </Banner>
  );
}
