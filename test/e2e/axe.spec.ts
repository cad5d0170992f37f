import { rmSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import {
  STAND_IN_NIX_CONFIG,
  type StandInFlake,
  type StandInHost,
} from '../helpers/stand-in-flake';
import { cliInit, continueToAnswers, continueToPlan, openWizard } from './app';
import { keepStandInEnv, profileWithGenerations } from './profile-generations';
import { ROOT, type Serving, startServe } from './serve';

/**
 * An axe-core audit of each screen a user reaches, in both colour schemes, at the default width
 * and at a phone's: no "serious" or "critical" violation anywhere. One server over a stand-in
 * flake already switched twice, so Generations has a generation to roll back to and delete.
 */

const older: StandInHost = { label: '25.05.axe-older', steps: [{ name: 'hello-2.12' }] };
const newer: StandInHost = { label: '25.05.axe-newer', steps: [{ name: 'hello-2.13' }] };
const newest: StandInHost = {
  label: '25.05.axe-newest',
  steps: [{ name: 'hello-2.14' }],
  activationLines: ['activating the configuration...'],
};

// Each scheme once and each width once: contrast follows the scheme and layout the width, so
// the two crossed looks add minutes to every run and no rule the two here miss.
const LOOKS = [
  { colorScheme: 'light', width: 1180, height: 860 },
  { colorScheme: 'dark', width: 390, height: 844 },
] as const;
const DEFAULT_LOOK = LOOKS[0];

const restoreEnv = keepStandInEnv();

let work: string;
let flake: StandInFlake;
let server: Serving;
const serverEnv = () => ({
  NIX_CONFIG: STAND_IN_NIX_CONFIG,
  NIXSTRAP_RUN_DIR: join(work, 'run'),
  SOPS_AGE_KEY_FILE: join(work, 'keys.txt'),
  NIXSTRAP_DATA_DIR: join(work, 'data'),
});

test.beforeAll(async () => {
  test.setTimeout(120_000);
  const machine = await profileWithGenerations({
    prefix: 'nixstrap-e2e-axe-',
    hosts: [older, newer],
    flakeFolder: 'flake',
  });
  ({ root: work, flake } = machine);
  server = await startServe(['--data-dir', machine.dataDir, '--profile', machine.profile], {
    env: serverEnv(),
  });
});

test.afterAll(async () => {
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
  restoreEnv();
});

/** Waits until no CSS transition runs: a colour half-way between two schemes is no colour. */
async function settle(page: Page): Promise<void> {
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((animation) => animation instanceof CSSTransition)
        .map((animation) => animation.finished.catch(() => undefined)),
    ),
  );
}

/**
 * Audits the page as it stands in each look and returns one line for each serious or critical
 * violation: the screen, the rule, the element, the looks it showed in and axe's reason.
 */
async function audit(page: Page, screen: string): Promise<string[]> {
  const found = new Map<string, { looks: string[]; why: string }>();
  for (const look of LOOKS) {
    await page.setViewportSize({ width: look.width, height: look.height });
    await page.emulateMedia({ colorScheme: look.colorScheme });
    await settle(page);
    // Legacy mode runs axe in this page alone; the default opens a blank page for each run to
    // merge the frames' results, and the app has no frames to merge.
    const { violations } = await new AxeBuilder({ page }).setLegacyMode(true).analyze();
    for (const violation of violations) {
      if (violation.impact !== 'serious' && violation.impact !== 'critical') continue;
      for (const node of violation.nodes) {
        const key = `${screen}: ${violation.id} (${violation.impact}) at ${node.target.join(' ')}`;
        const why = node.failureSummary?.split('\n').slice(1).join(' ').trim() ?? '';
        const entry = found.get(key) ?? { looks: [], why };
        entry.looks.push(`${look.colorScheme} ${look.width}px`);
        found.set(key, entry);
      }
    }
  }
  await page.setViewportSize({ width: DEFAULT_LOOK.width, height: DEFAULT_LOOK.height });
  await page.emulateMedia({ colorScheme: DEFAULT_LOOK.colorScheme });
  return [...found].map(([key, { looks, why }]) => `${key} [${looks.join(', ')}]: ${why}`);
}

