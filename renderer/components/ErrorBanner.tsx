import type { NixstrapError } from '../../common';
import { Sentence } from './Sentence';

interface ErrorBannerProps {
  error: NixstrapError;
  onRetry?: () => void;
}

/** Every failed call ends here: the sentence, the hint, and the code for bug reports. */
export function ErrorBanner({ error, onRetry }: ErrorBannerProps) {
  return (
    <div className="banner banner-error" role="alert" data-testid="error-banner">
      <div className="banner-body">
        <p className="banner-title">
          <Sentence text={error.message} />
        </p>
        {error.hint && (
          <p className="banner-hint">
            <Sentence text={error.hint} />
          </p>
        )}
        <p className="banner-code">
          <code>{error.code}</code>
        </p>
      </div>
      {onRetry && (
        <button type="button" className="button button-secondary" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
