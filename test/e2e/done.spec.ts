import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { testGit } from '../helpers/git-at';
import { continueToAnswers, continueToPlan, openWizard, SCREENSHOTS } from './app';
import { makeReadOnlyFolder } from './read-only';
import { ROOT, startServe } from './serve';

let parent: string;
test.beforeEach(() => {
  parent = mkdtempSync(join(tmpdir(), 'nixstrap-e2e-done-'));
});
test.afterEach(() => {
  rmSync(parent, { recursive: true, force: true });
});

async function planFor(page: Page, repo: string): Promise<void> {
  await openWizard(page);
  await continueToAnswers(page);
  await continueToPlan(page);
  await page.getByTestId('repo-path').fill(repo);
  await page.getByTestId('journey-init').check();
}

/** True when the element's box lies inside the viewport: the user sees it without scrolling. */
function inView(page: Page, testId: string): Promise<boolean> {
  return page.getByTestId(testId).evaluate((element) => {
    const box = element.getBoundingClientRect();
    return box.top >= 0 && box.bottom <= window.innerHeight;
  });
}

test.describe('a failed write is shown where the user looks', () => {
  test('a write into a read-only folder: the error is in view and focused, its code behind Details', async ({
    page,
  }) => {
    const folder = makeReadOnlyFolder(parent);
    test.skip(
      folder === null,
      'no way to make a read-only folder here (not root, no tmpfs, no chattr)',
    );
    if (!folder) return;
    try {
      const repo = join(folder.path, 'nixos-config');
      await planFor(page, repo);
      await page.getByTestId('compute-plan').click();
      // Whether the path is refused when planned or when written, the user sees it the same way.
      await expect(page.getByTestId('plan').or(page.getByTestId('error-banner'))).toBeVisible();
      if (await page.getByTestId('plan').isVisible()) await page.getByTestId('apply-plan').click();
      const banner = page.getByTestId('error-banner');
      await expect(banner).toBeVisible();
      await expect(banner).toBeFocused();
      expect(await inView(page, 'error-banner')).toBe(true);
      await expect(banner).toContainText('read-only');
      await expect(banner).not.toContainText(/EROFS|EACCES|EPERM|errno|command again/);
      await expect(page.getByTestId('error-code')).toBeHidden();
      await page.screenshot({ path: join(SCREENSHOTS, 'write-refused.png') });
      expect(existsSync(repo)).toBe(false);
    } finally {
      folder.release();
    }
  });
});

