import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { decryptSops } from 'sops-age';
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

    // A secret stored where the step says, on the screen after the write.
    const store = page.getByTestId('store-secret');
    await expect(store).toContainText(
      `Only host ${hostName} (hosts/nixos/${hostName}/secrets.yaml)`,
    );
    const submit = page.getByTestId('store-secret-submit');
    // Offered as the Secrets step named it.
    await expect(page.getByTestId('store-secret-name')).toHaveValue('wifi');
    await expect(page.getByTestId('store-secret-shared')).toBeChecked();
    await page.getByTestId('store-secret-name').fill('wi/fi');
    await expect(store).toContainText('The name must be letters, digits, "_", "." or "-".');
    await page.getByTestId('store-secret-name').fill('wifi');
    await expect(submit).toBeDisabled();
    const value = page.getByTestId('store-secret-value');
    await expect(value).toHaveAttribute('type', 'password');
    await value.fill(WIFI);
    await expect(page.getByTestId('store-secret-file-command')).toHaveText(
      `nixstrap secrets set wifi --common --repo ${repo} < FILE`,
    );
    const before = execFileSync('git', ['-C', repo, 'rev-parse', 'HEAD'], { encoding: 'utf8' });
    await submit.click();
    const stored = page.getByTestId('stored-secret');
    await expect(stored).toContainText('Stored wifi in secrets/common.yaml and committed it as');
    await expect(page.getByTestId('stored-nix-line')).toHaveText(
      'sops.secrets."wifi".sopsFile = ../../../secrets/common.yaml;  # then use config.sops.secrets."wifi".path',
    );
    await expect(value).toHaveValue('');
    await expect(page.getByTestId('store-secret-name')).toHaveValue('');
    await page.screenshot({ path: join(SCREENSHOTS, 'done-secret-stored.png'), fullPage: true });
    const log = execFileSync('git', ['-C', repo, 'log', '--format=%P %s', '-1'], {
      encoding: 'utf8',
    });
    expect(log).toBe(`${before.trim()} nixstrap: set secret wifi in secrets/common.yaml\n`);
    // The owner's key opens it, read by an implementation of SOPS other than Nixstrap's.
    const ownerIdentity = readFileSync(keyFile(), 'utf8').match(/AGE-SECRET-KEY-1\S+/)![0];
    const common = readFileSync(join(repo, 'secrets/common.yaml'), 'utf8');
    expect(await decryptSops(common, { secretKey: ownerIdentity, fileType: 'yaml' })).toEqual({
      wifi: WIFI,
    });

    // Coming back to the screen (here by a reload) still says what was stored, and does not
    // offer the step's secret again once it is in the repo.
    await page.reload();
    await expect(page.getByTestId('stored-secret')).toContainText(
      'Stored wifi in secrets/common.yaml',
    );
    await expect(page.getByTestId('store-secret-name')).toHaveValue('');

    await page.getByRole('button', { name: 'Back to the plan' }).click();
    await page.getByTestId('compute-plan').click();
    const commonFile = page.locator('[data-testid="plan-file"]', {
      hasText: 'secrets/common.yaml',
    });
    await expect(commonFile).toHaveAttribute('data-action', 'unchanged');
    // Written a moment ago: the host is there, and the plan changes nothing in it.
    await expect(page.getByTestId('plan-host')).toHaveText(
      new RegExp(`^Host ${hostName}, already in hosts/nixos/${hostName}: nothing to change$`),
    );
    await commonFile.click();
    const summary = page.getByTestId('encrypted-summary');
    await expect(summary).toContainText('Encrypted, 1 value.');
    await expect(summary).toContainText(`owner ${recipient}`);
    await expect(summary).toContainText(`host_${hostName}`);
    await page.screenshot({ path: join(SCREENSHOTS, 'plan-secrets.png'), fullPage: true });

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
      expect(text.includes(ownerIdentity), where).toBe(false);
    }
  });

  test('the Secrets screen beside the wizard lists a repo of two hosts, stores a secret for one, replaces the data keys and removes it', async ({
    page,
  }) => {
    const repo = join(home, 'fleet');
    const cli = (...args: string[]) =>
      execFileSync(process.execPath, ['bin/nixstrap.js', ...args], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, ...env() },
      });
    const fixture = (name: string) => join(ROOT, 'test/fixtures/machines', name);
    cli(
      'init',
      '--repo',
      repo,
      '--answers',
      'test/fixtures/answers/workstation.json',
      '--fixture',
      fixture('thinkpad-t480-luks'),
    );
    cli(
      'add-host',
      '--repo',
      repo,
      '--answers',
      'test/fixtures/answers/pi.json',
      '--fixture',
      fixture('raspberry-pi-4'),
    );
    const ownerIdentity = readFileSync(keyFile(), 'utf8').match(/AGE-SECRET-KEY-1\S+/)![0];
    const recipient = execFileSync('age-keygen', ['-y', keyFile()], { encoding: 'utf8' }).trim();

    await openWizard(page, server.url);
    await page.getByTestId('open-secrets').click();
    await expect(page).toHaveTitle('Secrets · Nixstrap');
    // A folder that is not there: one sentence, and the screen stays usable.
    await page.getByTestId('secrets-repo').fill(join(home, 'nowhere'));
    await page.getByTestId('secrets-open').click();
    await expect(page.getByTestId('error-banner')).toBeVisible();
    await page.getByTestId('secrets-repo').fill(repo);
    await page.getByTestId('secrets-open').click();
    await expect(page.getByTestId('secrets-owner')).toContainText(recipient);
    const piFile = page.locator(
      '[data-testid="secrets-file"][data-path="hosts/nixos/garden-pi/secrets.yaml"]',
    );
    await expect(piFile.getByTestId('secrets-file-names')).toHaveText('1 value');
    await expect(piFile.getByTestId('secret-name-item')).toHaveText(['alice-passwordRemove']);
    await expect(page.getByTestId('secrets-file')).toHaveCount(3);
    await expect(
      page.locator('[data-testid="secrets-file"][data-path="secrets/common.yaml"]'),
    ).toContainText('No values yet.');

    // A token for the Pi alone, chosen among the repo's hosts.
    const store = page.getByTestId('store-secret');
    await expect(store.getByTestId('store-secret-host')).toHaveCount(2);
    await store.getByLabel('Only host garden-pi (hosts/nixos/garden-pi/secrets.yaml)').check();
    await page.getByTestId('store-secret-name').fill('mqtt-token');
    await page.getByTestId('store-secret-value').fill(WIFI);
    await page.getByTestId('store-secret-submit').click();
    await expect(page.getByTestId('stored-secret')).toContainText(
      'Stored mqtt-token in hosts/nixos/garden-pi/secrets.yaml and committed it as',
    );
    // The list is read again: the new name is in the Pi's file.
    await expect(piFile.getByTestId('secrets-file-names')).toHaveText('2 values');
    await expect(piFile.getByTestId('secret-name-item')).toHaveText([
      'alice-passwordRemove',
      'mqtt-tokenRemove',
    ]);
    const piText = () => readFileSync(join(repo, 'hosts/nixos/garden-pi/secrets.yaml'), 'utf8');
    const values = async () =>
      (await decryptSops(piText(), { secretKey: ownerIdentity, fileType: 'yaml' })) as Record<
        string,
        string
      >;
    expect((await values())['mqtt-token']).toBe(WIFI);
    const beforeRotate = piText();

    await page.getByTestId('secrets-rotate').click();
    await expect(page.getByTestId('secrets-rotated')).toContainText(
      'hosts/nixos/garden-pi/secrets.yaml',
    );
    expect(piText()).not.toBe(beforeRotate);
    expect((await values())['mqtt-token']).toBe(WIFI);
    expect(execFileSync('git', ['-C', repo, 'status', '--porcelain'], { encoding: 'utf8' })).toBe(
      '',
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'secrets-screen.png'), fullPage: true });

    // The token goes again; a host file that still names it is pointed out.
    writeFileSync(
      join(repo, 'hosts/nixos/garden-pi/mqtt.nix'),
      '{ config, ... }: { x = config.sops.secrets."mqtt-token".path; }\n',
    );
    const removeButton = page.getByRole('button', {
      name: 'Remove mqtt-token from hosts/nixos/garden-pi/secrets.yaml',
    });
    await removeButton.click();
    const dialog = page.getByTestId('remove-secret-dialog');
    await expect(dialog).toContainText('Earlier commits still hold its value, encrypted');
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
    await expect(removeButton).toBeFocused();
    await removeButton.click();
    await page.screenshot({ path: join(SCREENSHOTS, 'secrets-remove-confirm.png') });
    await page.getByTestId('confirm-remove-secret').click();
    await expect(page.getByTestId('secret-removed')).toContainText(
      'Removed from hosts/nixos/garden-pi/secrets.yaml, committed as',
    );
    await expect(page.getByTestId('secret-still-used')).toContainText(
      'Still named in hosts/nixos/garden-pi/mqtt.nix',
    );
    await expect(piFile.getByTestId('secret-name-item')).toHaveText(['alice-passwordRemove']);
    await expect(page.getByTestId('stored-secret')).toHaveCount(0);
    expect(await values()).toEqual({ 'alice-password': expect.any(String) });
    rmSync(join(repo, 'hosts/nixos/garden-pi/mqtt.nix'));
    const storage = await page.evaluate(() =>
      JSON.stringify({ ...sessionStorage, ...localStorage }),
    );
    expect(storage.includes(WIFI)).toBe(false);
    expect(server.output().includes(WIFI)).toBe(false);

    // A key of several lines pasted into the one-line value keeps every line: the value moves
    // to a text area instead of losing its breaks, and is stored byte for byte.
    const deployKey = [
      '-----BEGIN OPENSSH PRIVATE KEY-----',
      'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW',
      'QyNTUxOQAAACDeployKeyBodyForTheGardenPiOnly',
      '-----END OPENSSH PRIVATE KEY-----',
      '',
    ].join('\n');
    await store.getByLabel('Only host garden-pi (hosts/nixos/garden-pi/secrets.yaml)').check();
    await page.getByTestId('store-secret-name').fill('deploy-key');
    await page.getByTestId('store-secret-value').fill('x');
    await page.getByTestId('store-secret-value').selectText();
    await page.getByTestId('store-secret-value').evaluate((input, text) => {
      const clipboardData = new DataTransfer();
      clipboardData.setData('text/plain', text);
      input.dispatchEvent(
        new ClipboardEvent('paste', { clipboardData, bubbles: true, cancelable: true }),
      );
    }, deployKey);
    const pasted = page.getByTestId('store-secret-value');
    await expect(pasted).toHaveValue(deployKey);
    await expect(pasted).toBeFocused();
    expect(await pasted.evaluate((element) => element.tagName)).toBe('TEXTAREA');
    await expect(page.getByTestId('store-secret-pasted-lines')).toBeVisible();
    await expect(page.getByTestId('store-secret-multiline')).toBeChecked();
    // Back to one line would drop the breaks, so it is not offered while the value has them.
    await expect(page.getByTestId('store-secret-multiline')).toBeDisabled();
    await page.screenshot({ path: join(SCREENSHOTS, 'secrets-multiline.png'), fullPage: true });
    // On a phone, dark: the screen keeps one column and the text area its dots.
    const wide = page.viewportSize();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      390,
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'secrets-390-dark.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'light' });
    if (wide) await page.setViewportSize(wide);
    await page.getByTestId('store-secret-submit').click();
    await expect(page.getByTestId('stored-secret').first()).toContainText(
      'Stored deploy-key in hosts/nixos/garden-pi/secrets.yaml',
    );
    expect((await values())['deploy-key']).toBe(deployKey);

    // A key file cut short: the files are still listed, and the key is said to be unusable.
    writeFileSync(keyFile(), `${ownerIdentity.slice(0, 40)}\n`);
    await page.getByTestId('secrets-open').click();
    await expect(page.getByTestId('secrets-owner')).toContainText(
      `${keyFile()} holds no usable age key`,
    );
    await expect(page.getByTestId('secrets-file')).toHaveCount(3);
    await expect(page.getByText(ownerIdentity.slice(0, 40))).toHaveCount(0);
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
