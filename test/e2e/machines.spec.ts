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
        'NixOS needs WSL2: convert this distribution, then re-detect.',
      );
      await page.screenshot({ path: join(SCREENSHOTS, 'facts-warning.png'), fullPage: true });
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
