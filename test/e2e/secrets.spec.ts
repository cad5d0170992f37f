import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { continueToAnswers, continueToSecrets, openWizard, SCREENSHOTS } from './app';
import { ROOT, type Serving, startServe } from './serve';

const WIFI = 'e2e-wifi-passphrase-5b9c1d';

/** Every file under `dir`, but those under `skip`, with its text. */
function filesUnder(dir: string, skip: string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const path = join(dir, name);
    if (skip.some((s) => path.startsWith(s)) || !statSync(path).isFile()) continue;
    out[path] = readFileSync(path, 'latin1');
  }
  return out;
}

test.describe('the Secrets step', () => {
  let home: string;
  let server: Serving;
  const keyFile = () => join(home, 'keys.txt');
  const env = () => ({ SOPS_AGE_KEY_FILE: keyFile(), NIXSTRAP_DATA_DIR: join(home, 'data') });

  test.beforeEach(async () => {
    home = mkdtempSync(join(tmpdir(), 'nixstrap-e2e-secrets-'));
    server = await startServe(['--data-dir', join(home, 'data')], { env: env() });
  });
  test.afterEach(async () => {
    await server.stop();
    rmSync(home, { recursive: true, force: true });
  });

  test('shows the keys, makes the owner key on request, and the plan shows encrypted files without their values', async ({
    page,
  }) => {
    const repo = join(home, 'nixos-config');
    await openWizard(page, server.url);
    await continueToAnswers(page);
    const hostName = await page.getByTestId('answer-hostName').inputValue();
    await continueToSecrets(page);

    await expect(page.getByTestId('secrets-enabled')).toBeChecked();
    const owner = page.getByTestId('owner-key');
    await expect(owner).toHaveAttribute('data-state', 'missing');
    await expect(owner).toContainText(keyFile());
    await page.getByTestId('create-owner-key').click();
    await expect(owner).toHaveAttribute('data-state', 'created');
    const recipient = execFileSync('age-keygen', ['-y', keyFile()], { encoding: 'utf8' }).trim();
    await expect(page.getByTestId('owner-recipient')).toHaveText(recipient);
    await expect(page.getByTestId('backup-note')).toContainText('Back it up now');
    await expect(page.getByTestId('host-key')).toContainText(`host ${hostName}`);

    await page.getByTestId('secret-name').fill('wifi');
    // Which hosts read it: a named group, set apart from the name field above it.
    const hosts = page.getByRole('radiogroup', { name: 'Which hosts can read it' });
    const field = await page.getByTestId('secret-name').boundingBox();
    const group = await hosts.boundingBox();
    expect(field && group && group.y - (field.y + field.height)).toBeGreaterThanOrEqual(8);
    await page.getByTestId('secret-shared').check();
    await expect(page.getByTestId('secret-command')).toHaveText(
      `nixstrap secrets set wifi --common --repo ~/nixos-config`,
    );
    await expect(page.getByTestId('secret-nix-line')).toHaveText(
      'sops.secrets."wifi".sopsFile = ../../../secrets/common.yaml;  # then use config.sops.secrets."wifi".path',
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'secrets.png'), fullPage: true });
    await expect(page.getByText(/AGE-SECRET-KEY/)).toHaveCount(0);

    await page.getByTestId('secrets-continue').click();
    await page.getByTestId('repo-path').fill(repo);
    await page.getByTestId('journey-init').check();
    await page.getByTestId('compute-plan').click();
    const hostSecrets = page.locator('[data-testid="plan-file"]', {
      hasText: `hosts/nixos/${hostName}/secrets.yaml`,
    });
    await expect(hostSecrets).toContainText('encrypted');
    await page.getByTestId('apply-plan').click();
    await expect(page.getByTestId('commit-id')).toHaveText(/^[0-9a-f]{40}$/);

    // A secret stored the way the step says, from a terminal.
    execFileSync(
      process.execPath,
      ['bin/nixstrap.js', 'secrets', 'set', 'wifi', '--common', '--repo', repo],
      { cwd: ROOT, input: WIFI, env: { ...process.env, ...env() } },
    );

    await page.getByRole('button', { name: 'Back to the plan' }).click();
    await page.getByTestId('compute-plan').click();
    const common = page.locator('[data-testid="plan-file"]', { hasText: 'secrets/common.yaml' });
    await expect(common).toHaveAttribute('data-action', 'unchanged');
    // Written a moment ago: the host is there, and the plan changes nothing in it.
    await expect(page.getByTestId('plan-host')).toHaveText(
      new RegExp(`^Host ${hostName}, already in hosts/nixos/${hostName}: nothing to change$`),
    );
    await common.click();
    const summary = page.getByTestId('encrypted-summary');
    await expect(summary).toContainText('Encrypted, 1 value.');
    await expect(summary).toContainText(`owner ${recipient}`);
    await expect(summary).toContainText(`host_${hostName}`);
    await page.screenshot({ path: join(SCREENSHOTS, 'plan-secrets.png'), fullPage: true });

    const ownerKey = readFileSync(keyFile(), 'utf8').match(/AGE-SECRET-KEY-1\S+/)![0];
    const storage = await page.evaluate(() => JSON.stringify({ ...sessionStorage }));
    const places: Record<string, string> = {
      page: await page.content(),
      'session storage': storage,
      'server output': server.output(),
      'git history': execFileSync('git', ['-C', repo, 'log', '-p', '--all'], { encoding: 'utf8' }),
      ...filesUnder(repo, [join(repo, '.git')]),
      ...filesUnder(join(home, 'data'), [join(home, 'data/host-keys')]),
    };
    for (const [where, text] of Object.entries(places)) {
      expect(text.includes(WIFI), where).toBe(false);
      expect(text.includes(ownerKey), where).toBe(false);
    }
  });

  test('turned off, the plan has no sops files and no sops-nix', async ({ page }) => {
    await openWizard(page, server.url);
    await continueToAnswers(page);
    await continueToSecrets(page);
    await page.getByTestId('secrets-enabled').uncheck();
    await expect(page.getByTestId('secrets-off')).toContainText('No .sops.yaml');
    await expect(page.getByTestId('owner-key')).toHaveCount(0);
    await page.getByTestId('secrets-continue').click();
    await page.getByTestId('repo-path').fill(join(home, 'plain-config'));
    await page.getByTestId('compute-plan').click();
    await expect(page.getByTestId('plan-files')).toContainText('flake.nix');
    await expect(page.getByTestId('plan-files')).not.toContainText('.sops.yaml');
    await expect(page.getByTestId('plan-files')).not.toContainText('secrets.yaml');
    expect(existsSync(keyFile())).toBe(false);
  });
});
