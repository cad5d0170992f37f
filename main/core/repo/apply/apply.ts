import { dirname, join } from 'node:path';
import type { ApplyResult, Plan, PlannedFile } from '../../../../common/plan';
import { NixstrapFailure } from '../../../../common/result';
import { removeStaleTempFiles, writeFileAtomic } from '../fs/atomic';
import { readText } from '../fs/read';
import { commitFiles, type GitAuthor, stagedChanges, uncommittedEdits } from '../git/status';
import { MANIFEST_PATH, type Manifest, manifestText, readManifest, sha256 } from '../manifest';

export type ApplyOptions = {
  force: boolean;
  /** Commit author, from the answers' `git`; empty fields fall back to git config, then Nixstrap. */
  author?: Partial<GitAuthor>;
};

const WRITES: ReadonlySet<PlannedFile['action']> = new Set(['create', 'update', 'conflict']);

/**
 * Test hook for crash safety: with NIXSTRAP_TEST_PAUSE_AFTER_WRITES=N the writer stops for a
 * while after its N-th file so a test can kill it there. Unset (always, outside tests), it
 * does nothing; set by mistake, it only delays.
 */
async function pauseForCrashTest(written: number): Promise<void> {
  const at = Number(process.env.NIXSTRAP_TEST_PAUSE_AFTER_WRITES);
  if (!Number.isInteger(at) || at <= 0 || written !== at) return;
  process.stderr.write(`nixstrap: paused after ${written} writes\n`);
  await new Promise((resolve) => setTimeout(resolve, 60_000));
}

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
    const now = disk === null ? null : sha256(disk);
    const expected =
      f.diskSha256 !== undefined
        ? f.diskSha256
        : f.action === 'create'
          ? null
          : f.action === 'unchanged'
            ? sha256(f.content)
            : now;
    if (now !== expected) moved.push(f.path);
  }
  if (moved.length > 0) {
    throw new NixstrapFailure(
      'FILE_CHANGED',
      `${fileList(moved)} changed on disk after the plan was made, so nothing was written.`,
      'Run `nixstrap plan` again and review the new diff.',
    );
  }
}

/** Refuses when the user has staged changes of their own, which Nixstrap's commit would sweep in. */
async function assertNothingElseStaged(repo: string, files: readonly PlannedFile[]): Promise<void> {
  const planned = new Set([...files.map((f) => f.path), MANIFEST_PATH]);
  const foreign = (await stagedChanges(repo)).filter((path) => !planned.has(path));
  if (foreign.length > 0) {
    throw new NixstrapFailure(
      'GIT_FAILED',
      `You have staged changes in the repo (${fileList(foreign)}) that Nixstrap's commit would include, so nothing was written.`,
      `Commit them, or unstage them with \`git -C ${repo} restore --staged .\`, then run the same command again.`,
    );
  }
}

/**
 * A file of the user's that Nixstrap edits in place (a foreign flake.nix) is committed whole, so
 * edits of theirs not yet committed would ride along in Nixstrap's commit unseen.
 */
async function assertUserFilesCommitted(
  repo: string,
  files: readonly PlannedFile[],
): Promise<void> {
  const edited = files
    .filter((f) => f.managed === false && WRITES.has(f.action))
    .map((f) => f.path);
  const dirty = await uncommittedEdits(repo, edited);
  if (dirty.length > 0) {
    throw new NixstrapFailure(
      'GIT_FAILED',
      `${fileList(dirty)} ${dirty.length > 1 ? 'have' : 'has'} changes you have not committed, and Nixstrap's edit would commit them with its own, so nothing was written.`,
      `Commit or stash them first (\`git -C ${repo} stash\`), then run the same command again.`,
    );
  }
}

/**
 * Writes a plan: every file atomically, then the manifest, then one git commit. Conflicts (hand
 * edits) are refused unless `force`. Nothing to write means no commit.
 */
export async function applyPlan(plan: Plan, opts: ApplyOptions): Promise<ApplyResult> {
  const { repo } = plan;
  const conflicts = plan.files.filter((f) => f.action === 'conflict').map((f) => f.path);
  if (conflicts.length > 0 && !opts.force) {
    throw new NixstrapFailure(
      'FILE_CHANGED',
      `${fileList(conflicts)} ${conflicts.length > 1 ? 'were' : 'was'} changed by hand, so Nixstrap will not overwrite ${conflicts.length > 1 ? 'them' : 'it'}.`,
      'Review the diff with `nixstrap plan`, then rerun with --force.',
    );
  }
  await assertNothingElseStaged(repo, plan.files);
  await assertUserFilesCommitted(repo, plan.files);
  await assertDiskAsPlanned(repo, plan.files);
  const toWrite = plan.files.filter((f) => WRITES.has(f.action));
  if (toWrite.length === 0) return { plan, written: [], commit: null };

  const written: string[] = [];
  try {
    for (const dir of new Set(toWrite.map((f) => dirname(join(repo, f.path))))) {
      await removeStaleTempFiles(dir);
    }
    for (const f of toWrite) {
      await writeFileAtomic(join(repo, f.path), f.content);
      written.push(f.path);
      await pauseForCrashTest(written.length);
    }
    const previous = await readManifest(repo);
    const manifest: Manifest = {
      version: 1,
      layout: plan.layout === 'empty' ? 'nixstrap' : plan.layout,
      files: { ...(previous?.files ?? {}) },
    };
    for (const f of plan.files) {
      if (f.managed !== false && (WRITES.has(f.action) || f.action === 'unchanged')) {
        manifest.files[f.path] = sha256(f.content);
      }
    }
    await writeFileAtomic(join(repo, MANIFEST_PATH), manifestText(manifest));
  } catch (error) {
    if (error instanceof NixstrapFailure) throw error;
    throw new NixstrapFailure(
      'WRITE_FAILED',
      `Writing the repo failed after ${written.length} of ${toWrite.length} files: ${(error as Error).message}.`,
      'Each file is either its old or its new version; fix the cause (space, permissions) and run the same command again.',
    );
  }
  const verb = plan.journey === 'init' ? 'init' : 'add';
  const message = `nixstrap: ${verb} host ${plan.hostName}\n\n${written.map((p) => `- ${p}`).join('\n')}\n`;
  const standalone = plan.journey === 'init' || plan.layout === 'empty';
  const commit = await commitFiles(
    repo,
    [...written, MANIFEST_PATH],
    message,
    opts.author,
    standalone,
  );
  return { plan, written, commit };
}
