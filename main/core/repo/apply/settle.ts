import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { NixstrapFailure } from '../../../../common/result';
import { removeFile, removeFolderIfEmpty, removeTempFiles, writeFileDurably } from '../fs/durable';
import { errnoOf } from '../fs/errors';
import { blobId, removeObjectTemps } from '../git/objects';
import {
  deleteRef,
  findWorkTree,
  type GitRepo,
  openRepo,
  readBlobContent,
  readHead,
  readRef,
  stagePaths,
  unstagePaths,
  updateRef,
} from '../git/repo';
import {
  isOwnJournal,
  type Journal,
  journalPath,
  ownerAlive,
  readJournal,
  removeJournal,
} from './journal';

/*
 * Settling an apply that did not end: after a crash, the next plan or apply of the repo finds
 * its journal and either finishes it (the branch already points at the new commit) or undoes
 * it (it does not), so the repo ends with the old commit and old files or the new commit and
 * new files, and nothing of Nixstrap's lying about. Not at start: only the journal, in the
 * repo's own git folder, knows the write was cut, and nothing records which repos to look
 * in; a look at the repo (the folder check, `check`, `hosts`) tells, as it writes nothing.
 */

/** The blob id of a work-tree file as it is now, null when absent. */
async function diskBlob(repo: GitRepo, path: string): Promise<string | null> {
  try {
    return blobId(await readFile(join(repo.root, path)));
  } catch (error) {
    if (errnoOf(error) === 'ENOENT' || errnoOf(error) === 'ENOTDIR') return null;
    throw error;
  }
}

/** Removes lock files an interrupted apply held, only those made after it started. */
async function removeOwnLocks(repo: GitRepo, journal: Journal): Promise<void> {
  const refs = [journal.ref ?? 'HEAD', ...(journal.backup ? [journal.backup.ref] : [])];
  const locks = [
    join(repo.gitdir, 'index.lock'),
    ...refs.map((r) => join(repo.gitdir, `${r}.lock`)),
  ];
  const started = Date.parse(journal.startedAt);
  for (const lock of locks) {
    const made = await stat(lock).then(
      (s) => s.mtimeMs,
      () => null,
    );
    if (made !== null && made >= started - 1000) await removeFile(lock);
  }
}

async function removeLeftovers(repo: GitRepo, journal: Journal): Promise<void> {
  for (const dir of new Set(journal.files.map((f) => dirname(join(repo.root, f.path))))) {
    await removeTempFiles(dir);
  }
  await removeObjectTemps(repo.gitdir, journal.objects);
  await removeOwnLocks(repo, journal);
}

/** Removes `dir` and its parents up to `root` while they are empty: folders the apply made. */
async function removeEmptyFolders(root: string, dir: string): Promise<void> {
  for (let current = dir; current.startsWith(`${root}/`); current = dirname(current)) {
    if (!(await removeFolderIfEmpty(current))) return;
  }
}

/** Puts back every file the apply changed, the index entries and the backup ref it added. */
export async function undoApply(repo: GitRepo, journal: Journal): Promise<void> {
  await removeLeftovers(repo, journal);
  for (const f of journal.files) {
    const file = join(repo.root, f.path);
    if (f.old !== f.new && (await diskBlob(repo, f.path)) === f.new) {
      if (f.old === null) await removeFile(file);
      else await writeFileDurably(file, await readBlobContent(repo, f.old));
    }
    if (f.old === null) await removeEmptyFolders(repo.root, dirname(file));
  }
  const hasIndex = await stat(join(repo.gitdir, 'index')).then(
    () => true,
    () => false,
  );
  if (hasIndex)
    await unstagePaths(
      repo,
      journal.files.map((f) => f.path),
      journal.before,
    );
  if (journal.backup && (await readRef(repo, journal.backup.ref)) === journal.backup.commit) {
    await deleteRef(repo, journal.backup.ref);
  }
  await removeJournal(repo);
}

