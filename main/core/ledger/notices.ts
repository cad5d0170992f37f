import path from 'node:path';

/**
 * Sentences the user should read once (that a damaged ledger was moved aside), by data folder,
 * until a shell shows them: whichever part of a verb opened the ledger first, the user hears it.
 * Kept apart from the database so a shell can take them without loading SQLite.
 */
const untold = new Map<string, string[]>();

export function tellLater(dataDir: string, notice: string): void {
  const key = path.resolve(dataDir);
  untold.set(key, [...(untold.get(key) ?? []), notice]);
}

/** Takes the notices not shown yet, of one data folder or of every folder this process opened. */
export function takeLedgerNotices(dataDir?: string): string[] {
  if (dataDir === undefined) {
    const all = [...untold.values()].flat();
    untold.clear();
    return all;
  }
  const key = path.resolve(dataDir);
  const notices = untold.get(key) ?? [];
  untold.delete(key);
  return notices;
}
