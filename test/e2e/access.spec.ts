import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { continueToAnswers, continueToPlan, openWizard, SCREENSHOTS } from './app';

let parent: string;
test.beforeEach(() => {
  parent = mkdtempSync(join(tmpdir(), 'nixstrap-e2e-access-'));
});
test.afterEach(() => {
  rmSync(parent, { recursive: true, force: true });
});

/** Presses Tab until the element with this test id has the focus, as a keyboard user would. */
async function tabTo(page: Page, testId: string, limit = 80): Promise<void> {
  for (let presses = 0; presses < limit; presses += 1) {
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
    if (focused === testId) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`${testId} was not reached with ${limit} presses of Tab`);
}

/** Nothing sticks out sideways: the page needs no horizontal scrolling. */
async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
}

test.describe('the whole journey works from the keyboard alone', () => {
  test('focus lands on each new screen, on the plan once shown and on the result once written', async ({
    page,
  }) => {
    await openWizard(page);
    await expect(page).toHaveTitle('This machine · Nixstrap');
    await expect(
      page.getByRole('heading', { level: 1, name: 'Here is what I found' }),
    ).toBeFocused();

    await tabTo(page, 'continue');
    await page.keyboard.press('Enter');
    const about = page.getByRole('heading', { level: 1, name: 'About you and this machine' });
    await expect(about).toBeFocused();
    await expect(page).toHaveTitle('About you · Nixstrap');
    await expect(page.getByTestId('answers-status')).toHaveText('All answers look good.');
    await page.screenshot({ path: join(SCREENSHOTS, 'keyboard-answers.png') });

    await tabTo(page, 'answer-hostName');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 1, name: 'Secrets' })).toBeFocused();
    await expect(page).toHaveTitle('Secrets · Nixstrap');

    await tabTo(page, 'secrets-continue');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 1, name: 'Review the plan' })).toBeFocused();
    await expect(page).toHaveTitle('Review the plan · Nixstrap');

    await tabTo(page, 'repo-path');
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type(join(parent, 'nixos-config'));
    await page.keyboard.press('Enter');
    const planTitle = page.locator('#plan-title');
    await expect(planTitle).toBeFocused();
    await page.screenshot({ path: join(SCREENSHOTS, 'keyboard-plan.png') });

    await tabTo(page, 'apply-plan');
    await page.keyboard.press('Enter');
    await expect(
      page.getByRole('heading', { level: 1, name: 'Written and committed' }),
    ).toBeFocused();
    await expect(page).toHaveTitle('Written · Nixstrap');
    await page.screenshot({ path: join(SCREENSHOTS, 'keyboard-done.png') });
  });

  test('the steps say which one is current and which are completed', async ({ page }) => {
    await openWizard(page);
    await continueToAnswers(page);
    await continueToPlan(page);
    const steps = page.getByRole('navigation', { name: 'Wizard steps' });
    await expect(steps.locator('[aria-current="step"]')).toHaveText(/Review the plan/);
    // The state is read out with the name; browsers may put a space before the comma.
    await expect(steps.getByRole('button', { name: /^This machine ?, completed$/ })).toBeEnabled();
    await expect(steps.getByRole('button', { name: /^About you ?, completed$/ })).toBeEnabled();
    await expect(steps.getByRole('button', { name: /^Secrets ?, completed$/ })).toBeEnabled();
    await expect(
      steps.getByRole('button', { name: /^Build and switch ?, not available yet$/ }),
    ).toBeDisabled();
  });

  test('the diff is no live region: choosing a file announces nothing', async ({ page }) => {
    await openWizard(page);
    await continueToAnswers(page);
    await continueToPlan(page);
    await page.getByTestId('repo-path').fill(join(parent, 'quiet'));
    await page.getByTestId('compute-plan').click();
    await expect(page.getByTestId('diff')).toBeVisible();
    await expect(page.locator('.file-detail [aria-live], .file-detail[aria-live]')).toHaveCount(0);
  });
});

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`a phone-sized window, ${colorScheme}`, () => {
    test.use({ viewport: { width: 390, height: 844 }, colorScheme });

    test('every screen fits 390 px: tables reflow, banners wrap', async ({ page }) => {
      await openWizard(page);
      await expectNoSidewaysScroll(page);
      const table = page.getByTestId('file-systems');
      if ((await table.count()) > 0) {
        const box = await table.boundingBox();
        expect(box?.width ?? 0).toBeLessThanOrEqual(390);
        const scroller = await table.evaluate((element) => {
          const parent = element.parentElement as HTMLElement;
          return parent.scrollWidth - parent.clientWidth;
        });
        expect(scroller).toBeLessThanOrEqual(0);
      }
      await page.screenshot({
        path: join(SCREENSHOTS, `narrow-facts-${colorScheme}.png`),
        fullPage: true,
      });

      await continueToAnswers(page);
      await expectNoSidewaysScroll(page);
      await page.screenshot({
        path: join(SCREENSHOTS, `narrow-answers-${colorScheme}.png`),
        fullPage: true,
      });

      await continueToPlan(page);
      await page.getByTestId('repo-path').fill(join(parent, 'missing-repo'));
      await page.getByTestId('journey-add-host').check();
      await page.getByTestId('compute-plan').click();
      await expect(page.getByTestId('error-banner')).toBeFocused();
      await expectNoSidewaysScroll(page);
      await page.screenshot({ path: join(SCREENSHOTS, `narrow-error-${colorScheme}.png`) });

      // A folder named in one long word, as people name them: its path breaks wherever shown.
      const repo = join(parent, 'Configurations', 'infrastructure_of_all_our_machines_at_home');
      await page.getByTestId('repo-path').fill(repo);
      await page.getByTestId('journey-init').check();
      await page.getByTestId('compute-plan').click();
      await expect(page.getByTestId('plan')).toBeVisible();
      await expectNoSidewaysScroll(page);
      await page.screenshot({
        path: join(SCREENSHOTS, `narrow-plan-${colorScheme}.png`),
        fullPage: true,
      });

      await page.getByTestId('apply-plan').click();
      await expect(page.getByTestId('done')).toBeVisible();
      await expectNoSidewaysScroll(page);
      await page.screenshot({
        path: join(SCREENSHOTS, `narrow-done-${colorScheme}.png`),
        fullPage: true,
      });
    });
  });
}
