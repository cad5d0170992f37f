import { execFileSync } from 'node:child_process';
import { mkdirSync, realpathSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { standInEnv } from '../helpers/stand-in-flake';
import { openWizard, SCREENSHOTS } from './app';
import { type StandInServe, serveStandIn, startStandInRebuild } from './stand-in-serve';

/**
 * A machine whose running system is a specialisation (`gaming`) of its current generation: a
 * switch from the app offers to stay in it, as the owner's desktop would otherwise change under
 * them. The stand-in activations move the stand-in /run/current-system as real ones move theirs.
 */

let standIn: StandInServe;
let runDir: string;

test.beforeAll(async () => {
  standIn = await serveStandIn(
    'nixstrap-e2e-specialisation-',
    { demo: { label: '25.05.1', specialisations: ['gaming'] } },
    (work) => ({
      NIXSTRAP_RUN_DIR: join(work, 'run'),
      STANDIN_ACTIVATION_DIR: join(work, 'run'),
    }),
  );
  runDir = join(standIn.work, 'run');
  mkdirSync(runDir);
  // Generation 1, built from the flake as it is, runs its gaming specialisation.
  const attribute = `${standIn.flake.dir}#nixosConfigurations.demo.config.system.build.toplevel`;
  const link = join(standIn.work, 'generation-1');
  execFileSync('nix', ['build', attribute, '--out-link', link], {
    env: standInEnv(),
    stdio: 'ignore',
  });
  const first = realpathSync(link);
  execFileSync('nix-env', ['-p', standIn.profile, '--set', first], { env: standInEnv() });
  symlinkSync(realpathSync(join(first, 'specialisation/gaming')), join(runDir, 'current-system'));
  // The next build is another system, with a gaming specialisation too.
  standIn.flake.update({ demo: { label: '25.05.2', specialisations: ['gaming'] } });
});

test.afterAll(async () => {
  await standIn?.stop();
});

test.describe('Build and switch while a specialisation runs', () => {
  test.describe.configure({ timeout: 240_000 });

  test('offers to stay in the running specialisation, ticked, and activates the new one of it', async ({
    page,
  }) => {
    await startStandInRebuild(page, standIn, 'demo', 'switch');
    const changes = page.getByTestId('changes');
    await expect(changes).toBeVisible({ timeout: 120_000 });
    const stay = page.getByTestId('stay-in-specialisation');
    await expect(stay).toBeChecked();
    await expect(changes.getByText('Stay in specialisation gaming')).toBeVisible();
    await page.screenshot({
      path: join(SCREENSHOTS, 'rebuild-confirm-specialisation.png'),
      fullPage: true,
    });
    await page.getByTestId('confirm').click();
    await expect(page.getByTestId('outcome')).toHaveAttribute('data-status', 'succeeded', {
      timeout: 60_000,
    });
    expect(standIn.flake.calls()).toEqual(['gaming/switch-to-configuration switch']);
    const second = realpathSync(standIn.profile);
    expect(realpathSync(join(runDir, 'current-system'))).toBe(
      realpathSync(join(second, 'specialisation/gaming')),
    );
    // Kept, so no revert runs after the test.
    const banner = page.getByTestId('keep-banner');
    await expect(banner).toBeVisible();
    await banner.getByTestId('keep').click();
    await expect(banner).toHaveCount(0);

    // The Generations screen says what runs: the new generation, in its gaming specialisation.
    await page.getByTestId('open-generations').click();
    const listed = page.getByTestId('generation-2');
    await expect(listed).toContainText('running now · specialisation gaming');
    await expect(listed).toContainText(/B · specialisation gaming/);
    await listed.click();
    await expect(page.getByTestId('generation-specialisations')).toHaveText(
      'gaming (gaming is running now)',
    );
    await page.screenshot({
      path: join(SCREENSHOTS, 'generations-specialisation.png'),
      fullPage: true,
    });
  });

  test('a rollback stays in it too, ticked, comparing its own systems; unticked, the base', async ({
    page,
  }) => {
    // After the switch above: generation 2 runs its gaming specialisation, and generation 1 has one.
    await openWizard(page, standIn.server.url);
    await page.getByTestId('open-generations').click();
    await page.getByTestId('generation-1').click();
    await page.getByTestId('rollback').click();
    const dialog = page.getByTestId('rollback-dialog');
    const stay = dialog.getByTestId('stay-in-specialisation');
    await expect(stay).toBeChecked();
    await expect(dialog.getByRole('heading', { name: 'What will change' })).toHaveText(
      'What will change in specialisation gaming',
    );
    // Unticked, the plan is the base configuration's, and says so (once planned again).
    await stay.click();
    await expect(stay).not.toBeChecked();
    await expect(dialog.getByRole('heading', { name: 'What will change' })).toHaveText(
      'What will change',
    );
    await stay.click();
    await expect(stay).toBeChecked();
    await expect(dialog.getByRole('heading', { name: 'What will change' })).toHaveText(
      'What will change in specialisation gaming',
    );
    await page.screenshot({
      path: join(SCREENSHOTS, 'rollback-specialisation.png'),
      fullPage: true,
    });
    await dialog.getByTestId('confirm-rollback').click();
    await expect(page.getByTestId('run-result')).toContainText('Generation 1 is in place.', {
      timeout: 60_000,
    });
    expect(standIn.flake.calls().at(-1)).toBe('gaming/switch-to-configuration switch');
    const first = realpathSync(standIn.profile);
    expect(realpathSync(join(runDir, 'current-system'))).toBe(
      realpathSync(join(first, 'specialisation/gaming')),
    );
    const banner = page.getByTestId('keep-banner');
    await expect(banner).toBeVisible();
    await banner.getByTestId('keep').click();
    await expect(banner).toHaveCount(0);
  });
});
