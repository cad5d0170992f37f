import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { createApi } from '../../main/api';
import { applyPlan, computePlan } from '../../main/core/repo';
import { answersFor, pcFacts } from './helpers/repo-machines';
import { snapshot, tempDir } from './helpers/repo-trees';

const facts = pcFacts('desk');
const answers = answersFor(facts);
const api = createApi({ shell: 'browser', dataDir: tempDir() });

function head(repo: string): string {
  return execFileSync('git', ['-C', repo, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
}

/** Ways a repo's git data is found damaged, each a file Nixstrap must leave as it found it. */
const DAMAGE: [string, (repo: string) => string][] = [
  [
    'a HEAD that names nothing',
    (repo) => {
      writeFileSync(join(repo, '.git/HEAD'), 'garbage\n');
      return join(repo, '.git/HEAD');
    },
  ],
  [
    'a zero-byte index',
    (repo) => {
      truncateSync(join(repo, '.git/index'), 0);
      return join(repo, '.git/index');
    },
  ],
  [
    'a zero-byte commit object',
    (repo) => {
      const oid = head(repo);
      const file = join(repo, '.git/objects', oid.slice(0, 2), oid.slice(2));
      truncateSync(file, 0);
      return file;
    },
  ],
  [
    'a .git file pointing nowhere',
    (repo) => {
      rmSync(join(repo, '.git'), { recursive: true });
      writeFileSync(join(repo, '.git'), 'gitdir: /nonexistent/git\n');
      return join(repo, '.git');
    },
  ],
];

describe('a repo whose git data is damaged', () => {
  let spies: MockInstance[] = [];
  beforeEach(() => {
    spies = (['log', 'warn', 'error'] as const).map((m) => vi.spyOn(console, m));
  });
  afterEach(() => {
    for (const spy of spies) spy.mockRestore();
  });

  for (const [what, damage] of DAMAGE) {
    it(`with ${what} is refused in a sentence, changed in nothing, and nothing is printed`, async () => {
      const repo = join(tempDir(), 'config');
      await applyPlan(await computePlan({ journey: 'init', repo, facts, answers }));
      const damaged = damage(repo);
      const before = { tree: snapshot(repo), damaged: readFileSync(damaged) };

      const plan = await api.call('plan.compute', {
        journey: 'init',
        repo,
        facts,
        answers: { ...answers, timeZone: 'UTC' },
      });
      expect(plan.ok).toBe(false);
      if (!plan.ok) {
        expect(['GIT_FAILED', 'READ_FAILED']).toContain(plan.error.code);
        expect(plan.error.message).toContain(repo);
        expect(`${plan.error.message} ${plan.error.hint}`).not.toMatch(/\bE[A-Z]{3,}\b|buffer/);
      }
      const check = await api.call('repo.check', { repo });
      if (!check.ok) expect(check.error.code).not.toBe('INTERNAL');

      expect(snapshot(repo)).toEqual(before.tree);
      expect(readFileSync(damaged)).toEqual(before.damaged);
      for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    });
  }
});

describe('a linked git worktree', () => {
  it('is refused in a sentence, since its branches live elsewhere', async () => {
    const repo = join(tempDir(), 'config');
    await applyPlan(await computePlan({ journey: 'init', repo, facts, answers }));
    const linked = join(tempDir(), 'linked');
    execFileSync('git', ['-C', repo, 'worktree', 'add', '-q', '-b', 'other', linked]);
    await expect(
      computePlan({
        journey: 'init',
        repo: linked,
        facts,
        answers: { ...answers, timeZone: 'UTC' },
      }),
    ).rejects.toMatchObject({
      error: { code: 'GIT_FAILED', message: expect.stringContaining('linked git worktree') },
    });
  });
});

/** Ways git is found busy or between steps, each set up with the real git binary. */
const BUSY: [string, (repo: string) => void][] = [
  [
    'halfway through a merge with a conflict',
    (repo) => {
      const git = (...args: string[]) =>
        execFileSync('git', ['-C', repo, '-c', 'user.name=U', '-c', 'user.email=u@e', ...args], {
          stdio: 'ignore',
        });
      git('checkout', '-q', '-b', 'other');
      writeFileSync(join(repo, 'README.md'), 'theirs\n');
      git('commit', '-qam', 'theirs');
      git('checkout', '-q', 'main');
      writeFileSync(join(repo, 'README.md'), 'ours\n');
      git('commit', '-qam', 'ours');
      expect(() => git('merge', 'other')).toThrow();
    },
  ],
  [
    'with an index.lock another git holds',
    (repo) => writeFileSync(join(repo, '.git/index.lock'), ''),
  ],
];

describe('a repo git is busy with', () => {
  for (const [what, busy] of BUSY) {
    it(`${what} is refused in a sentence before anything is written`, async () => {
      const repo = join(tempDir(), 'config');
      await applyPlan(await computePlan({ journey: 'init', repo, facts, answers }));
      busy(repo);
      const before = { tree: snapshot(repo), head: head(repo) };
      const plan = await computePlan({
        journey: 'add-host',
        repo,
        facts: pcFacts('second'),
        answers: answersFor(pcFacts('second')),
      });
      await expect(applyPlan(plan)).rejects.toMatchObject({ error: { code: 'REPO_BUSY' } });
      expect(snapshot(repo)).toEqual(before.tree);
      expect(head(repo)).toBe(before.head);
      expect(readdirSync(join(repo, '.git'))).not.toContain('nixstrap-journal');
    });
  }
});
