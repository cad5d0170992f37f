import type { AutoRevert, Phase, PhaseStatus, RebuildAction, RunEvent } from '../common';

type ResultEvent = Extract<RunEvent, { type: 'result' }>;

/** The action picker's choices, in the order a user meets them; switch is the default. */
export const ACTIONS: { id: RebuildAction; title: string; text: string; start: string }[] = [
  {
    id: 'switch',
    title: 'Switch',
    text: 'Build, then run the new configuration now and boot into it from now on.',
    start: 'Build and switch',
  },
  {
    id: 'boot',
    title: 'Boot',
    text: 'Build and make it the boot default; this session keeps running as it is.',
    start: 'Build for the next boot',
  },
  {
    id: 'test',
    title: 'Test',
    text: 'Build and run it now, without making it the boot default: a reboot undoes it.',
    start: 'Build and test',
  },
  {
    id: 'build',
    title: 'Build only',
    text: 'Build the system and show what would change; nothing on this machine changes.',
    start: 'Build only',
  },
  {
    id: 'dry-build',
    title: 'Dry build',
    text: 'List what would be built and downloaded, without building anything.',
    start: 'Dry build',
  },
];

export const PHASE_TITLES: Record<Phase, string> = {
  build: 'Build',
  validate: 'Check the result',
  changes: 'What will change',
  confirm: 'Your go-ahead',
  'set-profile': 'New generation',
  activate: 'Activate',
  'delete-links': 'Delete links',
  'boot-menu': 'Boot menu',
};

/** Where a phase stands on screen: the engine's status, one not reached yet, or one the user stopped. */
export type PhaseState = PhaseStatus | 'todo' | 'stopped';

/**
 * Where a phase stands once the run's result is known: a cancel ends the phase under way (the
 * user stopped it, it did not fail), and so does a run that died with it (interrupted).
 */
export function phaseState(
  status: PhaseStatus | null | undefined,
  result: ResultEvent | null,
): PhaseState {
  if (result && status === 'started') return 'stopped';
  if (result?.status === 'cancelled' && status === 'failed') return 'stopped';
  return status ?? 'todo';
}

/** Where a phase stands, in words: beside the progress marks and on a rollback's run. */
export const PHASE_STATE_WORDS: Record<PhaseState, string> = {
  started: 'in progress',
  succeeded: 'done',
  failed: 'failed',
  stopped: 'stopped',
  skipped: 'skipped',
  todo: 'to come',
};

/** The label of the button that answers the run's question with yes. */
export const CONFIRM_LABEL: Record<RebuildAction, string> = {
  switch: 'Switch to it now',
  boot: 'Make it the boot default',
  test: 'Test it now',
  build: 'Continue',
  'dry-build': 'Continue',
};

export function formatElapsed(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const minutes = Math.floor(seconds / 60);
  const rest = String(seconds % 60).padStart(2, '0');
  return minutes >= 60
    ? `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}:${rest}`
    : `${minutes}:${rest}`;
}

/** The derivation's name without its store hash and `.drv`: what a person calls it. */
export function derivationName(drv: string): string {
  const base = drv.split('/').pop() ?? drv;
  return base.replace(/^[0-9a-z]{32}-/, '').replace(/\.drv$/, '');
}

/** Who went back after a trial nobody answered: Nixstrap, or the keep guard when Nixstrap could not. */
export function whoWentBack(reverted: AutoRevert): string {
  return reverted.byGuard ? 'its keep guard' : 'Nixstrap';
}

/** A trial nobody kept, told in one sentence wherever it is told. */
export function notKeptSentence(reverted: AutoRevert): string {
  return `Generation ${reverted.generation} was not kept in time, so ${whoWentBack(reverted)} went back to generation ${reverted.revertTo}`;
}

/** A switch nobody kept: the engine went back, so the machine no longer runs what was built. */
export function revertedTitle(reverted: AutoRevert): string {
  return `Generation ${reverted.generation} was built and switched to, then ${whoWentBack(reverted)} went back to generation ${reverted.revertTo} because it was not kept.`;
}

const APPLIED: readonly RebuildAction[] = ['switch', 'boot', 'test'];

/**
 * The heading over the package changes once the run is over. A run that set the profile and then
 * failed or was stopped in activation did change the boot default: "would" would deny that.
 */
export function changesTitle(
  action: RebuildAction,
  result: ResultEvent,
  reverted: AutoRevert | null,
): string {
  if (reverted) return `What generation ${reverted.generation} changed, until it was undone`;
  if (result.status === 'succeeded' && APPLIED.includes(action)) return 'What changed';
  if (result.generation !== null && result.status !== 'succeeded') {
    return `What generation ${result.generation} changes`;
  }
  return 'What would change';
}

/** A run that failed, named for what it was doing, in nixos-rebuild's verbs. */
const FAILED: Record<RebuildAction, string> = {
  switch: 'Build and switch did not finish.',
  boot: 'Build for the next boot did not finish.',
  test: 'Build and test did not finish.',
  build: 'The build did not finish.',
  'dry-build': 'The dry build did not finish.',
};

/** The headline of the final screen: what happened to this machine, in words. */
export function outcomeTitle(action: RebuildAction, result: ResultEvent): string {
  if (result.status === 'cancelled') {
    // A cancel that reached the profile or activation may have left the machine half-switched.
    return result.explanation?.kind === 'cancelled-activation'
      ? 'Stopped during activation: this machine may be partly changed.'
      : 'Stopped: this machine was not changed.';
  }
  if (result.status === 'interrupted') return 'The run was interrupted before it finished.';
  if (result.status === 'failed') return FAILED[action];
  const generation = result.generation === null ? '' : ` generation ${result.generation}`;
  switch (action) {
    case 'switch':
      return `This machine now runs the new configuration${generation ? `, as${generation}` : ''}.`;
    case 'boot':
      return `The new configuration${generation ? `,${generation},` : ''} starts at the next boot.`;
    case 'test':
      return 'This machine runs the new configuration until the next reboot.';
    case 'build':
      return 'The new configuration is built; nothing on this machine changed.';
    case 'dry-build':
      return 'Dry build done: nothing was built and nothing changed.';
  }
}
