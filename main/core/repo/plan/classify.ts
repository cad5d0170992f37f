import { join } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import type { PlannedFile } from '../../../../common/plan';
import { readText } from '../fs/read';
import type { Manifest } from '../manifest';
import { sha256 } from '../manifest';
import type { Candidate } from './candidate';

export function unifiedDiff(path: string, before: string, after: string): string {
  return createTwoFilesPatch(`a/${path}`, `b/${path}`, before, after);
}

/**
 * Compares a proposed file with the disk. A file that differs from the proposal and from what
 * Nixstrap last wrote was changed by hand (or never written by Nixstrap): a conflict, which
 * only `force` overwrites. Edits of the user's own files start from the disk, so they update.
 */
export async function classify(
  repo: string,
  manifest: Manifest | null,
  candidate: Candidate,
): Promise<PlannedFile> {
  const { path, content, managed } = candidate;
  const disk = await readText(join(repo, path));
  const base = { path, content, managed, diskSha256: disk === null ? null : sha256(disk) };
  if (disk === null) {
    return {
      ...base,
      action: 'create',
      diff: unifiedDiff(path, '', content),
      reason: candidate.reason,
    };
  }
  if (disk === content) {
    return {
      ...base,
      action: 'unchanged',
      diff: '',
      reason: `${candidate.reason} Already up to date.`,
    };
  }
  const diff = unifiedDiff(path, disk, content);
  const recorded = manifest?.files[path];
  if (!managed || recorded === sha256(disk)) {
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
    reason: `${candidate.reason} ${why}; it is only replaced if you choose to overwrite it (\`--force\` on the command line).`,
  };
}

export async function classifyAll(
  repo: string,
  manifest: Manifest | null,
  candidates: readonly Candidate[],
): Promise<PlannedFile[]> {
  const sorted = [...candidates].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return Promise.all(sorted.map((c) => classify(repo, manifest, c)));
}
