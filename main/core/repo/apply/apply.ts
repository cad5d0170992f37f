import { join, resolve } from 'node:path';
import type { ApplyResult, Plan, PlannedFile, Resolution } from '../../../../common/plan';
import { updatesExistingHost } from '../../../../common/plan-host';
import { uncommittedUserFiles } from '../../../../common/plan-waits';
import { NixstrapFailure } from '../../../../common/result';
import { shellCommand } from '../../../../common/shell-word';
import { readText } from '../fs/read';
import { commitTarget } from '../git/target';
import { MANIFEST_PATH, readManifest, sha256 } from '../manifest';
import { makePlan, type PlanRequest } from '../plan/compute';
import { manifestAfter } from '../plan/manifest-file';
import { withRepoLock } from './lock';
import { planChangedFailure } from './plan-change';
import { settleInterruptedApply } from './settle';
import { writeAndCommit } from './transaction';

export type GitAuthor = { name: string; email: string };

export type ApplyOptions = {
  /** For each file in conflict: keep the user's version, or take Nixstrap's (theirs is backed up). */
  resolutions?: Readonly<Record<string, Resolution>>;
  /** Commit author, from the answers' `git`; empty fields fall back to Nixstrap. */
  author?: Partial<GitAuthor>;
};

const FALLBACK_AUTHOR: GitAuthor = { name: 'Nixstrap', email: 'nixstrap@localhost' };

function fileList(paths: readonly string[]): string {
  return paths.length > 3
    ? `${paths.slice(0, 3).join(', ')} and ${paths.length - 3} more`
    : paths.join(', ');
}

/** Refuses when a file is no longer what the plan compared against. */
async function assertDiskAsPlanned(repo: string, files: readonly PlannedFile[]): Promise<void> {
  const moved: string[] = [];
  for (const f of files) {
    const disk = await readText(join(repo, f.path));
    if ((disk === null ? null : sha256(disk)) !== (f.diskSha256 ?? null)) moved.push(f.path);
  }
  if (moved.length > 0) {
    throw new NixstrapFailure(
      'PLAN_CHANGED',
      `${fileList(moved)} changed on disk after the plan was made, so nothing was written.`,
      'Review the plan again: it shows the new differences.',
    );
  }
}

function assertConflictsResolved(plan: Plan, resolutions: Readonly<Record<string, Resolution>>) {
  const open = plan.files
    .filter((f) => f.action === 'conflict' && resolutions[f.path] === undefined)
    .map((f) => f.path);
  if (open.length === 0) return;
  throw new NixstrapFailure(
    'FILE_CHANGED',
    `${fileList(open)} ${open.length > 1 ? 'were' : 'was'} changed by hand, so Nixstrap will not overwrite ${open.length > 1 ? 'them' : 'it'} without your say.`,
    "Choose for each one whether to keep yours or take Nixstrap's version (yours is then saved in git).",
  );
}

/** Refuses to commit the user's uncommitted edits along with Nixstrap's own. */
function assertUserFilesCommitted(plan: Plan): void {
  const dirty = uncommittedUserFiles(plan.files);
  if (dirty.length === 0) return;
  throw new NixstrapFailure(
    'GIT_FAILED',
    `${fileList(dirty)} ${dirty.length > 1 ? 'have' : 'has'} changes you have not committed, and Nixstrap's edit would commit them with its own, so nothing was written.`,
    `Commit or stash them first (\`${shellCommand(['git', '-C', plan.repo, 'stash'])}\`), then review the plan again.`,
  );
}

/** Where the user's versions go, named for the time (the commit's id is added to it). */
function backupRefBase(now: Date): string {
  return `refs/nixstrap/backups/${now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}`;
}

/** Writes `plan` exactly, under the repo's lock, once its interrupted writes are settled. */
async function writePlan(plan: Plan, opts: ApplyOptions): Promise<ApplyResult> {
  const resolutions = opts.resolutions ?? {};
  assertConflictsResolved(plan, resolutions);
  assertUserFilesCommitted(plan);
  await assertDiskAsPlanned(plan.repo, plan.files);
  const taken = (f: PlannedFile) => f.action === 'conflict' && resolutions[f.path] === 'take';
  const manifestText = manifestAfter(
    plan.layout,
    await readManifest(plan.repo),
    plan.files,
    resolutions,
  );
  const writes = plan.files
    .map((f) => (f.path === MANIFEST_PATH ? { ...f, content: manifestText } : f))
    .filter((f) =>
      f.path === MANIFEST_PATH
        ? !(f.committed && sha256(manifestText) === f.diskSha256)
        : f.action === 'create' || f.action === 'update' || taken(f),
    );
  if (writes.length === 0) return { plan, written: [], commit: null, backup: null };
  const target = await commitTarget(plan.journey, plan.repo);
  const backups: { path: string; content: string }[] = [];
  for (const f of plan.files.filter(taken)) {
    backups.push({ path: f.path, content: (await readText(join(plan.repo, f.path))) ?? '' });
  }
  const name = opts.author?.name?.trim() || FALLBACK_AUTHOR.name;
  const email = opts.author?.email?.trim() || FALLBACK_AUTHOR.email;
  const now = new Date();
  const written = writes.map((f) => f.path);
  // A host already in the repo (this machine coming back to it) is updated, not added.
  const subject =
    plan.journey === 'add-host' && !updatesExistingHost(plan)
      ? `nixstrap: add host ${plan.hostName}`
      : target.head.oid === null
        ? `nixstrap: set up ${plan.hostName}`
        : `nixstrap: update ${plan.hostName}`;
  const saved = (ref: string | null) =>
    ref ? `\nYour versions of ${fileList(backups.map((b) => b.path))} are saved in ${ref}.\n` : '';
  const result = await writeAndCommit({
    target,
    files: writes.map((f) => ({ path: f.path, content: f.content })),
    message: (ref) => `${subject}\n\n${written.map((p) => `- ${p}`).join('\n')}\n${saved(ref)}`,
    author: { name, email, when: now },
    backup: backups.length
      ? {
          refBase: backupRefBase(now),
          message: `nixstrap: your versions before ${subject.slice('nixstrap: '.length)}\n\n${backups.map((b) => `- ${b.path}`).join('\n')}\n`,
          files: backups,
        }
      : null,
  });
  return {
    plan,
    written,
    commit: result.commit,
    backup: result.backup ? { ...result.backup, files: backups.map((b) => b.path) } : null,
  };
}

/** Writes a plan as it is (its files are checked against the disk first). */
export async function applyPlan(plan: Plan, opts: ApplyOptions = {}): Promise<ApplyResult> {
  return withRepoLock(plan.repo, async () => {
    await settleInterruptedApply(plan.repo);
    return writePlan(plan, opts);
  });
}

/**
 * Applies the plan the user reviewed: made afresh and written only if it is still the plan
 * with `planId`; otherwise refused, saying why (the commits that landed, the files edited, or
 * the answers) when `reviewed`, the plan as the user saw it, is known.
 */
export async function applyReviewedPlan(
  req: PlanRequest,
  planId: string,
  opts: ApplyOptions,
  reviewed?: Plan,
): Promise<ApplyResult> {
  const repo = resolve(req.repo);
  return withRepoLock(repo, async () => {
    const settled = await settleInterruptedApply(repo);
    const plan = await makePlan(req, settled);
    if (plan.id !== planId) throw await planChangedFailure(reviewed, plan);
    return writePlan(plan, opts);
  });
}
