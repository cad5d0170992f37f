import { formatBytes } from './bytes';
import type { ClosureChanges } from './rebuild';

/**
 * What changes between two closures, in nvd's order: changed, added, removed, size. The CLI
 * prints it for diff and rollback, the rebuild shows it in its terminal before confirming.
 */
export function formatChanges(changes: ClosureChanges): string {
  const lines: string[] = [];
  for (const c of changes.changed) lines.push(`  ~ ${c.name}: ${c.from || '?'} → ${c.to || '?'}`);
  for (const a of changes.added) lines.push(`  + ${a.name}${a.version ? ` ${a.version}` : ''}`);
  for (const r of changes.removed) lines.push(`  - ${r.name}${r.version ? ` ${r.version}` : ''}`);
  if (!lines.length) lines.push('  no package changes');
  lines.push(`Closure: ${formatSizeChange(changes)}`);
  return lines.join('\n');
}

/**
 * The closure size before and after, in the same words in the terminal and on the wizard's
 * screen; true both before the switch and after it, on the card of what changed.
 */
export function formatSizeChange(changes: ClosureChanges): string {
  const after = formatBytes(changes.sizeAfter);
  if (changes.sizeBefore === null) return `${after} in all (no earlier system to compare with)`;
  const delta = changes.sizeAfter - changes.sizeBefore;
  const sign = delta > 0 ? '+' : delta < 0 ? '\u2212' : '\u00b1';
  return `${formatBytes(changes.sizeBefore)} \u2192 ${after} (${sign}${formatBytes(Math.abs(delta))})`;
}
