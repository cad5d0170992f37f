import type { Explanation, NixstrapError } from '../../../common';
import { NixstrapFailure } from '../../../common';
import type { RunOutcome } from './types';

/** A run body's exception as the error the ledger keeps. */
export function failureOf(error: unknown): NixstrapError {
  if (error instanceof NixstrapFailure) return error.error;
  return {
    code: 'INTERNAL',
    message: `Nixstrap hit an unexpected problem during the run: ${error instanceof Error ? error.message : String(error)}`,
    hint: 'Please report it with `nixstrap log RUN` attached.',
  };
}

export function cancelledExplanation(): Explanation {
  return {
    kind: 'cancelled',
    message: 'The run was cancelled.',
    hint: 'Nothing was changed unless activation had started; start it again when ready.',
  };
}

/** What the ledger's error column says about a run that did not succeed. */
export function ledgerError(status: RunOutcome['status'], explanation: Explanation | null) {
  if (!explanation || status === 'succeeded') return null;
  return {
    code: status === 'cancelled' ? ('CANCELLED' as const) : ('REBUILD_FAILED' as const),
    message: explanation.message,
    hint: explanation.hint,
  };
}
