import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import Database from 'better-sqlite3';
import { NixstrapFailure } from '../../../common/failure';
import { makeDirsSync } from '../platform';
import { MIGRATIONS } from './migrations';
import { movedAsideName } from './moved-aside';
import { tellLater } from './notices';

export const LEDGER_FILE = 'ledger.sqlite';

/** The open ledger: one SQLite file in the data dir, shared by runs and generations. */
export interface Ledger {
  readonly db: Database.Database;
  readonly file: string;
  close(): void;
}

const DAMAGED = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT', 'SQLITE_CORRUPT_VTAB']);

function isDamage(error: unknown): boolean {
  return DAMAGED.has((error as { code?: string }).code ?? '');
}

/** Where the file's state after the last clean close is kept: the one state known to be sound. */
const checkedStamp = (file: string) => `${file}.checked`;

/** Size and mtime of the ledger and its WAL: any change made outside a clean close shows here. */
function fileStamp(file: string): string {
  return ['', '-wal']
    .map((suffix) => {
      try {
        const stat = fs.statSync(file + suffix, { bigint: true });
        return `${stat.size}:${stat.mtimeNs}`;
      } catch {
        return '-';
      }
    })
    .join(' ');
}

/**
 * quick_check reads the whole file, which grows with the ledger; it is skipped when the file
 * is exactly as this or another Nixstrap left it after a clean close.
 */
function knownSound(file: string): boolean {
  try {
    return fs.readFileSync(checkedStamp(file), 'utf8') === fileStamp(file);
  } catch {
    return false;
  }
}

function closeCleanly(db: Database.Database, file: string): void {
  db.close();
  try {
    fs.writeFileSync(checkedStamp(file), fileStamp(file));
  } catch {
    // Without the stamp the next open checks the file again; nothing else depends on it.
  }
}

/**
 * The addon's own path, handed to better-sqlite3: left to find it, it asks the `bindings`
 * package, which probes a dozen folders and costs every CLI verb that opens the ledger about
 * 9 ms. Where the path cannot be resolved (an unusual install), its own lookup still runs.
 */
function nativeBinding(): string | undefined {
  try {
    return createRequire(import.meta.url).resolve(
      'better-sqlite3/build/Release/better_sqlite3.node',
    );
  } catch {
    return undefined;
  }
}

function connect(file: string): Database.Database {
  // Judged before opening: reading a WAL-mode file creates its `-wal`, which changes the stamp.
  const sound = knownSound(file);
  const db = new Database(file, { timeout: 5_000, nativeBinding: nativeBinding() });
  try {
    // Read before writing anything: a newer schema is refused with its file byte for byte
    // as it was, and a damaged one fails here rather than halfway through a change.
    refuseNewer(db, file);
    const check = sound ? 'ok' : db.pragma('quick_check', { simple: true });
    if (check !== 'ok') {
      throw Object.assign(new Error(String(check)), { code: 'SQLITE_CORRUPT' });
    }
    // WAL lets the UI read while a run writes; a busy timeout rides out the other process's
    // short write transactions instead of failing with SQLITE_BUSY.
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('synchronous = NORMAL');
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function refuseNewer(db: Database.Database, file: string): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > MIGRATIONS.length) {
    throw new NixstrapFailure(
      'LEDGER_TOO_NEW',
      `The ledger ${file} was written by a newer Nixstrap (schema ${version}; this one knows ${MIGRATIONS.length}).`,
      'Update Nixstrap, or use another data folder; the file was left untouched.',
    );
  }
}

/**
 * Foreign keys are off while migrating, as SQLite's procedure for remaking a table says (a
 * CHECK cannot be altered in place, and dropping the old table would cascade to its children
 * with them on); each migration must still leave every reference sound before it commits.
 */
function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version >= MIGRATIONS.length) return;
  db.pragma('foreign_keys = OFF');
  try {
    for (let next = version; next < MIGRATIONS.length; next++) {
      db.transaction(() => {
        db.exec(MIGRATIONS[next] as string);
        const broken = db.pragma('foreign_key_check') as unknown[];
        if (broken.length > 0)
          throw new Error(`migration ${next + 1} broke ${broken.length} reference(s)`);
        db.pragma(`user_version = ${next + 1}`);
      })();
    }
  } finally {
    db.pragma('foreign_keys = ON');
  }
}

/** Moves a damaged ledger and its WAL aside, keeping it for a bug report instead of deleting it. */
function moveAside(file: string): string {
  const aside = movedAsideName(file, new Date());
  fs.renameSync(file, aside);
  for (const suffix of ['-wal', '-shm']) {
    if (fs.existsSync(file + suffix)) fs.renameSync(file + suffix, aside + suffix);
  }
  return aside;
}

/** Creates the data folder (and its parents), or says in a sentence why it cannot be one. */
export function makeDataDir(dataDir: string): void {
  try {
    makeDirsSync(dataDir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'EEXIST' || code === 'ENOTDIR'
        ? 'a file stands where it or one of its parent folders should be'
        : `the system refused (${code ?? 'unknown error'})`;
    throw new NixstrapFailure(
      'LEDGER_FAILED',
      `The data folder ${dataDir} cannot be created: ${reason}.`,
      'Use a data folder you can write to.',
    );
  }
}

/**
 * Refuses a ledger file that cannot be written (read-only, immutable, on a read-only file
 * system): SQLite would open it read-only without a word, and the first run, rollback or
 * reconcile would fail on its first record with SQLite's own words.
 */
function refuseReadOnly(file: string): void {
  try {
    fs.accessSync(file, fs.constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    throw new NixstrapFailure(
      'LEDGER_FAILED',
      `The ledger ${file} cannot be written (${code}), and Nixstrap records every run and generation in it, so it changed nothing.`,
      'Make the file writable again (chmod u+w, or chattr -i where it was made immutable), or use another data folder.',
    );
  }
}

/**
 * Opens (creating and migrating as needed) the ledger in `dataDir`. A damaged file is moved
 * aside with a notice and a fresh one is created: generations come back from the profiles on
 * the next reconcile, so nothing the machine itself knows is lost.
 */
export function openLedger(dataDir: string): Ledger {
  makeDataDir(dataDir);
  const file = path.join(dataDir, LEDGER_FILE);
  refuseReadOnly(file);
  let db: Database.Database;
  try {
    db = connect(file);
  } catch (error) {
    if (error instanceof NixstrapFailure) throw error;
    if (!isDamage(error)) throw unreadable(file, error);
    const aside = moveAside(file);
    tellLater(
      dataDir,
      `The ledger was damaged and has been moved to ${aside}; a new one was started: generations are read again from the profiles, and the runs recorded before are in the moved file (their logs are under ${path.join(dataDir, 'runs')}, and \`nixstrap log RUN\` still shows them).`,
    );
    db = connect(file);
  }
  migrate(db);
  return { db, file, close: () => closeCleanly(db, file) };
}

function unreadable(file: string, error: unknown): NixstrapFailure {
  if (fs.statSync(file, { throwIfNoEntry: false })?.isDirectory()) {
    return new NixstrapFailure(
      'LEDGER_FAILED',
      `The ledger ${file} is a folder, not a database file, so Nixstrap cannot open it.`,
      'Move that folder away (Nixstrap never makes one there), or use another data folder.',
    );
  }
  const reason = (error as { code?: string }).code ?? (error as Error).message;
  return new NixstrapFailure(
    'LEDGER_FAILED',
    `The ledger ${file} cannot be opened (${reason}).`,
    'Check that the data folder is yours and writable, or use another data folder.',
  );
}
