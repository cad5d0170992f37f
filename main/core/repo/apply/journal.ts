import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { NixstrapFailure } from '../../../../common/result';
import { processAlive } from '../../platform/process-alive';
import { recordedProcessAlive, thisProcess } from '../../platform/process-start';
import { createFileExclusively, removeFile } from '../fs/durable';
import { errnoOf, readFailure } from '../fs/errors';
import type { GitRepo } from '../git/repo';

/*
 * The journal of one apply, kept in the repo's git folder (never a tracked file) from before
 * the first object is written until the branch points at the new commit. Whoever finds it
 * next knows exactly what was under way and can finish or undo it. Creating it exclusively
 * is also the lock: one apply per repo at a time.
 */

const OwnerSchema = z.object({
  pid: z.number().int(),
  /** Linux's boot id and the process's start time: a pid reused later is not mistaken for the owner. */
  bootId: z.string().nullable(),
  startTicks: z.string().nullable(),
});
type Owner = z.infer<typeof OwnerSchema>;

const JournalFileSchema = z.object({
  /** Relative to the work tree, posix. */
  path: z.string(),
  /** Blob of the file before the apply; null when it did not exist. */
  old: z.string().nullable(),
  new: z.string(),
  mode: z.number().int(),
});
export type JournalFile = z.infer<typeof JournalFileSchema>;

export const JournalSchema = z.object({
  version: z.literal(1),
  owner: OwnerSchema,
  startedAt: z.string(),
  /** The branch the commit goes on (`refs/heads/main`), null for a detached HEAD. */
  ref: z.string().nullable(),
  before: z.string().nullable(),
  commit: z.string(),
  /** Every object the apply writes, so temp files of an interrupted write can be found. */
  objects: z.array(z.string()),
  backup: z.object({ ref: z.string(), commit: z.string() }).nullable(),
  files: z.array(JournalFileSchema),
});
export type Journal = z.infer<typeof JournalSchema>;

export function journalPath(repo: GitRepo): string {
  return join(repo.gitdir, 'nixstrap-journal');
}

export function currentOwner(): Owner {
  const me = thisProcess();
  return { pid: me.pid, bootId: me.boot, startTicks: me.started };
}

/** Whether the process that wrote a journal may still be running (this process counts). */
export function ownerAlive(owner: Owner): boolean {
  return recordedProcessAlive(
    { pid: owner.pid, boot: owner.bootId, started: owner.startTicks },
    processAlive,
  );
}

export function isOwnJournal(owner: Owner): boolean {
  const me = currentOwner();
  return owner.pid === me.pid && owner.startTicks === me.startTicks;
}

/** The journal found in the repo: null when none; `damaged` when it is there but unreadable. */
export async function readJournal(repo: GitRepo): Promise<Journal | 'damaged' | null> {
  let text: string;
  try {
    text = await readFile(journalPath(repo), 'utf8');
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return null;
    throw readFailure(journalPath(repo), error);
  }
  try {
    const parsed = JournalSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : 'damaged';
  } catch {
    return 'damaged';
  }
}

/** Starts a journal; refuses when another one is there (another apply is under way or was cut). */
export async function createJournal(repo: GitRepo, journal: Journal): Promise<void> {
  try {
    await createFileExclusively(journalPath(repo), `${JSON.stringify(journal)}\n`);
  } catch (error) {
    if (errnoOf(error) !== 'EEXIST') throw error;
    throw new NixstrapFailure(
      'REPO_BUSY',
      'Another Nixstrap is writing to this repo right now, so nothing was written.',
      'Wait for it to finish, then plan again: the new plan starts from what it wrote.',
    );
  }
}

export async function removeJournal(repo: GitRepo): Promise<void> {
  await removeFile(journalPath(repo));
}
