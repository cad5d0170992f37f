import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
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

test('a page reloaded after a run of megabytes shows its end, under a note of what was skipped', async ({
  page,
}) => {
  test.setTimeout(300_000);
  const work = mkdtempSync(join(tmpdir(), 'nixstrap-e2e-skip-'));
  // About 2.8 MB of build log: 26 derivations of 1,000 lines each (one builder argument stays
  // under Linux's 128 KiB).
  const steps = Array.from({ length: 26 }, (_, s) => ({
    name: `big-${s}`,
    lines: Array.from({ length: 1000 }, (_, i) => `step ${s} line ${i} ${'x'.repeat(90)}`),
  }));
  const flake = makeStandInFlake(
    { demo: { label: '25.05.big', steps } },
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
    await page.getByTestId('action-build').check();
    await page.getByTestId('start-rebuild').click();
    await expect(page.getByTestId('outcome')).toHaveAttribute('data-status', 'succeeded', {
      timeout: 240_000,
    });

    await page.reload();
    await expect(page.locator('body[data-app-state="ready"]')).toBeAttached();
    await expect.poll(() => terminalText(page)).toContain('Closure:');
    const lines = (await terminalText(page)).split('\n');
    // The note heads what the terminal holds: it fits the scrollback, and so does the end.
    expect(lines.findIndex((line) => line.trim() !== '')).toBe(
      lines.findIndex((line) =>
        /^… about 2\.\d MiB of output skipped to keep up; the run's full log has it …$/.test(
          line.trim(),
        ),
      ),
    );
    const buildLines = lines.filter((line) => /^big-\d+> step \d+ line \d+ /.test(line)).length;
    expect(buildLines, 'the end of 26,000 lines').toBeGreaterThan(1000);
    expect(buildLines).toBeLessThan(4000);
    // Found as a user would, with the terminal's own search.
    await page.getByPlaceholder('Find in the output').fill('skipped to keep up');
    await page.keyboard.press('Enter');
    await page.waitForTimeout(300);
    await page
      .getByTestId('terminal')
      .screenshot({ path: join(SCREENSHOTS, 'rebuild-reloaded-skip.png') });
  } finally {
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
});
