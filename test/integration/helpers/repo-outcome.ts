import { readdirSync } from 'node:fs';
import { expect } from 'vitest';
import { computePlan } from '../../../main/core/repo';
import { answersFor, pcFacts } from './repo-machines';
import { gitCli, snapshot } from './repo-trees';

/** A repo folder as it was before an apply, and the work tree a whole apply leaves. */
export type Ends = {
  before: { tree: Record<string, string>; head: string | null; status: string };
  after: Record<string, string>;
};

export function headOf(repo: string): string | null {
  try {
    return gitCli(repo, 'rev-parse', '--verify', '-q', 'HEAD').trim();
  } catch {
    return null;
  }
}

export function statusOf(repo: string): string {
  return headOf(repo) === null ? '' : gitCli(repo, 'status', '--porcelain');
}

/** Every path under `dir` (git's folders included) that a write must never leave behind. */
export function leftovers(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).filter(
    (p) => p.includes('.nixstrap-tmp-') || p.endsWith('.lock') || p.endsWith('nixstrap-journal'),
  );
}

/**
 * Checks that the folder `dir` (holding `repo`) ended whole: nothing of Nixstrap's left, git
 * sound, and either the old commit with the old files or a new commit on it with the new files.
 */
export function expectOldOrNew(
  dir: string,
  repo: string,
  ends: Ends,
  label: string,
): 'old' | 'new' {
  expect(leftovers(dir), label).toEqual([]);
  const head = headOf(repo);
  if (head !== null) expect(gitCli(repo, 'fsck', '--strict', '--no-dangling'), label).toBe('');
  if (head === ends.before.head) {
    expect(snapshot(dir), `${label}: old commit, old files`).toEqual(ends.before.tree);
    expect(statusOf(repo), label).toBe(ends.before.status);
    return 'old';
  }
  const parents = gitCli(repo, 'log', '-1', '--format=%P').trim();
  expect(parents, `${label}: new commit on the old`).toBe(ends.before.head ?? '');
  expect(snapshot(dir), `${label}: new commit, new files`).toEqual(ends.after);
  expect(statusOf(repo), label).toBe('');
  return 'new';
}

/**
 * Adds a PC called `name` to `repo`, which must be refused with an error like `error` (asymmetric
 * matchers allowed) and leave every file in the folder as it was.
 */
export async function expectAddHostRefused(
  repo: string,
  name: string,
  error: Record<string, unknown>,
): Promise<void> {
  const before = snapshot(repo);
  const facts = pcFacts(name);
  await expect(
    computePlan({ journey: 'add-host', repo, facts, answers: answersFor(facts) }),
  ).rejects.toMatchObject({ error });
  expect(snapshot(repo)).toEqual(before);
}
