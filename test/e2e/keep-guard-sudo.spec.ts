import fs from 'node:fs';
import path from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import type { StandInHost } from '../helpers/stand-in-flake';
import { makeSudoUser, type SudoUser, sudoUnavailable } from '../helpers/sudo-user';
import { openWizard, SCREENSHOTS, terminalText } from './app';
import { keepStandInEnv, profileWithGenerations } from './profile-generations';
import { type Serving, startServe } from './serve';

/**
 * The keep guard as most people start it: from a Nixstrap run by a user who is not root, through
 * real sudo, which asks for the password in the page's terminal. The guard then outlives that
 * Nixstrap as root and puts the generation before back by itself.
 */
const unavailable = sudoUnavailable();
if (unavailable && process.env.CI) throw new Error(`the sudo test cannot run: ${unavailable}`);

const older: StandInHost = { label: '25.05.20250101.aaaaaaa' };
const newer: StandInHost = { label: '25.05.20250201.bbbbbbb' };

let user: SudoUser | undefined;
let serving: Serving | null = null;
const restoreEnv = keepStandInEnv();
test.afterEach(async () => {
  await serving?.stop();
  serving = null;
  user?.close();
  restoreEnv();
});

function currentNumber(profile: string): number {
  return Number(/-(\d+)-link$/.exec(fs.readlinkSync(profile))?.[1]);
}

/** Types the password at each sudo prompt of the page's terminal until `done` holds. */
async function answerSudo(page: Page, password: string, done: () => Promise<boolean>) {
  const asked = page.getByTestId('terminal-prompt');
  let answered = 0;
  for (let waited = 0; waited < 120 && !(await done()); waited++) {
    if (await asked.isVisible()) {
      await page.getByTestId('terminal').click();
      await page.keyboard.type(password);
      await page.keyboard.press('Enter');
      answered++;
      await expect(asked).toBeHidden({ timeout: 30_000 });
    }
    await page.waitForTimeout(500);
  }
  return answered;
}

test('a rollback on trial by a user through sudo is put back by its root guard after Nixstrap is gone', async ({
  page,
}) => {
  test.skip(unavailable !== null, unavailable ?? '');
  test.setTimeout(240_000);
  user = await makeSudoUser();
  // Two generations made before, by root (an installer, say); the repo and ledger are the user's.
  // /run is root's: the stand-in activations and the guard write there, the user only reads.
  const { root, profile, dataDir, runDir, flake } = await profileWithGenerations({
    prefix: 'nixstrap-e2e-guard-sudo-',
    hosts: [older, newer],
    flakeFolder: 'flake',
    runningMoves: true,
  });
  fs.chmodSync(root, 0o755);
  user.own(flake.dir);
  user.own(dataDir);
  const second = fs.realpathSync(`${profile}-2-link`);
  const running = () => fs.realpathSync(path.join(runDir, 'current-system'));
  expect(running()).toBe(second);

  const serveAsUser = (keepSeconds: string[]) =>
    startServe(['--data-dir', dataDir, '--profile', profile, ...keepSeconds], {
      wrap: (argv) =>
        (user as SudoUser).argv(
          argv,
          (user as SudoUser).env({ NIXSTRAP_RUN_DIR: runDir, STANDIN_ACTIVATION_DIR: runDir }),
        ),
    });
  serving = await serveAsUser(['--keep-seconds', '10']);
  await openWizard(page, serving.url);
  await page.getByTestId('open-generations').click();
  await page.getByTestId('rollback-previous').click();
  await page.getByTestId('confirm-rollback').click();

  const keep = page.getByTestId('keep-banner');
  // The profile, the guard and the activation share one terminal session: sudo asks once.
  const answered = await answerSudo(page, user.password, () => keep.isVisible().catch(() => false));
  expect(answered).toBe(1);
  await expect(keep).toContainText(
    /goes back to generation 2 in \d+ s, even if Nixstrap or your connection stops\./,
  );
  await expect
    .poll(() => terminalText(page))
    .toContain('A guard puts generation 2 back unless you keep this configuration');
  expect(currentNumber(profile)).toBe(1);
  await expect(keep).toContainText('Until you keep it, a restart starts generation 2.');
  expect(fs.realpathSync(path.join(runDir, 'boot-default'))).toBe(second);
  expect(await terminalText(page)).not.toContain(user.password);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'generations-keep-guard-sudo.png') });

  // The user's Nixstrap goes away; the guard, root, needs no password to put generation 2 back.
  await serving.stop();
  await page.goto('about:blank');
  await expect.poll(() => currentNumber(profile), { timeout: 60_000 }).toBe(2);
  await expect.poll(running, { timeout: 30_000 }).toBe(second);

  serving = await serveAsUser([]);
  await openWizard(page, serving.url);
  await expect(page.getByTestId('revert-notice')).toContainText(
    'Generation 1 was not kept in time, so its keep guard went back to generation 2 in run',
  );
  fs.rmSync(root, { recursive: true, force: true });
});
