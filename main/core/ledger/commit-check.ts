import fs from 'node:fs';
import type { CommitCheck } from '../../../common/generations';
import type { Generation } from '../../../common/rebuild';
import type { Ledger } from './database';
import { requireGeneration } from './history';
import { type ReconcileOptions, reconcileProfile } from './reconcile';
import { readRepoCommit } from './rollback-repo';

/**
 * The check made in `repo` when the folder the build recorded is gone and `repo` holds the
 * commit: the user moved the repo, and names where it is now. Null otherwise, so a repo named
 * by mistake never makes a commit look found (or gone).
 */
async function movedRepo(
  generation: Generation,
  repo: string | null,
): Promise<{ check: CommitCheck; head: string | null } | null> {
  const { repo: recorded, commit } = generation;
  if (!recorded || !repo || !commit || fs.existsSync(recorded)) return null;
  const { inRepo, head } = await readRepoCommit(repo, commit);
  return inRepo
    ? { check: { repo, commitInRepo: true, warning: null, repoFolderGone: false }, head }
    : null;
}

/**
 * Whether the commit a generation was built from is still in its config repo, and the sentence
 * that says so when it is not: the rollback dialog, the generation's detail and the CLI all
 * show this one. `repo` is asked only when the ledger did not record where the build ran, or
 * when that folder is gone and `repo` holds the commit (the repo was moved), as a commit looked
 * up in another repo than the one it was built from is "gone" only by mistake.
 * With it, the commit the repo's work tree is on (when the generation's commit is in it), read
 * in the same look at the repo: a rollback plan tells whether the repo has moved on.
 */
export async function checkCommitAndHead(
  generation: Generation,
  repo: string | null,
): Promise<{ check: CommitCheck; head: string | null }> {
  const { commit, number } = generation;
  const moved = await movedRepo(generation, repo);
  if (moved) return moved;
  const where = generation.repo ?? repo;
  if (!where || !commit) {
    return {
      check: { repo: where, commitInRepo: null, warning: null, repoFolderGone: false },
      head: null,
    };
  }
  const short = commit.slice(0, 12);
  // Where the generation is still in the profile the system can go back; the repo never can.
  const meaning = !generation.present
    ? 'Nix deleted the generation too, so neither the system nor the repo can go back to it.'
    : generation.current
      ? 'it stays the current generation, but the configuration repo can no longer build it.'
      : 'the system can go back to it, the configuration repo cannot.';
  if (!fs.existsSync(where)) {
    return {
      check: {
        repo: where,
        commitInRepo: false,
        warning: `Generation ${number} was built from commit ${short} in ${where}, which no longer exists: ${meaning}`,
        repoFolderGone: where === generation.repo,
      },
      head: null,
    };
  }
  const { inRepo, head } = await readRepoCommit(where, commit);
  return {
    check: {
      repo: where,
      commitInRepo: inRepo,
      warning:
        inRepo === false
          ? `Generation ${number} was built from commit ${short}, which is no longer in ${where}: ${meaning}`
          : null,
      repoFolderGone: false,
    },
    head,
  };
}

/** The commit check alone, as the generation's detail and the CLI show it. */
export async function checkCommit(
  generation: Generation,
  repo: string | null,
): Promise<CommitCheck> {
  return (await checkCommitAndHead(generation, repo)).check;
}

/** The commit check of generation `number` of a profile, as the machine has it now. */
export async function checkGenerationCommit(
  ledger: Ledger,
  profile: ReconcileOptions,
  number: number,
  repo: string | null,
): Promise<CommitCheck> {
  const { targetId } = await reconcileProfile(ledger, profile);
  return checkCommit(requireGeneration(ledger, targetId, number), repo);
}
