import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { libxcryptVerifies } from '../helpers/libxcrypt';
import { openWizard, SCREENSHOTS } from './app';
import { ROOT, type Serving, startServe } from './serve';

/** A real key pair made with ssh-keygen for these tests; the private half was thrown away. */
const KEY =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFKBdkfpjpZIyHH+XIPNWJ9GKLTMK9pWHsHvWSDpKZNn alice@laptop';
const PASSWORD = 'plain-password-never-kept-9f3c';

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

async function toAnswers(page: Page): Promise<void> {
  await page.getByTestId('continue').click();
  await expect(
    page.getByRole('heading', { level: 1, name: 'About you and this machine' }),
  ).toBeVisible();
}

test.describe('a cloud server the owner could not get back into is not written', () => {
  let server: Serving;
  let parent: string;
  test.beforeEach(async () => {
    parent = mkdtempSync(join(tmpdir(), 'nixstrap-e2e-access-'));
    server = await startServe([
      '--fixture',
      join(ROOT, 'test/fixtures/machines/hetzner-cx22'),
      '--data-dir',
      join(parent, 'data'),
    ]);
  });
  test.afterEach(async () => {
    await server.stop();
    rmSync(parent, { recursive: true, force: true });
  });

  test('SSH off and no key: refused next to the field; with a key and a password it writes', async ({
    page,
  }) => {
    await openWizard(page, server.url);
    await toAnswers(page);

    // Hetzner: SSH is the way in, so unticking it is refused where the user unticked it.
    await expect(page.getByTestId('answer-services')).toContainText('SSH is the way in here');
    await page.getByTestId('service-openssh').uncheck();
    const services = page.getByTestId('issue-services');
    await expect(services).toContainText(
      'Keep "SSH server" on: this is a Hetzner Cloud server, with no screen or keyboard, so SSH is the only way in after the switch.',
    );
    await expect(page.getByTestId('issue-passwordHash')).toContainText('Set a password for deploy');
    await expect(page.getByTestId('continue')).toBeDisabled();
    await expect(page.getByTestId('answers-status')).toHaveText(/answers need attention/);
    await services.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, 'access-refused.png'), fullPage: true });

    // SSH back on, still no key: the sentence moves to the key box.
    await page.getByTestId('service-openssh').check();
    await expect(page.getByTestId('issue-services')).toHaveCount(0);
    await expect(page.getByTestId('issue-sshAuthorizedKeys')).toContainText(
      'Add an SSH public key (or allow password login over SSH)',
    );

    // The password, typed twice, leaves the page as a hash only.
    await page.getByTestId('password').fill(PASSWORD);
    await page.getByTestId('password-again').fill(`${PASSWORD}x`);
    await expect(page.getByTestId('issue-passwordHash')).toContainText('The two passwords differ.');
    await page.getByTestId('password-again').fill(PASSWORD);
    await page.getByTestId('password-set-button').click();
    await expect(page.getByTestId('password-set')).toBeVisible();
    await expect(page.getByTestId('password')).toHaveCount(0);

    // The same key twice counts once.
    await page.getByTestId('answer-sshAuthorizedKeys').fill(`${KEY}\n${KEY}\n`);
    await expect(page.getByTestId('answers-status')).toHaveText('All answers look good.');
    await expect(page.getByTestId('continue')).toBeEnabled();
    await page.screenshot({ path: join(SCREENSHOTS, 'access-ok.png'), fullPage: true });

    const stored = await page.evaluate(() => JSON.stringify({ ...sessionStorage }));
    expect(stored).not.toContain(PASSWORD);
    expect(stored).not.toMatch(/\$6\$rounds=/);

    await page.getByTestId('continue').click();
    await expect(page.getByRole('heading', { level: 1, name: 'Secrets' })).toBeVisible();
    // Secrets off: the hash then sits in the host's file, where this test can check it.
    await page.getByTestId('secrets-enabled').uncheck();
    await page.getByTestId('secrets-continue').click();
    await expect(page.getByRole('heading', { level: 1, name: 'Review the plan' })).toBeVisible();

    const repo = join(parent, 'nixos-config');
    await page.getByTestId('repo-path').fill(repo);
    await page.getByTestId('journey-init').check();
    await page.getByTestId('compute-plan').click();
    await expect(page.getByTestId('plan-notices')).toContainText(
      "The hash of deploy's password is in hosts/nixos/web-1/default.nix",
    );
    await page.getByTestId('apply-plan').click();
    await expect(page.getByTestId('commit-id')).toHaveText(/^[0-9a-f]{40}$/);

    const host = readFileSync(join(repo, 'hosts/nixos/web-1/default.nix'), 'utf8');
    const hash = /initialHashedPassword = "([^"]+)";/.exec(host)?.[1] ?? '';
    expect(libxcryptVerifies(PASSWORD, hash)).toBe(true);
    expect(host.split(KEY).length).toBe(2);
    expect(host).toContain('services.openssh.enable = true;');

    const everywhere = [
      ...[repo, join(parent, 'data')].flatMap(filesUnder).map((f) => readFileSync(f, 'latin1')),
      execFileSync('git', ['-C', repo, 'log', '-p', '--all'], { encoding: 'latin1' }),
      server.output(),
      JSON.stringify(await page.evaluate(() => ({ ...sessionStorage, ...localStorage }))),
    ].join('\n');
    expect(everywhere).not.toContain(PASSWORD);
  });
});
