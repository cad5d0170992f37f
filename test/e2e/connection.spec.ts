import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { continueToAnswers, continueToPlan, openWizard, SCREENSHOTS } from './app';
import { type Serving, startServe } from './serve';

/** Each test gets its own `nixstrap serve` and data folder: these tests pause and stop it. */
let dataDir: string;
let server: Serving;

test.beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'nixstrap-e2e-connection-'));
  server = await startServe(['--data-dir', dataDir], { samePortAsLastTime: true });
});

test.afterEach(async () => {
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

test.describe('the page says whether Nixstrap answers', () => {
  test('a paused server shows "Offline" within seconds; the page recovers by itself and finishes what was asked', async ({
    page,
  }) => {
    await openWizard(page, server.url);
    const status = page.getByTestId('connection');
    await expect(status).toHaveText('Connected');
    await continueToAnswers(page);
    await continueToPlan(page);
    await page.getByTestId('repo-path').fill(join(dataDir, 'repo'));

    server.pause();
    const stopped = Date.now();
    await expect(status).toHaveText('Offline', { timeout: 6_000 });
    const seconds = (Date.now() - stopped) / 1000;
    expect(seconds).toBeLessThan(6);
    await expect(page.getByTestId('offline-notice')).toBeVisible();
    await page.getByTestId('compute-plan').click();
    await expect(page.getByText('Working out what to write…')).toBeVisible();
    await page.screenshot({ path: join(SCREENSHOTS, 'offline.png'), fullPage: true });

    server.resume();
    await expect(status).toHaveText('Connected');
    await expect(page.getByTestId('offline-notice')).toHaveCount(0);
    await expect(page.getByTestId('plan')).toBeVisible();
  });

  test('a stopped server shows "Offline"; the notice says how to get back', async ({ page }) => {
    await openWizard(page, server.url);
    await server.stop();
    await expect(page.getByTestId('connection')).toHaveText('Offline', { timeout: 6_000 });
    await expect(page.getByTestId('offline-notice')).toContainText('nixstrap serve');
  });

  test('after a restart the page asks for the new address, and opening it keeps the answers', async ({
    page,
  }) => {
    await openWizard(page, server.url);
    await continueToAnswers(page);
    await page.getByTestId('answer-fullName').fill('Grace Hopper');
    await continueToPlan(page);
    await page.getByTestId('repo-path').fill(join(dataDir, 'kept-repo'));

    await server.stop();
    server = await startServe(['--data-dir', dataDir], { samePortAsLastTime: true });
    await expect(page.getByTestId('connection')).toHaveText('Needs the new address', {
      timeout: 10_000,
    });
    await expect(page.getByTestId('locked-out-notice')).toContainText('Nixstrap is running at');
    await page.screenshot({ path: join(SCREENSHOTS, 'locked-out.png'), fullPage: true });

    await page.goto(server.url);
    await expect(page.locator('body[data-app-state="ready"]')).toBeAttached();
    await expect(page.getByTestId('connection')).toHaveText('Connected');
    await expect(page.getByRole('heading', { level: 1, name: 'Review the plan' })).toBeVisible();
    await expect(page.getByTestId('repo-path')).toHaveValue(join(dataDir, 'kept-repo'));
    await page.getByRole('button', { name: /About you/ }).click();
    await expect(page.getByTestId('answer-fullName')).toHaveValue('Grace Hopper');
  });
});

test.describe('an address without its key gets a page that says where the key comes from', () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    test(`the page for a missing key (${colorScheme})`, async ({ page }) => {
      await page.emulateMedia({ colorScheme });
      const bare = new URL(server.url);
      bare.hash = '';
      await page.goto(bare.href);
      await expect(page.getByRole('heading', { name: 'This address needs its key' })).toBeFocused();
      await expect(page.getByText(`Nixstrap is running at ${bare.href}#token=…`)).toBeVisible();
      await expect(page).toHaveTitle('This address needs its key · Nixstrap');
      await page.screenshot({ path: join(SCREENSHOTS, `refused-${colorScheme}.png`) });
    });
  }

  test('a reload after a restart says Nixstrap was restarted', async ({ page }) => {
    await openWizard(page, server.url);
    await server.stop();
    server = await startServe(['--data-dir', dataDir], { samePortAsLastTime: true });
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Nixstrap was restarted' })).toBeVisible();
    await expect(page.getByText('the answers you gave here are kept')).toBeVisible();
  });

  test('a wrong key in the address is refused and does not replace the good one kept', async ({
    page,
  }) => {
    await openWizard(page, server.url);
    const { origin } = new URL(server.url);
    await page.goto(`${origin}/#token=cut-short`);
    await expect(
      page.getByRole('heading', { name: 'The key in this address does not match' }),
    ).toBeVisible();
    await expect(page, 'the token must leave the address bar').not.toHaveURL(/token=/);
    await page.reload();
    await expect(page.locator('body[data-app-state="ready"]')).toBeAttached();
    await expect(page.getByTestId('connection')).toHaveText('Connected');
  });
});

test.describe('the key stays with the page for reloads and new tabs, as the address printed it', () => {
  test('a reload and a new tab of the bare address keep working', async ({ page, context }) => {
    await openWizard(page, server.url);
    await page.reload();
    await expect(page.getByTestId('connection')).toHaveText('Connected');
    const tab = await context.newPage();
    await tab.goto(new URL(server.url).origin);
    await expect(tab.locator('body[data-app-state="ready"]')).toBeAttached();
    await expect(tab.getByTestId('connection')).toHaveText('Connected');
  });

  test('an address of the older ?token= form still opens the wizard', async ({ page }) => {
    const printed = new URL(server.url);
    await openWizard(page, `${printed.origin}/?token=${printed.hash.slice('#token='.length)}`);
    await expect(page.getByTestId('connection')).toHaveText('Connected');
  });

  test('opening the new address in another tab brings a locked-out page back by itself', async ({
    page,
    context,
  }) => {
    await openWizard(page, server.url);
    await server.stop();
    server = await startServe(['--data-dir', dataDir], { samePortAsLastTime: true });
    await expect(page.getByTestId('connection')).toHaveText('Needs the new address', {
      timeout: 10_000,
    });
    await openWizard(await context.newPage(), server.url);
    await expect(page.getByTestId('connection')).toHaveText('Connected');
  });
});
