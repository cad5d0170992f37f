import { dirname, join } from 'node:path';
import { NixstrapFailure } from '../../../../common/result';
import { makeDirsDurably, prepareReplacement, renamePath } from '../fs/durable';
import { writeFailure } from '../fs/errors';
import { assertInsideRepo } from '../fs/inside';
import { readText } from '../fs/read';
import {
  commitObject,
  type GitObject,
  gitObject,
  type Signature,
  writeObjects,
} from '../git/objects';
import {
  assertRepoAtRest,
  commitTree,
  type GitRepo,
  gitFailure,
  initRepo,
  readHead,
  readRef,
  stagePaths,
  updateRef,
} from '../git/repo';
import type { CommitTarget } from '../git/target';
import { buildTree, committedEntries } from '../git/tree';
import { createJournal, currentOwner, type Journal, removeJournal } from './journal';
import { undoApply } from './settle';

type FileWrite = { path: string; content: string };

/** What one apply commits: files (relative to the plan's folder) and the user's versions it saves first. */
export type CommitRequest = {
  target: CommitTarget;
  files: readonly FileWrite[];
  /** The commit message, told where the user's versions were saved (null when none were). */
  message: (backupRef: string | null) => string;
  author: Signature;
  /**
   * The user's versions of files about to be overwritten, committed first on a ref named
   * `<refBase>-<its commit>`, so two backups never share a name.
   */
  backup: { refBase: string; message: string; files: readonly FileWrite[] } | null;
};

export type Committed = { commit: string; backup: { ref: string; commit: string } | null };

/** Every object and the journal of an apply, computed in memory before anything is written. */
async function prepare(
  req: CommitRequest,
  repo: GitRepo,
): Promise<{ objects: GitObject[]; journal: Journal }> {
  const { head, prefix, root } = req.target;
  const gitPath = (path: string) => `${prefix}${path}`;
  const committed = await committedEntries(repo, head.oid, [
    ...req.files.map((f) => gitPath(f.path)),
    ...(req.backup?.files ?? []).map((f) => gitPath(f.path)),
  ]);
  const modeOf = (path: string) => committed.get(path)?.mode ?? '100644';
  const baseTree = head.oid === null ? null : await commitTree(repo, head.oid);
  const objects: GitObject[] = [];
  const files: Journal['files'] = [];
  for (const f of req.files) {
    const path = gitPath(f.path);
    const blob = gitObject('blob', f.content);
    const before = await readText(join(root, path));
    const old = before === null ? null : gitObject('blob', before);
    objects.push(blob, ...(old ? [old] : []));
    files.push({
      path,
      old: old?.oid ?? null,
      new: blob.oid,
      mode: Number.parseInt(modeOf(path), 8),
    });
  }
  let backup: Journal['backup'] = null;
  if (req.backup && req.backup.files.length > 0) {
    const saved = req.backup.files.map((f) => ({
      path: gitPath(f.path),
      blob: gitObject('blob', f.content),
    }));
    const tree = await buildTree(
      repo,
      baseTree,
      saved.map((s) => ({ path: s.path, oid: s.blob.oid, mode: modeOf(s.path) })),
    );
    const commit = commitObject({
      tree: tree.oid,
      parent: head.oid,
      author: req.author,
      message: req.backup.message,
    });
    objects.push(...saved.map((s) => s.blob), ...tree.objects, commit);
    backup = { ref: `${req.backup.refBase}-${commit.oid.slice(0, 12)}`, commit: commit.oid };
  }
  const tree = await buildTree(
    repo,
    baseTree,
    files.map((f) => ({ path: f.path, oid: f.new, mode: f.mode.toString(8) })),
  );
  const commit = commitObject({
    tree: tree.oid,
    parent: head.oid,
    author: req.author,
    message: req.message(backup?.ref ?? null),
  });
  objects.push(...tree.objects, commit);
  const journal: Journal = {
    version: 1,
    owner: currentOwner(),
    startedAt: new Date().toISOString(),
    ref: head.ref,
    before: head.oid,
    commit: commit.oid,
    objects: [...new Set(objects.map((o) => o.oid))],
    backup,
    files,
  };
  return { objects, journal };
}

/**
 * A failure of the write as a sentence: the engine's own failures pass, a system error is
 * named by its cause, anything else came from reading or writing git's data.
 */
function asFailure(error: unknown, root: string): NixstrapFailure {
  if (error instanceof NixstrapFailure) return error;
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return writeFailure('the repo', error);
  return gitFailure('commit', root, error);
}

/**
 * Holding the journal, refuses when another write committed or changed the files after they
 * were read for this one: writing on would put its files over the winner's, and undoing them
 * when the branch refused the commit would take the winner's files off the disk.
 */
async function assertNothingWrittenSince(repo: GitRepo, journal: Journal): Promise<void> {
  const now = journal.ref === null ? (await readHead(repo)).oid : await readRef(repo, journal.ref);
  let moved = now !== journal.before;
  for (const f of journal.files) {
    if (moved) break;
    const disk = await readText(join(repo.root, f.path));
    moved = (disk === null ? null : gitObject('blob', disk).oid) !== f.old;
  }
  if (!moved) return;
  await removeJournal(repo);
  throw new NixstrapFailure(
    'PLAN_CHANGED',
    'Another write to this repo happened first, so nothing was written.',
    'Plan again: the new plan starts from what that write left.',
  );
}

/**
 * Writes the files and commits them, all or nothing: every object first (read back and
 * checked), the journal, the files (all temp files before any rename), the index, then the
 * refs. A failure undoes what was done; a crash leaves the journal for the next start.
 */
export async function writeAndCommit(req: CommitRequest): Promise<Committed> {
  for (const f of req.files)
    await assertInsideRepo(req.target.root, `${req.target.prefix}${f.path}`);
  let repo = req.target.repo;
  if (repo === null) {
    await makeDirsDurably(req.target.root).catch((error) => {
      throw writeFailure(req.target.root, error);
    });
    repo = await initRepo(req.target.root).catch((error) => {
      throw asFailure(error, req.target.root);
    });
  } else {
    await assertRepoAtRest(repo);
  }
  const { objects, journal } = await prepare(req, repo);
  await createJournal(repo, journal).catch((error) => {
    throw asFailure(error, req.target.root);
  });
  await assertNothingWrittenSince(repo, journal);
  try {
    await writeObjects(repo.gitdir, objects);
    const temps: [string, string][] = [];
    for (const f of journal.files) {
      await assertInsideRepo(req.target.root, f.path);
      const file = join(req.target.root, f.path);
      const content = req.files.find((w) => `${req.target.prefix}${w.path}` === f.path)!.content;
      await makeDirsDurably(dirname(file));
      temps.push([await prepareReplacement(file, content), file]);
    }
    for (const [temp, file] of temps) await renamePath(temp, file);
    await stagePaths(
      repo,
      journal.files.map((f) => f.path),
    );
    if (journal.backup) await updateRef(repo, journal.backup.ref, journal.backup.commit, null);
    await updateRef(repo, journal.ref, journal.commit, journal.before);
  } catch (error) {
    const failure = asFailure(error, req.target.root);
    const undone = await undoApply(repo, journal).then(
      () => true,
      () => false,
    );
    if (undone) throw failure;
    throw new NixstrapFailure(
      failure.error.code,
      `${failure.error.message.replace(/\.$/, '')}; undoing the partial write failed too, and the next plan of this repo finishes undoing it.`,
      failure.error.hint,
    );
  }
  await removeJournal(repo);
  return { commit: journal.commit, backup: journal.backup };
}
