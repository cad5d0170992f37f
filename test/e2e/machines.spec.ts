import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { openWizard, SCREENSHOTS } from './app';
import { ROOT, type Serving, startServe } from './serve';

/** Browser mode over a captured machine: what the first screen says about hardware this host is not. */
async function serveFixture(name: string): Promise<Serving> {
  return startServe(['--fixture', join(ROOT, 'test/fixtures/machines', name)]);
}

test.describe('the first screen names the machine in plain words', () => {
  for (const [fixture, label] of [
    ['hetzner-cx22', 'Virtual machine (KVM, Hetzner Cloud)'],
    ['raspberry-pi-4', 'Raspberry Pi 4'],
    ['thinkpad-t480-luks', 'Laptop'],
    ['macos-m2', 'Mac with Apple silicon'],
  ] as const) {
    test(`${fixture} is shown as "${label}"`, async ({ page }) => {
      const server = await serveFixture(fixture);
      try {
        await openWizard(page, server.url);
        await expect(page.getByTestId('fact-kind')).toHaveText(label);
        if (fixture === 'thinkpad-t480-luks') {
          await expect(page.getByTestId('fact-luks')).toContainText('LUKS luks-');
          await expect(page.getByTestId('fact-time-zone')).toHaveText('Europe/Berlin');
          await expect(page.getByTestId('fact-locale')).toHaveText('de_DE.UTF-8');
          await expect(page.getByTestId('fact-keyboard')).toHaveText('de (nodeadkeys)');
        }
        if (fixture === 'hetzner-cx22') {
          // A machine that names none of them shows no empty rows.
          await expect(page.getByTestId('fact-keyboard')).toHaveCount(0);
        }
        if (fixture === 'macos-m2') {
          await expect(page.getByTestId('fact-boot')).toHaveText('macOS starts itself');
          await expect(page.getByTestId('hardware-note')).toContainText(
            'nix-darwin needs no hardware configuration',
          );
          await expect(page.getByTestId('file-systems')).toHaveCount(0);
        }
        await page.screenshot({ path: join(SCREENSHOTS, `facts-${fixture}.png`), fullPage: true });
      } finally {
        await server.stop();
      }
    });
  }
});

test.describe('warnings come first and are announced', () => {
  test('a WSL1 machine shows why it is not supported, as an alert above the facts', async ({
    page,
  }) => {
    const server = await serveFixture('wsl1');
    try {
      await openWizard(page, server.url);
      const warnings = page.getByRole('alert').filter({ hasText: 'WSL1 is not supported' });
      await expect(warnings).toBeVisible();
      await expect(warnings).toHaveAttribute('data-testid', 'warnings');
      const warningTop = (await warnings.boundingBox())?.y ?? Number.POSITIVE_INFINITY;
      const cardTop = (await page.getByTestId('facts-card').boundingBox())?.y ?? 0;
      expect(warningTop).toBeLessThan(cardTop);
      await expect(page.getByTestId('continue')).toBeDisabled();
      await expect(page.getByTestId('continue-blocked')).toHaveText(
        'WSL1 cannot run NixOS: NixOS-WSL needs WSL2. Convert the distribution to WSL2 with wsl --set-version <distro> 2 in Windows and run Nixstrap again.',
      );
      await page.screenshot({ path: join(SCREENSHOTS, 'facts-warning.png'), fullPage: true });
    } finally {
      await server.stop();
    }
  });

  test('a correction to "Physical machine" leaves WSL1 blocked: the engine decides', async ({
    page,
  }) => {
    const server = await serveFixture('wsl1');
    try {
      await openWizard(page, server.url);
      await page.getByTestId('correct').click();
      await page.getByTestId('correct-kind').selectOption('bare-metal');
      await page.getByTestId('save-correction').click();
      await expect(page.getByTestId('fact-kind')).toContainText('corrected');
      await expect(page.getByTestId('continue-blocked')).toContainText(
        'This is WSL1, whatever its kind is set to',
      );
      await expect(page.getByTestId('continue')).toBeDisabled();
      await page.screenshot({
        path: join(SCREENSHOTS, 'facts-wsl1-corrected.png'),
        fullPage: true,
      });
    } finally {
      await server.stop();
    }
  });

  test('a host name typed in a correction follows the answers rule', async ({ page }) => {
    const server = await serveFixture('thinkpad-t480-luks');
    try {
      await openWizard(page, server.url);
      await page.getByTestId('correct').click();
      await page.getByTestId('correct-hostname').fill('Not_A Host');
      await page.getByTestId('save-correction').click();
      await expect(page.getByTestId('issue-correct-hostname')).toContainText(
        `The host name may hold only letters, digits, '-' and '_' (NixOS's networking.hostName rule); "Not_A Host" has a space`,
      );
      await expect(page.getByTestId('correction-form')).toBeVisible();
      await page.getByTestId('correct-hostname').fill('t480-renamed');
      await page.getByTestId('save-correction').click();
      await expect(page.getByTestId('correction-form')).toHaveCount(0);
      await expect(page.getByTestId('fact-hostname')).toContainText('t480-renamed');
    } finally {
      await server.stop();
    }
  });
});

test.describe('the form offers only what the machine takes', () => {
  test('a Mac gets no desktop, keyboard, locale or password, and only SSH and Tailscale', async ({
    page,
  }) => {
    const server = await serveFixture('macos-m2');
    try {
      await openWizard(page, server.url);
      await page.getByTestId('continue').click();
      await expect(page.getByTestId('answers-status')).toHaveText('All answers look good.');
      for (const gone of [
        'answer-desktop',
        'answer-keyboardLayout',
        'answer-keyboardVariant',
        'answer-locale',
        'answer-passwordHash',
        'service-docker',
        'service-printing',
        'service-bluetooth',
        'service-flatpak',
        'service-remote-desktop',
      ]) {
        await expect(page.getByTestId(gone), gone).toHaveCount(0);
      }
      await expect(page.getByTestId('service-openssh')).toBeVisible();
      await expect(page.getByTestId('service-tailscale')).toBeVisible();
      // The Mac's own zone (its /etc/localtime), not UTC: the suggestions come from the machine.
      await expect(page.getByTestId('answer-timeZone')).toHaveValue('Europe/Berlin');
      await page.screenshot({ path: join(SCREENSHOTS, 'answers-macos-m2.png'), fullPage: true });
    } finally {
      await server.stop();
    }
  });

  test('an Intel Mac is offered only the stable release', async ({ page }) => {
    const server = await serveFixture('macos-intel');
    try {
      await openWizard(page, server.url);
      await page.getByTestId('continue').click();
      const channel = page.getByTestId('answer-channel');
      await expect(channel).toContainText('Stable');
      await expect(channel).not.toContainText('Unstable');
    } finally {
      await server.stop();
    }
  });
});

test.describe('graphics driver choices can be corrected', () => {
  test("turning off NVIDIA's open modules is kept as a correction", async ({ page }) => {
    const server = await serveFixture('amd-desktop-nvidia');
    try {
      await openWizard(page, server.url);
      const graphics = page.getByTestId('fact-gpus');
      await expect(graphics).toContainText('open modules');
      await page.getByTestId('correct').click();
      await page.getByLabel(/Use NVIDIA's open kernel modules/).uncheck();
      await page.getByTestId('save-correction').click();
      await expect(graphics).not.toContainText('open modules');
      await expect(graphics).toContainText('corrected');
    } finally {
      await server.stop();
    }
  });
});