test.describe('the Done screen keeps what was written', () => {
  test('it shows where the repo is and the commit, and survives a reload and going back', async ({
    page,
  }) => {
    const repo = join(parent, 'nixos-config');
    await planFor(page, repo);
    await page.getByTestId('compute-plan').click();
    await expect(page.getByTestId('plan')).toBeVisible();
    await page.getByTestId('apply-plan').click();

    const head = () =>
      execFileSync('git', ['-C', repo, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
    const done = page.getByRole('heading', { level: 1, name: 'Written and committed' });
    await expect(done).toBeFocused();
    await expect(page).toHaveTitle('Written · Nixstrap');
    await expect(page.getByTestId('commit-id')).toHaveText(head());
    await expect(page.getByTestId('repo-location')).toHaveText(repo);
    await expect(page.getByTestId('next-steps').locator('li').first()).toBeVisible();

    await page.reload();
    await expect(page.locator('body[data-app-state="ready"]')).toBeAttached();
    await expect(done).toBeVisible();
    await expect(page.getByTestId('commit-id')).toHaveText(head());

    await page.getByRole('button', { name: 'Back to the plan' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Review the plan' })).toBeVisible();
    await page.getByRole('button', { name: /^Written/ }).click();
    await expect(page.getByTestId('commit-id')).toHaveText(head());
  });

  test('the copy button puts the repo path on the clipboard', async ({ page, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const repo = join(parent, 'copied');
    await planFor(page, repo);
    await page.getByTestId('compute-plan').click();
    await page.getByTestId('apply-plan').click();
    await page.getByTestId('copy-repo').click();
    await expect(page.getByText('Copied.', { exact: true })).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(repo);
  });
});

test.describe('a repo on a detached HEAD', () => {
  test('the plan says the commit will be on no branch; the Done screen, that it is', async ({
    page,
  }) => {
    const repo = join(parent, 'detached');
    mkdirSync(repo);
    testGit(repo, 'init', '-q', '-b', 'main');
    testGit(repo, 'commit', '-q', '--allow-empty', '-m', 'Start');
    testGit(repo, 'checkout', '-q', '--detach');
    await planFor(page, repo);
    await page.getByTestId('compute-plan').click();
    await expect(page.getByTestId('plan')).toContainText(
      "so Nixstrap's commit will be on none either: git switch -c NAME after the write puts it on a branch of its own",
    );
    await page.getByTestId('apply-plan').click();
    await expect(page.getByTestId('commit-id')).toHaveText(/^[0-9a-f]{40}$/);
    const commit = testGit(repo, 'rev-parse', 'HEAD').trim();
    const notes = page.getByTestId('good-to-know');
    await expect(notes).toContainText(
      `${repo} is on no branch (a detached HEAD), so Nixstrap's commit ${commit.slice(0, 12)} is on none either: git switch -c NAME puts it on a branch of its own, before a checkout leaves it behind.`,
    );
    await expect(notes).not.toContainText('will be');
  });
});

test.describe('on a NixOS machine the Done screen gives the command to switch', () => {
  test('the command names the repo and host, and its Copy button copies exactly it', async ({
    page,
    context,
  }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const server = await startServe([
      '--fixture',
      join(ROOT, 'test/fixtures/machines/qemu-kvm-uefi'),
      '--data-dir',
      join(parent, 'data'),
    ]);
    try {
      await openWizard(page, server.url);
      await continueToAnswers(page, 'correct horse battery staple');
      await continueToPlan(page);
      const repo = join(parent, 'nixos-config');
      await page.getByTestId('repo-path').fill(repo);
      await page.getByTestId('compute-plan').click();
      await page.getByTestId('apply-plan').click();
      const command = page.getByTestId('next-command');
      await expect(command).toHaveText(`sudo nixos-rebuild switch --flake ${repo}#nixos`);
      // What must come before the first switch stays in view: the owner's key, which the new
      // repo's secrets are encrypted for, backed up; the new host key put in place.
      const steps = page.getByTestId('next-steps').locator('li');
      await expect(steps.nth(0)).toContainText('Back up your age key');
      await expect(steps.nth(1)).toContainText(
        'Host nixos has no SSH host key, so Nixstrap made it an age key',
      );
      await expect(page.getByTestId('next-steps')).toContainText(
        'Then choose Build and switch below',
      );
      // What is only to know sits apart from the steps, in a quieter list of its own.
      const goodToKnow = page.getByTestId('good-to-know');
      await expect(goodToKnow).toContainText('Good to know');
      // Said plainly; the option's name comes last, for who knows it.
      await expect(goodToKnow).toContainText(
        "alice already has an account on this machine, and NixOS does not change an existing account's password: the one chosen here is set only where the account is new (another machine, a reinstall). To change it here, run passwd (users.mutableUsers).",
      );
      await expect(goodToKnow.locator('ol')).toHaveCount(0);
      await expect(page.getByTestId('next-steps')).not.toContainText('already has an account');
      await expect(goodToKnow).not.toContainText('no SSH host key');
      await page.getByTestId('copy-command').click();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
        `sudo nixos-rebuild switch --flake ${repo}#nixos`,
      );
      await page.screenshot({ path: join(SCREENSHOTS, 'done-nixos.png'), fullPage: true });
    } finally {
      await server.stop();
    }
  });
});

test.describe('a data folder that cannot keep the answers', () => {
  test('the Done screen says the commit holds everything but the answers were not kept, and why', async ({
    page,
  }) => {
    // A folder where the ledger's file should be: it cannot be opened, the write still can.
    const dataDir = join(parent, 'data');
    mkdirSync(join(dataDir, 'ledger.sqlite'), { recursive: true });
    const server = await startServe([
      '--fixture',
      join(ROOT, 'test/fixtures/machines/qemu-kvm-uefi'),
      '--data-dir',
      dataDir,
    ]);
    try {
      await openWizard(page, server.url);
      await continueToAnswers(page, 'correct horse battery staple');
      await continueToPlan(page);
      await page.getByTestId('repo-path').fill(join(parent, 'nixos-config'));
      await page.getByTestId('compute-plan').click();
      await page.getByTestId('apply-plan').click();
      await expect(page.getByTestId('commit-id')).toHaveText(/^[0-9a-f]{40}$/);
      const unrecorded = page.getByTestId('unrecorded');
      await expect(unrecorded).toContainText('Answers not kept');
      await expect(unrecorded).toContainText(
        `The commit holds everything, but Nixstrap could not keep these answers for when this machine comes back to host nixos: the ledger ${join(dataDir, 'ledger.sqlite')} is a folder, not a database file`,
      );
      await unrecorded.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(SCREENSHOTS, 'done-unrecorded.png') });
    } finally {
      await server.stop();
    }
  });
});
