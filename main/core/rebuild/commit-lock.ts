import fs from 'node:fs';
import git from 'isomorphic-git';
import type { ErrorCode, NixstrapError, RunSummary } from '../../../common';
import { NixstrapFailure } from '../../../common/failure';
import type { Ledger } from '../ledger';
import { type BuiltLock, createRunStore } from '../ledger/runs';
import { uncommitted } from '../repo';
import { withRepoLock } from '../repo/apply/lock';
import { settleInterruptedApply } from '../repo/apply/settle';
import { writeAndCommit } from '../repo/apply/transaction';
import { configuredAuthor, findWorkTree } from '../repo/git/repo';
import { commitTarget } from '../repo/git/target';
import { sha256 } from '../repo/manifest';
import { lockText } from './built-source';

const SUBJECT = 'Lock flake inputs';

const refuse = (code: ErrorCode, message: string, hint: string) =>
  new NixstrapFailure(code, message, hint);

/**
 * Whether the repo's lock now is the one the build used: by its text where the ledger kept it, by
 * its sha256 where the lock was too big to keep. Null when the ledger kept neither (a big lock
 * recorded before migration 15).
 */
function sameLock(lock: string, built: BuiltLock): boolean | null {
  if (built.text !== null) return lock === built.text;
  if (built.sha256 !== null) return sha256(lock) === built.sha256;
  return null;
}

/** What a run's lock commit works on, once every check made before writing has passed. */
interface LockToCommit {
  run: RunSummary;
  repo: string;
  lock: string;
}

/** The checks made before anything is written; each failing one throws its refusal. */
async function lockToCommit(ledger: Ledger, runId: string): Promise<LockToCommit> {
  const runs = createRunStore(ledger);
  const run = runs.get(runId);
  const built = runs.builtLock(runId);
  if (run === null || built === null) {
    throw refuse('RUN_NOT_FOUND', `No run ${runId} is recorded.`, '`nixstrap runs` lists them.');
  }
  if (run.lockWritten !== true || run.repo === null || run.commit === null) {
    // A lock this verb committed leaves its mark: the run's lockWritten went false, dirtyBesideLock stays.
    if (run.lockWritten === false && built.dirtyBesideLock !== null && run.commit !== null) {
      throw refuse(
        'LOCK_ALREADY_COMMITTED',
        `The flake.lock run ${runId} built with is already committed, in ${run.commit.slice(0, 12)}.`,
        `\`nixstrap generations\` shows its generation as built from that commit.`,
      );
    }
    throw refuse(
      'LOCK_NOT_WRITTEN',
      `Run ${runId} wrote no flake.lock its commit lacks, so there is nothing to commit.`,
      'Only a build that wrote flake.lock (a first build, an input added to flake.nix) leaves one to commit.',
    );
  }
  const repo = run.repo;
  if (!fs.existsSync(repo) || (await findWorkTree(repo)) === null) {
    throw refuse(
      'REPO_NOT_FOUND',
      `The repo run ${runId} built from, ${repo}, is gone (or no longer a git repo), so its flake.lock cannot be committed.`,
      'Commit the lock by hand where the repo is now, if you moved it.',
    );
  }
  const lock = lockText(repo);
  const same = lock !== null && sameLock(lock, built);
  if (lock === null || same !== true) {
    throw refuse(
      'LOCK_CHANGED',
      same === null
        ? `Nixstrap kept no record of the flake.lock run ${runId} built with (the run is from an older Nixstrap and the lock was too big to keep), so it cannot tell the one in ${repo} is the same, and commits nothing.`
        : `${repo}/flake.lock is no longer the one run ${runId} built with, so committing it would record a lock that build never used.`,
      'Rebuild, then commit the lock that build writes.',
    );
  }
  if (!(await uncommitted(repo, 'flake.lock'))) {
    throw refuse(
      'LOCK_ALREADY_COMMITTED',
      `The flake.lock run ${runId} built with is already committed in ${repo}.`,
      'Rebuild to record a generation built from that commit.',
    );
  }
  return { run, repo, lock };
}

const headMoved = (repo: string, run: RunSummary) =>
  refuse(
    'LOCK_HEAD_MOVED',
    `${repo} is no longer on commit ${run.commit?.slice(0, 12)}, the one run ${run.id} built from, so its flake.lock would land on a commit that build never saw.`,
    'Rebuild from the commit checked out now; that build records its own lock.',
  );

/**
 * The refusal commitBuiltLock would give now, read without writing anything (null: it would
 * commit), so the offer to commit can say why not before it is taken.
 */
export async function lockCommitRefusal(
  ledger: Ledger,
  runId: string,
): Promise<NixstrapError | null> {
  try {
    const { run, repo } = await lockToCommit(ledger, runId);
    const root = (await findWorkTree(repo)) as string;
    const head = await git.resolveRef({ fs, dir: root, ref: 'HEAD' }).catch(() => null);
    return head === run.commit ? null : headMoved(repo, run).error;
  } catch (error) {
    if (error instanceof NixstrapFailure) return error.error;
    throw error;
  }
}

/**
 * Commits the flake.lock a run's build wrote, exactly as the build used it, on the commit the
 * build started from, and records the run (so its generation) as built from the new commit.
 * Only flake.lock goes into the commit, through the journaled write Nixstrap's own commits use:
 * the user's other changes, staged or not, stay as they were. Refused, with nothing written,
 * when the repo moved on, the lock changed, or there is nothing left to commit.
 */
export async function commitBuiltLock(ledger: Ledger, runId: string): Promise<RunSummary> {
  const { run, repo, lock } = await lockToCommit(ledger, runId);
  const commit = await withRepoLock(repo, async () => {
    await settleInterruptedApply(repo);
    const target = await commitTarget('add-host', repo);
    if (target.head.oid !== run.commit) throw headMoved(repo, run);
    const author = { ...(await configuredAuthor(target.repo)), when: new Date() };
    const written = await writeAndCommit({
      target,
      files: [{ path: 'flake.lock', content: lock }],
      message: () => `${SUBJECT}\n\nThe flake.lock Nixstrap run ${runId} wrote and built with.\n`,
      author,
      backup: null,
    });
    return written.commit;
  });
  const runs = createRunStore(ledger);
  runs.lockCommitted(runId, commit, SUBJECT);
  return runs.get(runId) as RunSummary;
}