/** Completes an apply whose commit the branch already points at: files, index, backup ref. */
async function finishApply(repo: GitRepo, journal: Journal): Promise<void> {
  await removeLeftovers(repo, journal);
  for (const f of journal.files) {
    const now = await diskBlob(repo, f.path);
    if (now === f.new || now !== f.old) continue;
    await writeFileDurably(join(repo.root, f.path), await readBlobContent(repo, f.new));
  }
  await stagePaths(
    repo,
    journal.files.map((f) => f.path),
  );
  if (journal.backup && (await readRef(repo, journal.backup.ref)) === null) {
    await updateRef(repo, journal.backup.ref, journal.backup.commit, null);
  }
  await removeJournal(repo);
}

function when(journal: Journal): string {
  return new Date(journal.startedAt).toLocaleString('en-GB', { hour12: false });
}

/**
 * What a write of the repo holding `folder` that has not ended means for the user, read
 * without settling it (a look writes nothing): a sentence, the journal that records it and
 * the process still writing it, if any; null when there is none.
 */
export async function unfinishedWrite(
  folder: string,
): Promise<{ message: string; journal: string; writer: number | null } | null> {
  const root = await findWorkTree(folder);
  if (root === null) return null;
  const repo = await openRepo(root);
  const journal = await readJournal(repo);
  if (journal === null) return null;
  const at = (message: string, writer: number | null = null) => ({
    message,
    journal: journalPath(repo),
    writer,
  });
  if (journal === 'damaged') {
    return at(
      'Nixstrap found an unreadable record of an earlier write to this repo; the next plan of it removes the record, and `git status` shows whether anything was left over.',
    );
  }
  if (ownerAlive(journal.owner)) {
    return at(
      `Another Nixstrap (process ${journal.owner.pid}) is writing to this repo right now, so its files may be part old, part new until it ends.`,
      journal.owner.pid,
    );
  }
  return at(
    `A write by Nixstrap to this repo was interrupted at ${when(journal)}, so its files may be part old, part new; the next plan of this repo (in the app, or \`nixstrap plan\`) finishes or undoes it.`,
  );
}

/**
 * Settles an interrupted apply of the repo holding `folder`, if there is one, and says what
 * was done in a sentence for the plan; null when there was nothing to settle. Refuses while
 * another live process is applying.
 */
export async function settleInterruptedApply(folder: string): Promise<string | null> {
  const root = await findWorkTree(folder);
  if (root === null) {
    // A first setup cut while making its repository leaves only a temp `.git` here.
    await removeTempFiles(folder);
    return null;
  }
  const repo = await openRepo(root);
  const journal = await readJournal(repo);
  if (journal !== null && journal !== 'damaged' && ownerAlive(journal.owner)) {
    if (!isOwnJournal(journal.owner)) {
      throw new NixstrapFailure(
        'REPO_BUSY',
        `Another Nixstrap (process ${journal.owner.pid}) is writing to this repo right now, so nothing was written.`,
        'Wait for it to finish, then plan again: the new plan starts from what it wrote.',
      );
    }
  }
  await removeTempFiles(root);
  await removeTempFiles(repo.gitdir);
  if (journal === null) return null;
  if (journal === 'damaged') {
    await removeJournal(repo);
    return 'Nixstrap found an unreadable record of an earlier write in this repo and removed it; `git status` shows whether anything was left over.';
  }
  const now = journal.ref === null ? (await readHead(repo)).oid : await readRef(repo, journal.ref);
  const short = (oid: string | null) =>
    oid === null ? 'no commit yet' : `commit ${oid.slice(0, 12)}`;
  if (now === journal.commit) {
    await finishApply(repo, journal);
    return `A write interrupted at ${when(journal)} was finished: the repo is at ${short(journal.commit)}.`;
  }
  if (now === journal.before) {
    await undoApply(repo, journal);
    return `A write interrupted at ${when(journal)} was undone: the repo is back as it was (${short(journal.before)}).`;
  }
  await removeLeftovers(repo, journal);
  await removeJournal(repo);
  return `A write interrupted at ${when(journal)} was left as it is, because the branch has moved since; \`git status\` shows what it changed.`;
}
