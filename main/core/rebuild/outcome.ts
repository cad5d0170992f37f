import type { Explanation, NixstrapError } from '../../../common';
import { NixstrapFailure } from '../../../common/failure';
import type { RunSummary } from '../../../common/rebuild';
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
  /** Whether activation had started; unknown (a run found interrupted) counts as started. */
  activated?: boolean;
}

/**
 * What a run stopped in the middle of changing the machine left behind: the profile may point
 * at the new system and activation may have stopped halfway, which the user must be told rather
 * than "nothing changed".
 */
function halfChanged({
  action,
  generation,
  activated = true,
}: CancelledWhileChanging): [state: string, hint: string] {
  const system = generation === null ? 'the new configuration' : `generation ${generation}`;
  if (!activated && action === 'boot') {
    return [
      `${system} is the profile's newest generation, but the boot menu was not updated yet`,
      'Run it again to finish, or roll back to the generation before it.',
    ];
  }
  if (!activated) {
    return [
      `${system} is the boot default, but it was not activated: this machine runs what it ran before`,
      'Run it again to switch to it now, or roll back to the generation before it to leave the boot default as it was.',
    ];
  }
  if (action === 'test') {
    return [
      'this machine may be running only part of the new configuration',
      'Run it again to finish, or reboot to go back to the boot default.',
    ];
  }
  if (action === 'boot') {
    return [
      `${system} may not be in the boot menu yet`,
      'Run it again to finish, or roll back to the generation before it.',
    ];
  }
  return [
    `${system} ${generation === null ? 'may already be' : 'is'} the boot default, and this machine may be running only part of it`,
    'Run it again to finish switching, or roll back to the generation before it.',
  ];
}

/** What a cancel left: before the profile is set and activation starts, nothing changed. */
export function cancelledExplanation(changing: CancelledWhileChanging | null): Explanation {
  if (!changing) {
    return {
      kind: 'cancelled',
      message: 'The run was cancelled before it changed anything on this machine.',
      hint: 'Start it again when ready.',
    };
  }
  const [state, hint] = halfChanged(changing);
  return {
    kind: 'cancelled-activation',
    message: `The run was cancelled ${changing.activated === false ? 'after setting the profile' : 'during activation'}: ${state}.`,
    hint,
  };
}

/**
 * Why a run has no result of its own: the process running it died before it could write one.
 * A run that had set the profile died in activation, and may have left the machine half switched.
 */
export function interruptedExplanation(changing: CancelledWhileChanging | null): Explanation {
  if (!changing) {
    return {
      kind: 'interrupted',
      message:
        'Nixstrap stopped before this run ended (it was killed, or the machine went down), so the run did not finish.',
      hint: 'The output below shows how far it got; start it again when ready.',
    };
  }
  const [state, hint] = halfChanged(changing);
  return {
    kind: 'interrupted-activation',
    message: `Nixstrap stopped during activation (it was killed, or the machine went down): ${state}.`,
    hint,
  };
}

/** Why a run the ledger marked interrupted ended: a generation recorded means it died in activation. */
export function interruptedRunExplanation(run: Pick<RunSummary, 'action' | 'generation'>) {
  return interruptedExplanation(
    run.generation === null ? null : { action: run.action, generation: run.generation },
  );
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
