/**
 * How a move to another generation is offered and asked about. Going to a newer generation
 * than the one in use (after a rollback) is no roll back, so it is a switch; from the next
 * boot on, it is a Boot into whichever way it goes.
 */
export function rollbackVerb(action: 'switch' | 'boot', to: number, from: number | null): string {
  if (action === 'boot') return 'Boot into';
  return from !== null && to > from ? 'Switch to' : 'Roll back to';
}
