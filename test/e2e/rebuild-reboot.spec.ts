import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { STAND_IN_NIX_CONFIG } from '../helpers/stand-in-flake';
import { SCREENSHOTS, terminalText } from './app';
import { serveStandIn, startStandInRebuild } from './stand-in-serve';

/**
 * A stand-in for /run where the system running now has another kernel than the one booted, as
 * after a switch to a configuration with a newer kernel (NIXSTRAP_RUN_DIR points the server
 * there). Each system is a real store path, as /run's links are, so what will change is read
 * against the running one; the stand-in activation leaves these links alone.
 */
function runDirWithNewKernel(work: string): string {
  const run = join(work, 'run');
  mkdirSync(run);
  for (const [system, kernel] of [
    ['booted', 'bzImage 6.6.60'],
    ['current', 'bzImage 6.12.5'],
  ] as const) {
    const dir = join(work, `${system}-system`);
    mkdirSync(dir);
    writeFileSync(join(dir, 'kernel'), kernel);
    const stored = execFileSync('nix-store', ['--add', dir], {
      encoding: 'utf8',
      env: { ...process.env, NIX_CONFIG: STAND_IN_NIX_CONFIG },
    }).trim();
    symlinkSync(stored, join(run, `${system}-system`));
  }
  return run;
}

test('a switch whose new kernel waits for a reboot says so on the final screen', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const standIn = await serveStandIn(
    'nixstrap-e2e-reboot-',
    { demo: { label: '25.05.kernel', activationLines: ['activating the configuration...'] } },
    (work) => ({ NIXSTRAP_RUN_DIR: runDirWithNewKernel(work) }),
  );
  try {
    await startStandInRebuild(page, standIn, 'demo', 'switch');
    await page.getByTestId('confirm').click({ timeout: 180_000 });
    const outcome = page.getByTestId('outcome');
    await expect(outcome).toHaveAttribute('data-status', 'succeeded', { timeout: 60_000 });
    await expect(outcome).toContainText('This machine now runs the new configuration');
    const explanation = page.getByTestId('explanation');
    await expect(explanation).toContainText(
      'The new kernel takes effect only after a reboot; everything else is active now.',
    );
    await expect(explanation).toContainText('Reboot when it suits you');
    const shown = await terminalText(page);
    expect(shown).toContain('The new kernel takes effect only after a reboot');
    expect(shown).not.toContain('could not be read from the store');
    await outcome.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, 'rebuild-reboot.png'), fullPage: true });
  } finally {
    await standIn.stop();
  }
});
