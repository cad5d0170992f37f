import { mkdirSync, mkdtempSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import type { TerminalElement } from '../../renderer/components/TerminalView';
import { makeStandInFlake, STAND_IN_NIX_CONFIG } from '../helpers/stand-in-flake';
import { continueToAnswers, continueToPlan, openWizard, SCREENSHOTS } from './app';
import { startServe } from './serve';

function terminalText(page: Page): Promise<string> {
  return page
    .getByTestId('terminal')
    .evaluate((element) => (element as TerminalElement).terminalText?.() ?? '');
}

test("a switch that asks for sudo's password says so above the terminal, which takes the keys", async ({
  page,
}) => {
  test.setTimeout(240_000);
  const work = mkdtempSync(join(tmpdir(), 'nixstrap-e2e-prompt-'));
  // The stand-in activation asks as sudo does: Nixstrap runs as root here, where sudo never asks.
  const flake = makeStandInFlake(
    {
      demo: {
        label: '25.05.prompt',
        activationPassword: { user: 'alice', password: 'correct horse' },
        activationLines: ['activating the configuration...'],
      },
    },
    { dir: join(work, 'flake') },
  );
  const profile = join(work, 'profiles', 'system');
  mkdirSync(dirname(profile), { recursive: true });
  const server = await startServe(['--data-dir', join(work, 'data'), '--profile', profile], {
    env: { NIX_CONFIG: STAND_IN_NIX_CONFIG },
  });
  try {
    await openWizard(page, server.url);
    await continueToAnswers(page);
    await continueToPlan(page);
    await page.getByTestId('repo-path').fill(join(work, 'config'));
    await page.getByTestId('journey-init').check();
    await page.getByTestId('compute-plan').click();
    await page.getByTestId('apply-plan').click();
    await expect(page.getByTestId('commit-id')).toHaveText(/^[0-9a-f]{40}$/);
    await page.getByTestId('go-rebuild').click();
    await page.getByTestId('rebuild-repo').fill(flake.dir);
    await page.getByTestId('rebuild-host').fill('demo');
    await page.getByTestId('action-switch').check();
    await page.getByTestId('start-rebuild').click();
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
    await page.keyboard.type('correct horse');
    await page.keyboard.press('Enter');

    await expect(page.getByTestId('outcome')).toHaveAttribute('data-status', 'succeeded', {
      timeout: 60_000,
    });
    await expect(asked).toHaveCount(0);
    const shown = await terminalText(page);
    expect(shown).toContain('activating the configuration...');
    expect(shown, 'the password is never on screen').not.toContain('correct horse');
    expect(readlinkSync(profile)).toBe('system-1-link');

    // The finished run's log replays the prompt without asking again.
    await page.reload();
    await expect(page.locator('body[data-app-state="ready"]')).toBeAttached();
    await expect.poll(() => terminalText(page)).toContain('activating the configuration...');
    await page.waitForTimeout(500);
    await expect(asked).toHaveCount(0);
  } finally {
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
});
