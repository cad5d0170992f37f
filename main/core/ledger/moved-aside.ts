import fs from 'node:fs';
import path from 'node:path';

/** A damaged ledger moved aside: the file it is in now, and when it was moved (ISO time). */
export interface MovedAsideLedger {
  file: string;
  movedAt: string;
}

const MARK = '.damaged-';

/** The name a damaged `file` is moved to at `at`: the time stays readable in the name. */
export function movedAsideName(file: string, at: Date): string {
  return `${file}${MARK}${at.toISOString().replace(/[:.]/g, '-')}`;
}

const STAMP = /^(\d{4}-\d\d-\d\dT\d\d)-(\d\d)-(\d\d)-(\d{3}Z)$/;

/**
 * The damaged ledgers moved aside from `ledgerFile` by this start or an earlier one, newest
 * first, as their names record it: the data folder is all that remembers them.
 */
export function movedAsideLedgers(ledgerFile: string): MovedAsideLedger[] {
  const dataDir = path.dirname(ledgerFile);
  let names: string[];
  try {
    names = fs.readdirSync(dataDir);
  } catch {
    return [];
  }
  const prefix = `${path.basename(ledgerFile)}${MARK}`;
  return names
    .flatMap((name) => {
      const stamp = name.startsWith(prefix) ? STAMP.exec(name.slice(prefix.length)) : null;
      return stamp
        ? [
            {
              file: path.join(dataDir, name),
              movedAt: `${stamp[1]}:${stamp[2]}:${stamp[3]}.${stamp[4]}`,
            },
          ]
        : [];
    })
    .sort((a, b) => b.movedAt.localeCompare(a.movedAt));
}
