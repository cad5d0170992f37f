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
  const delta = changes.sizeBefore === null ? null : changes.sizeAfter - changes.sizeBefore;
  lines.push(
    `Closure: ${formatBytes(changes.sizeBefore)} → ${formatBytes(changes.sizeAfter)}${delta === null ? '' : ` (${delta >= 0 ? '+' : '-'}${formatBytes(Math.abs(delta))})`}`,
  );
  return lines.join('\n');
}
