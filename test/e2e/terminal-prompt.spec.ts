import { readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { SCREENSHOTS, terminalText } from './app';
import { serveStandIn, startStandInRebuild } from './stand-in-serve';

test("a switch that asks for sudo's password says so above the terminal, which takes the keys", async ({
  page,
}) => {
  test.setTimeout(240_000);
  // The stand-in activation asks as sudo does: Nixstrap runs as root here, where sudo never asks.
  const standIn = await serveStandIn('nixstrap-e2e-prompt-', {
    demo: {
      label: '25.05.prompt',
      activationPassword: { user: 'alice', password: 'correct horse' },
      activationLines: ['activating the configuration...'],
    },
  });
  try {
    await startStandInRebuild(page, standIn, 'demo', 'switch');
    await page.getByTestId('confirm').click({ timeout: 180_000 });

    const asked = page.getByTestId('terminal-prompt');
    await expect(asked).toContainText('The command asks for the password of alice', {
      timeout: 60_000,
    });
    await expect(asked).toContainText('“[sudo] password for alice:”');
    // The keyboard is in the terminal already: typing answers the prompt.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.closest('.run-terminal') !== null))
      .toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, 'rebuild-password.png'), fullPage: true });
    // On a phone, in the dark: the note and its button inside the page's width.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.emulateMedia({ colorScheme: 'dark' });
    await asked.scrollIntoViewIfNeeded();
    const overflow = await asked.evaluate((box) => box.scrollWidth > box.clientWidth);
    expect(overflow).toBe(false);
    await page.screenshot({ path: join(SCREENSHOTS, 'rebuild-password-390-dark.png') });
    await page.setViewportSize({ width: 1180, height: 860 });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.getByTestId('terminal').click();
    await page.keyboard.type('correct horse');
    await page.keyboard.press('Enter');

    await expect(page.getByTestId('outcome')).toHaveAttribute('data-status', 'succeeded', {
      timeout: 60_000,
    });
    await expect(asked).toHaveCount(0);
    const shown = await terminalText(page);
    expect(shown).toContain('activating the configuration...');
    expect(shown, 'the password is never on screen').not.toContain('correct horse');
    expect(readlinkSync(standIn.profile)).toBe('system-1-link');

    // The finished run's log replays the prompt without asking again.
    await page.reload();
    await expect(page.locator('body[data-app-state="ready"]')).toBeAttached();
    await expect.poll(() => terminalText(page)).toContain('activating the configuration...');
    await page.waitForTimeout(500);
    await expect(asked).toHaveCount(0);
  } finally {
    await standIn.stop();
  }
});
