import type { Result } from '../../common';
import type { ConnectionState } from '../../common/bridge';

/** A call that could change something, lost with the connection: it may or may not have happened. */
export function lostWhileChanging(channel: string): Result<never> {
  return {
    ok: false,
    error: {
      code: 'CONNECTION_LOST',
      message: 'The connection to Nixstrap broke before it said whether this step finished.',
      hint:
        channel === 'plan.apply'
          ? 'When Nixstrap is reachable again, show the plan again: it tells what was written.'
          : 'When Nixstrap is reachable again, check the result before you try again.',
    },
  };
}

/** No answer within the call's time: still working (online), or out of reach. */
export function timedOut(seconds: number, state: ConnectionState): Result<never> {
  return {
    ok: false,
    error:
      state === 'online'
        ? {
            code: 'TIMED_OUT',
            message: `Nixstrap did not answer within ${seconds} seconds.`,
            hint: 'It may still be working. Try again in a moment.',
          }
        : {
            code: 'CONNECTION_LOST',
            message: `Nixstrap could not be reached for ${seconds} seconds.`,
            hint: 'Check that the terminal running nixstrap serve is still open, then try again.',
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
