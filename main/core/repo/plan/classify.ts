import { join } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import type { Journey, PlannedFile } from '../../../../common/plan';
import { assertInsideRepo } from '../fs/inside';
import { readText } from '../fs/read';
import { blobId } from '../git/objects';
import { MANIFEST_PATH, type Manifest, sha256 } from '../manifest';
import type { Candidate } from './candidate';
import { type CommittedFiles, readCommitted } from './committed';

export function unifiedDiff(path: string, before: string, after: string): string {
  return createTwoFilesPatch(`a/${path}`, `b/${path}`, before, after);
}

/**
 * A file already on disk as planned but not committed (an interrupted write of an older
 * version, or the user's own copy): the commit still has to take it, so the plan says what
 * the commit changes.
 */
async function uncommitted(
  base: Omit<PlannedFile, 'action' | 'diff' | 'reason'>,
  candidate: Candidate,
  committed: CommittedFiles,
): Promise<PlannedFile> {
  const inHead = committed.oid(candidate.path) !== undefined;
  const before = inHead ? await committed.content(candidate.path) : '';
  return {
    ...base,
    action: inHead ? 'update' : 'create',
    diff: unifiedDiff(candidate.path, before, candidate.content),
    reason: `${candidate.reason} Already on disk as planned, but not yet committed.`,
  };
}

/**
 * Compares a proposed file with the disk and the last commit. A file that differs from the
 * proposal and from what Nixstrap last wrote was changed by hand (or never written by
 * Nixstrap): a conflict, replaced only when the user says so. Edits of the user's own files
 * start from the disk, so they update.
 */
export async function classify(
  repo: string,
  manifest: Manifest | null,
  candidate: Candidate,
  committed: CommittedFiles,
): Promise<PlannedFile> {
  const { path, content, managed } = candidate;
  await assertInsideRepo(repo, path);
  const disk = await readText(join(repo, path));
  const base = {
    path,
    content,
    managed,
    diskSha256: disk === null ? null : sha256(disk),
    committed: disk !== null && committed.oid(path) === blobId(disk),
  };
  if (disk === null) {
    return {
      ...base,
      action: 'create',
      diff: unifiedDiff(path, '', content),
      reason: candidate.reason,
    };
  }
  if (disk === content) {
    if (!base.committed) return uncommitted(base, candidate, committed);
    return {
      ...base,
      action: 'unchanged',
      diff: '',
      reason: `${candidate.reason} Already up to date.`,
    };
  }
  const diff = unifiedDiff(path, disk, content);
  const recorded = manifest?.files[path];
  // The manifest is Nixstrap's own record, never the user's work: it is always updated.
  if (!managed || recorded === sha256(disk) || path === MANIFEST_PATH) {
    return { ...base, action: 'update', diff, reason: candidate.reason };
  }
  const why =
    recorded === undefined
      ? 'A file Nixstrap did not write is already here'
      : 'It was changed by hand since Nixstrap wrote it';
  return {
    ...base,
    action: 'conflict',
    diff,
    reason: `${candidate.reason} ${why}; it is only replaced if you choose Nixstrap's version (yours is then saved in git).`,
  };
}

export async function classifyAll(
  journey: Journey,
  repo: string,
  manifest: Manifest | null,
  candidates: readonly Candidate[],
): Promise<PlannedFile[]> {
  const sorted = [...candidates].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const committed = await readCommitted(
    journey,
    repo,
    sorted.map((c) => c.path),
  );
  return Promise.all(sorted.map((c) => classify(repo, manifest, c, committed)));
}
