import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { cliInit, continueToAnswers, continueToPlan, openWizard, SCREENSHOTS } from './app';
import { ROOT, type Serving, startServe } from './serve';

const PASSWORD = 'correct horse battery staple';
const FIXTURE = join(ROOT, 'test/fixtures/machines/qemu-kvm-uefi');

let parent: string;
let server: Serving | null = null;
test.beforeEach(() => {
  parent = mkdtempSync(join(tmpdir(), 'nixstrap-e2e-reinstalled-'));
});
test.afterEach(async () => {
  await server?.stop();
  server = null;
  rmSync(parent, { recursive: true, force: true });
});

test.describe('a machine reinstalled with an empty data folder', () => {
  test('the plan says its old key no longer reads its secrets, and the write drops it', async ({
    page,
  }) => {
    // Installed once, its host key (this VM has no SSH host key) made in its first data folder.
    const repo = join(parent, 'config');
    const env = { SOPS_AGE_KEY_FILE: join(parent, 'keys.txt') };
    execFileSync('age-keygen', ['-o', env.SOPS_AGE_KEY_FILE], { stdio: 'ignore' });
    const firstData = join(parent, 'first-data');
    cliInit(repo, 'test/fixtures/answers/workstation.json', FIXTURE, ['--data-dir', firstData], {
      ...process.env,
      ...env,
    });
    const oldKey = execFileSync('age-keygen', ['-y', join(firstData, 'host-keys/atlas.txt')], {
      encoding: 'utf8',
    }).trim();

    // Reinstalled: the same hardware, a new data folder, the owner's key at hand.
    server = await startServe(['--fixture', FIXTURE, '--data-dir', join(parent, 'new-data')], {
      env,
    });
    await openWizard(page, server.url);
    await continueToAnswers(page, PASSWORD);
    await page.getByTestId('answer-hostName').fill('atlas');
    await expect(page.getByTestId('answers-status')).toHaveText('All answers look good.');
    await continueToPlan(page);
    await page.getByTestId('repo-path').fill(repo);
    await page.getByTestId('journey-add-host').check();
    await page.getByTestId('compute-plan').click();
    await expect(page.getByTestId('plan-host')).toHaveText(
      'Updates host atlas, already in hosts/nixos/atlas',
    );
    await expect(page.getByTestId('plan-notices')).toContainText(
      `The old key of atlas (${oldKey}) no longer reads its secrets; the secrets are re-encrypted with a new data key.`,
    );
    await page
      .locator('[data-testid="plan-file"]', { hasText: 'hosts/nixos/atlas/secrets.yaml' })
      .click();
    const summary = page.getByTestId('encrypted-summary');
    await expect(summary).toContainText('host_atlas');
    await expect(summary).not.toContainText(oldKey);
    await page.screenshot({ path: join(SCREENSHOTS, 'plan-reinstalled.png'), fullPage: true });

    await page.getByTestId('apply-plan').click();
    await expect(page.getByTestId('commit-id')).toHaveText(/^[0-9a-f]{40}$/);
    expect(readFileSync(join(repo, '.sops.yaml'), 'utf8')).not.toContain(oldKey);
  });
});