test.describe('no serious or critical axe-core violation on any screen, light and dark, wide and 390 px', () => {
  // Each audit is four runs of axe; on a busy two-core machine a run can take seconds.
  test.describe.configure({ timeout: 300_000 });

  test('the wizard, each step from This machine to Build and switch and its outcome', async ({
    page,
  }) => {
    const found: string[] = [];
    await openWizard(page, server.url);
    found.push(...(await audit(page, 'This machine')));

    await continueToAnswers(page);
    const hostName = page.getByTestId('answer-hostName');
    const name = await hostName.inputValue();
    await hostName.fill('not a host name!');
    await expect(page.getByTestId('answers-status')).not.toHaveText('All answers look good.');
    found.push(...(await audit(page, 'About you, with a wrong answer')));
    await hostName.fill(name);

    await page.getByTestId('continue').click();
    await expect(page.getByRole('heading', { level: 1, name: 'Secrets' })).toBeVisible();
    await page.getByTestId('create-owner-key').click();
    await expect(page.getByTestId('owner-key')).toHaveAttribute('data-state', 'created');
    await page.getByTestId('secret-name').fill('wifi');
    found.push(...(await audit(page, 'Secrets, the key made')));

    await page.getByTestId('secrets-continue').click();
    await expect(page.getByRole('heading', { level: 1, name: 'Review the plan' })).toBeVisible();
    await page.getByTestId('repo-path').fill(join(work, 'missing-repo'));
    await page.getByTestId('journey-add-host').check();
    await page.getByTestId('compute-plan').click();
    await expect(page.getByTestId('error-banner')).toBeVisible();
    found.push(...(await audit(page, 'Review the plan, refused')));
    await page.getByTestId('repo-path').fill(join(work, 'config'));
    await page.getByTestId('journey-init').check();
    await page.getByTestId('compute-plan').click();
    await expect(page.getByTestId('diff')).toBeVisible();
    found.push(...(await audit(page, 'Review the plan, computed')));

    await page.getByTestId('apply-plan').click();
    await expect(page.getByTestId('commit-id')).toHaveText(/^[0-9a-f]{40}$/);
    found.push(...(await audit(page, 'Written')));

    await page.getByTestId('go-rebuild').click();
    await expect(page.getByRole('heading', { level: 1, name: 'Build and switch' })).toBeVisible();
    found.push(...(await audit(page, 'Build and switch')));
    flake.update({ demo: newest });
    await page.getByTestId('rebuild-repo').fill(flake.dir);
    await page.getByTestId('rebuild-host').fill('demo');
    await page.getByTestId('action-switch').check();
    await page.getByTestId('start-rebuild').click();
    await expect(page.getByTestId('changes')).toBeVisible({ timeout: 60_000 });
    found.push(...(await audit(page, 'Build and switch, what will change')));
    await page.getByTestId('confirm').click();
    const keep = page.getByTestId('keep-banner');
    await expect(keep).toContainText('Keep this configuration?', { timeout: 60_000 });
    found.push(...(await audit(page, 'Build and switch, keep this configuration?')));
    await keep.getByTestId('keep').click();
    await expect(page.getByTestId('outcome')).toHaveAttribute('data-status', 'succeeded');
    await expect(keep).toBeHidden();
    found.push(...(await audit(page, 'Build and switch, done')));

    expect(found, found.join('\n')).toEqual([]);
  });

  test('Generations, its detail and its rollback and delete dialogs', async ({ page }) => {
    const found: string[] = [];
    await openWizard(page, server.url);
    await page.getByTestId('open-generations').click();
    await expect(page.getByRole('heading', { level: 1, name: 'Generations' })).toBeVisible();
    await page.getByTestId('generation-1').click();
    await expect(page.getByTestId('closure-changes')).toBeVisible();
    found.push(...(await audit(page, 'Generations')));

    await page.getByTestId('generation-detail').getByTestId('rollback').click();
    await expect(page.getByTestId('rollback-dialog')).toContainText('What will change');
    found.push(...(await audit(page, 'Generations, rollback dialog')));
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('rollback-dialog')).toBeHidden();

    await page.getByTestId('delete-generation').click();
    await expect(page.getByTestId('delete-list')).toBeVisible();
    found.push(...(await audit(page, 'Generations, delete dialog')));
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('delete-dialog')).toBeHidden();

    expect(found, found.join('\n')).toEqual([]);
  });

  test('the Secrets screen of a repo and its remove dialog', async ({ page }) => {
    const found: string[] = [];
    const repo = join(work, 'fleet');
    cliInit(
      repo,
      'test/fixtures/answers/workstation.json',
      join(ROOT, 'test/fixtures/machines/thinkpad-t480-luks'),
      [],
      { ...process.env, ...serverEnv() },
    );
    await openWizard(page, server.url);
    await page.getByTestId('open-secrets').click();
    await expect(page).toHaveTitle('Secrets · Nixstrap');
    found.push(...(await audit(page, 'Secrets screen')));
    await page.getByTestId('secrets-repo').fill(repo);
    await page.getByTestId('secrets-open').click();
    await expect(page.getByTestId('secrets-file').first()).toBeVisible();
    found.push(...(await audit(page, 'Secrets screen, a repo open')));

    await page.getByTestId('remove-secret').first().click();
    await expect(page.getByTestId('remove-secret-dialog')).toBeVisible();
    found.push(...(await audit(page, 'Secrets screen, remove dialog')));
    await page.keyboard.press('Escape');

    expect(found, found.join('\n')).toEqual([]);
  });

  test('the page for an address without its key, and the offline notice', async ({ page }) => {
    const found: string[] = [];
    const bare = new URL(server.url);
    bare.hash = '';
    await page.goto(bare.href);
    await expect(page.getByRole('heading', { name: 'This address needs its key' })).toBeFocused();
    found.push(...(await audit(page, 'Refusal page')));

    await openWizard(page, server.url);
    await continueToAnswers(page);
    await continueToPlan(page);
    server.pause();
    try {
      await expect(page.getByTestId('offline-notice')).toBeVisible({ timeout: 10_000 });
      found.push(...(await audit(page, 'Offline notice')));
    } finally {
      server.resume();
    }
    await expect(page.getByTestId('connection')).toHaveText('Connected');

    expect(found, found.join('\n')).toEqual([]);
  });
});
