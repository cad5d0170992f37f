import type { AutoRevert, RollbackPlan } from '../../common';
import { rollbackVerb, rollbackWhen } from '../../common/rollback-verb';

/**
 * What a rollback does, in the words its dialog asks it and its run is headed with:
 * "Roll back to generation 3". A try names its limit: that is what makes it the safe one.
 */
export function rollbackWords(plan: Pick<RollbackPlan, 'action' | 'from' | 'to'>): string {
  const verb = rollbackVerb(plan.action, plan.to.number, plan.from?.number ?? null);
  const limit = plan.action === 'test' ? ` ${rollbackWhen('test')}` : '';
  return `${verb} generation ${plan.to.number}${limit}`;
}

/** The heading of the run that went back by itself from a trial nobody kept. */
export function revertWords(reverted: Pick<AutoRevert, 'revertTo'>): string {
  return `Back to generation ${reverted.revertTo}`;
}
