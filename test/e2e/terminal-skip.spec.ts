import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { SCREENSHOTS, terminalText } from './app';
import { serveStandIn, startStandInRebuild } from './stand-in-serve';

test('a page reloaded after a run of megabytes shows its end, under a note of what was skipped', async ({
  page,
}) => {
  test.setTimeout(300_000);
  // About 2.8 MB of build log: 26 derivations of 1,000 lines each (one builder argument stays
  // under Linux's 128 KiB).
  const steps = Array.from({ length: 26 }, (_, s) => ({
    name: `big-${s}`,
    lines: Array.from({ length: 1000 }, (_, i) => `step ${s} line ${i} ${'x'.repeat(90)}`),
  }));
  const standIn = await serveStandIn('nixstrap-e2e-skip-', { demo: { label: '25.05.big', steps } });
  try {
    await startStandInRebuild(page, standIn, 'demo', 'build');
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
    await standIn.stop();
  }
});
