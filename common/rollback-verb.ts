import type { RollbackAction } from './generations';

/**
 * How a move to another generation is offered and asked about. Going to a newer generation
 * than the one in use (after a rollback) is no roll back, so it is a switch; from the next
 * boot on, it is a Boot into whichever way it goes, and until the next boot, a Try.
 */
export function rollbackVerb(action: RollbackAction, to: number, from: number | null): string {
  if (action === 'boot') return 'Boot into';
  if (action === 'test') return 'Try';
  return from !== null && to > from ? 'Switch to' : 'Roll back to';
}

/** When a rollback takes effect, in the words of its question and its result. */
export function rollbackWhen(action: RollbackAction): string {
  if (action === 'boot') return 'from the next boot on';
  if (action === 'test') return 'until the next reboot';
  return 'now';
}
