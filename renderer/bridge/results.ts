import type { Result } from '../../common';

export function connectionLost(): Result<never> {
  return {
    ok: false,
    error: {
      code: 'INTERNAL',
      message: 'The connection to Nixstrap was lost before it answered.',
      hint: 'Check that `nixstrap serve` is still running; this page reconnects by itself. Then try again.',
    },
  };
}

/** What a call the page itself cancelled resolves to: nothing is waiting for it any more. */
export function cancelled(): Result<never> {
  return {
    ok: false,
    error: {
      code: 'CANCELLED',
      message: 'The request was cancelled before it finished.',
      hint: 'Nothing more was done for it; ask again when you need the answer.',
    },
  };
}
