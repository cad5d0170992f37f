import { lstatSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { makeSudoUser, type SudoUser, sudoUnavailable } from '../helpers/sudo-user';
import { SCREENSHOTS, terminalText } from './app';
import { serveStandIn, startStandInRebuild } from './stand-in-serve';

const unavailable = sudoUnavailable();
// CI runs as root with sudo installed: there the test must run, never quietly skip.
if (unavailable && process.env.CI) throw new Error(`the sudo test cannot run: ${unavailable}`);

let user: SudoUser | undefined;
test.afterAll(() => user?.close());

/** Types the user's password at sudo's prompt, into the terminal that has the keyboard. */
async function typePassword(page: Page, password: string) {
  await page.getByTestId('terminal').click();
  await page.keyboard.type(password);
  await page.keyboard.press('Enter');
}

test("a switch that asks for sudo's password says so above the terminal, which takes the keys", async ({
  page,
}) => {
  test.skip(unavailable !== null, unavailable ?? '');
  test.setTimeout(240_000);
  // Nixstrap served by a user who is not root, whose real sudo asks for a password.
  user = await makeSudoUser();
  const standIn = await serveStandIn(
    'nixstrap-e2e-prompt-',
    { demo: { label: '25.05.prompt', activationLines: ['activating the configuration...'] } },
    () => ({}),
    user,
  );
  try {
    await startStandInRebuild(page, standIn, 'demo', 'switch');
    await page.getByTestId('confirm').click({ timeout: 180_000 });

    const asked = page.getByTestId('terminal-prompt');
    await expect(asked).toContainText(`The command asks for the password of ${user.name}`, {
      timeout: 60_000,
    });
    await expect(asked).toContainText(`“[sudo] password for ${user.name}:”`);
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
    // Setting the profile asked; the activation, in the same terminal session, does not ask again.
    await typePassword(page, user.password);

    await expect(page.getByTestId('outcome')).toHaveAttribute('data-status', 'succeeded', {
      timeout: 60_000,
    });
    await expect(asked).toHaveCount(0);
    const shown = await terminalText(page);
    expect(shown).toContain('activating the configuration...');
    expect(shown.split(`[sudo] password for ${user.name}:`).length, 'sudo asked once').toBe(2);
    expect(shown, 'the password is never on screen').not.toContain(user.password);
    expect(readlinkSync(standIn.profile)).toBe('system-1-link');
    expect(lstatSync(`${standIn.profile}-1-link`).uid, 'set by root, through sudo').toBe(0);

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
