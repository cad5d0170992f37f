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

/** How far a cancelled run got into changing the machine: null before the profile or activation. */
export interface CancelledWhileChanging {
  action: string;
  /** The profile's generation the run set, when it got that far. */
  generation: number | null;
}

/**
 * What a cancel left behind. Before the profile is set and activation starts, nothing on the
 * machine changed; after, the profile may point at the new system and activation may have
 * stopped halfway, which the user must be told rather than "nothing changed".
 */
export function cancelledExplanation(changing: CancelledWhileChanging | null): Explanation {
  if (!changing) {
    return {
      kind: 'cancelled',
      message: 'The run was cancelled before it changed anything on this machine.',
      hint: 'Start it again when ready.',
    };
  }
  const system =
    changing.generation === null ? 'the new configuration' : `generation ${changing.generation}`;
  const [message, hint] =
    changing.action === 'test'
      ? [
          'The run was cancelled during activation, so this machine may be running only part of the new configuration.',
          'Run it again to finish, or reboot to go back to the boot default.',
        ]
      : changing.action === 'boot'
        ? [
            `The run was cancelled while making ${system} the boot default, so the boot menu may not list it yet.`,
            'Run it again to finish, or roll back to the generation before it.',
          ]
        : [
            `The run was cancelled during activation: ${system} ${changing.generation === null ? 'may already be' : 'is'} the boot default, and this machine may be running only part of it.`,
            'Run it again to finish switching, or roll back to the generation before it.',
          ];
  return { kind: 'cancelled-activation', message, hint };
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
