import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, type Locator, type Page, test } from '@playwright/test';
import { gitEnvAt } from '../helpers/git-at';
import { activationEvents } from '../helpers/ledger-activations';
import { loseLastCommit } from '../helpers/lost-commit';
import { STAND_IN_NIX_CONFIG, type StandInHost } from '../helpers/stand-in-flake';
import { continueToAnswers, continueToPlan, openWizard, SCREENSHOTS, terminalText } from './app';
import { keepStandInEnv, profileWithGenerations } from './profile-generations';
import { ROOT, type Serving, startServe } from './serve';

/** What the run's terminal (on the page, or in a part of it) shows, read from xterm's buffer. */

/** The generation a profile link points at, read from disk as Nix sees it. */
function currentNumber(profile: string): number {
  return Number(/-(\d+)-link$/.exec(fs.readlinkSync(profile))?.[1]);
}

const older: StandInHost = {
  label: '25.05.20250101.aaaaaaa',
  steps: [{ name: 'hello-2.12' }, { name: 'curl-8.5.0' }],
};
const newer: StandInHost = {
  label: '25.05.20250201.bbbbbbb',
  steps: [{ name: 'hello-2.13' }, { name: 'git-2.44.0' }],
};
const newest: StandInHost = {
  label: '25.05.20250301.ccccccc',
  steps: [{ name: 'hello-2.14' }, { name: 'git-2.45.0' }],
};

let serving: Serving | null = null;
const restoreEnv = keepStandInEnv();
test.afterEach(async () => {
  await serving?.stop();
  serving = null;
  restoreEnv();
});

/** What of `within` reaches past the right edge of the window, which then scrolls sideways. */
function pastRightEdge(within: Locator): Promise<string[]> {
  return within.evaluate((root) =>
    [root, ...Array.from(root.querySelectorAll('*'))]
      .filter((element) => element.getBoundingClientRect().right > window.innerWidth)
      .map((element) => `${element.tagName}.${element.className}`),
  );
}

/**
 * Real switches on a stand-in flake, one a host (two unless told), then `nixstrap serve` on that
 * profile. `flakeFolder` names the flake's folder, in the test's own temporary folder. With
 * `runningMoves`, the stand-in activation points the stand-in /run's current-system as NixOS's
 * does, so what runs follows each switch (and each try until the next reboot).
 */
async function switches(
  keepSeconds: number,
  {
    flakeFolder,
    hosts = [older, newer],
    runningMoves = false,
    nixpkgsDates,
  }: {
    flakeFolder?: string;
    hosts?: StandInHost[];
    runningMoves?: boolean;
    /** A local git input `nixpkgs`, committed at each date and locked anew before each switch. */
    nixpkgsDates?: string[];
  } = {},
) {
  const nixpkgs = nixpkgsDates
    ? path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nixstrap-e2e-nixpkgs-')), 'nixpkgs')
    : '';
  const nixpkgsRevs: string[] = [];
  const machine = await profileWithGenerations({
    prefix: 'nixstrap-e2e-generations-',
    hosts,
    runningMoves,
    ...(flakeFolder ? { flakeFolder } : {}),
    ...(nixpkgsDates ? { inputs: { nixpkgs: `git+file://${nixpkgs}` } } : {}),
    beforeSwitch: (index, flake) => {
      const date = nixpkgsDates?.[index];
      if (date) nixpkgsRevs.push(advanceInput(nixpkgs, flake.dir, date));
    },
  });
  expect(currentNumber(machine.profile)).toBe(hosts.length);
  serving = await startServe([
    '--data-dir',
    machine.dataDir,
    '--profile',
    machine.profile,
    '--keep-seconds',
    String(keepSeconds),
  ]);
  return { ...machine, nixpkgsRevs, url: serving.url };
}

/**
 * A new commit of the local input at `date`, and the flake's lock moved to it as
 * `nix flake update` would (the first build locks it by itself); its full rev.
 */
function advanceInput(source: string, flakeDir: string, date: string): string {
  const env = gitEnvAt(date);
  if (!fs.existsSync(source)) {
    fs.mkdirSync(source);
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: source });
  }
  fs.writeFileSync(path.join(source, 'version'), date);
  execFileSync('git', ['add', '-A'], { cwd: source, env });
  execFileSync('git', ['commit', '-q', '-m', date], { cwd: source, env });
  if (fs.existsSync(path.join(flakeDir, 'flake.lock'))) {
    execFileSync('nix', ['flake', 'lock', '--update-input', 'nixpkgs'], {
      cwd: flakeDir,
      env: { ...process.env, NIX_CONFIG: STAND_IN_NIX_CONFIG },
      stdio: 'ignore',
    });
  }
  return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: source, encoding: 'utf8' }).trim();
}

/** The generations screen, in the browser, of a machine with two switches made. */
async function generationsAfterTwoSwitches(
  page: Page,
  keepSeconds: number,
  options: Parameters<typeof switches>[1] = {},
) {
  const machine = await switches(keepSeconds, options);
  await openWizard(page, machine.url);
  await page.getByTestId('open-generations').click();
  return machine;
}

test('the generations screen lists both switches, shows the diff, rolls back and reverts by itself when not kept', async ({
  page,
}) => {
  test.setTimeout(150_000);
  const machine = await generationsAfterTwoSwitches(page, 8);
  await expect(page.getByRole('heading', { level: 1, name: 'Generations' })).toBeVisible();
  // The profile is named for what it holds, in the words its users know.
  await expect(page.getByTestId('profile')).toHaveText(`Profile ${machine.profile} · NixOS system`);
  const second = page.getByTestId('generation-2');
  const first = page.getByTestId('generation-1');
  await expect(second).toContainText('25.05.20250201.bbbbbbb');
  await expect(second).toContainText('current');
  await expect(first).toContainText('25.05.20250101.aaaaaaa');
  await expect(first).not.toContainText('current');
  // Each button is read as one phrase, not as its parts run together.
  await expect(
    page.getByRole('button', { name: /^Generation 2: 25\.05\.20250201\.bbbbbbb, current, / }),
  ).toBeVisible();
  await page.screenshot({ path: path.join(SCREENSHOTS, 'generations-list.png'), fullPage: true });

  await first.click();
  const detail = page.getByTestId('generation-detail');
  await expect(detail.getByTestId('closure-changes')).toContainText('hello 2.13 → 2.12');
  await expect(detail.getByTestId('closure-changes')).toContainText('curl 8.5.0');
  await expect(detail.getByTestId('closure-changes')).toContainText('git 2.44.0');
  await expect(detail).toContainText('Commit');
  // The repo is named, not linked: a file: link would open nothing.
  await expect(detail.getByTestId('generation-commit')).toContainText(`in ${machine.flake.dir}`);
  await expect(detail.getByRole('link')).toHaveCount(0);
  // Choosing a generation puts the keyboard on its title; the detail is no live region that
  // would then read out every package of its changes.
  await expect(detail.getByTestId('generation-detail-title')).toBeFocused();
  await expect(detail).not.toHaveAttribute('aria-live');
  // A landmark with a name, found among the page's regions as what it is.
  await expect(page.getByRole('complementary', { name: 'Selected generation' })).toContainText(
    'Generation 1',
  );
  await page.screenshot({ path: path.join(SCREENSHOTS, 'generations-diff.png'), fullPage: true });

  await detail.getByTestId('rollback').click();
  const dialog = page.getByTestId('rollback-dialog');
  await expect(dialog).toContainText('Roll back to generation 1?');
  await expect(dialog).toContainText('What will change');
  await expect(dialog).toContainText('hello 2.13 → 2.12');
  // The repo on offer is the one generation 1 was built from, where its commit is.
  // It says where the repo is now, as the CLI does: at generation 2's commit.
  const head = execFileSync('git', ['-C', machine.flake.dir, 'rev-parse', 'HEAD'], {
    encoding: 'utf8',
  }).trim();
  await expect(dialog).toContainText(
    `Also put ${machine.flake.dir}, now at ${head.slice(0, 12)}, on a new branch`,
  );
  await expect(dialog.getByRole('note')).toHaveCount(0);
  await page.screenshot({
    path: path.join(SCREENSHOTS, 'generations-confirm.png'),
    fullPage: true,
  });
  expect(currentNumber(machine.profile)).toBe(2);

  // The dialog keeps the keyboard: Tab goes round inside it, Escape closes it and goes back to
  // the button that opened it.
  const confirm = dialog.getByTestId('confirm-rollback');
  await expect(confirm).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(dialog.locator(':focus')).toHaveCount(1);
  await page.keyboard.press('Shift+Tab');
  await expect(confirm).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(detail.getByTestId('rollback')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(confirm).toBeFocused();

  await confirm.click();
  // The dialog's button is gone, and so will be the one that opened it: the run takes the keyboard.
  // Its title is a section of the screen: no heading level skipped under the h1.
  // Headed by what it does, in the words of the button pressed; its id beside, as detail.
  const rollbackRun = page.getByTestId('rollback-run');
  await expect(
    rollbackRun.getByRole('heading', { level: 2, name: 'Roll back to generation 1' }),
  ).toBeFocused();
  await expect(rollbackRun.getByTestId('rollback-run-id')).toHaveText(/^Run \S+$/);
  await expect(page.getByTestId('run-result')).toContainText('Generation 1 is in place.');
  await expect(page.getByTestId('rollback-phase')).toHaveText('Activate: done');
  await expect.poll(() => terminalText(page)).toContain('--switch-generation 1');
  expect(currentNumber(machine.profile)).toBe(1);
  expect(machine.flake.calls()).toEqual([
    'switch-to-configuration switch',
    'switch-to-configuration switch',
    'switch-to-configuration switch',
  ]);
  await expect(first).toContainText('current');
  const keep = page.getByTestId('keep-banner');
  await expect(keep).toContainText('Keep this configuration?');
  await expect(keep).toContainText('goes back to generation 2');
  // A question with a deadline: named for assistive technology, and it takes the keyboard.
  await expect(page.getByRole('alertdialog', { name: 'Keep this configuration?' })).toBeVisible();
  await expect(keep.getByTestId('keep')).toBeFocused();
  await page.screenshot({ path: path.join(SCREENSHOTS, 'generations-keep.png'), fullPage: true });

  // Nobody answers: the engine goes back to generation 2 by itself, in a run of its own.
  await expect(keep).toBeHidden({ timeout: 30_000 });
  await expect(page.getByTestId('revert-notice')).toContainText(
    'Generation 1 was not kept in time, so Nixstrap went back to generation 2.',
    { timeout: 30_000 },
  );
  await expect(page.getByTestId('run-result')).toContainText('Generation 2 is in place.');
  await expect(second).toContainText('current');
  await expect.poll(() => terminalText(page)).toContain('--switch-generation 2');
  expect(currentNumber(machine.profile)).toBe(2);
  expect(machine.flake.calls()).toHaveLength(4);
  // xterm draws only what is in view, so the terminal is brought into view for the picture.
  await page.getByTestId('terminal').scrollIntoViewIfNeeded();
  await expect(page.getByTestId('terminal').locator('.xterm-rows')).toContainText(
    'switching profile from version 1 to 2',
  );
  await page.screenshot({ path: path.join(SCREENSHOTS, 'generations-reverted.png') });
  await expect
    .poll(() => activationEvents(machine.dataDir))
    .toEqual([
      { event: 'rolled-back', number: 1 },
      { event: 'rolled-back', number: 2 },
      { event: 'auto-reverted', number: 1 },
    ]);
  // A page opened after the revert (reloaded, or through a new SSH tunnel once the switch took
  // the old one down) still says why the machine is back on generation 2, on every screen.
  const told = 'Generation 1 was not kept in time, so Nixstrap went back to generation 2.';
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Generations' })).toBeVisible();
  await expect(page.getByTestId('revert-notice')).toContainText(told);
  await openWizard(page, machine.url);
  await expect(page.getByTestId('revert-notice')).toContainText(
    /Generation 1 was not kept in time, so Nixstrap went back to generation 2 in run \d{14}-\w+\./,
  );
});

test('a generation whose commit, or whose whole repo, is gone says so in its detail', async ({
  page,
}) => {
  test.setTimeout(150_000);
  const machine = await switches(0);
  const lost = loseLastCommit(machine.flake.dir);
  await openWizard(page, machine.url);
  await page.getByTestId('open-generations').click();
  const detail = page.getByTestId('generation-detail');
  const gone = detail.getByTestId('generation-commit-gone');

  await page.getByTestId('generation-2').click();
  await expect(gone).toHaveText(
    `Generation 2 was built from commit ${lost.slice(0, 12)}, which is no longer in ${machine.flake.dir}: it stays the current generation, but the configuration repo can no longer build it.`,
  );
  await expect(gone).toHaveAttribute('role', 'note');
  // A sentence, not a bold title the length of a paragraph.
  await expect(gone.locator('p')).toHaveCSS('font-weight', '400');
  // The generation in use has no way back to offer; it shows what its switch changed.
  await expect(detail.getByRole('button')).toHaveCount(0);
  await expect(detail.getByTestId('compare-title')).toHaveText('From generation 1 to 2');
  await expect(detail.getByTestId('closure-changes')).toContainText('hello 2.12 → 2.13');
  await page.screenshot({
    path: path.join(SCREENSHOTS, 'generations-commit-gone.png'),
    fullPage: true,
  });

  // Generation 1's commit is still there: nothing to say, and the dialog offers to move the repo.
  await page.getByTestId('generation-1').click();
  await expect(detail.getByTestId('generation-detail-title')).toHaveText(/^Generation 1/);
  await expect(detail.getByTestId('closure-changes')).toBeVisible();
  await expect(gone).toHaveCount(0);

  fs.renameSync(machine.flake.dir, `${machine.flake.dir}-moved`);
  await page.getByTestId('generation-2').click();
  await page.getByTestId('generation-1').click();
  await expect(gone).toContainText(`in ${machine.flake.dir}, which no longer exists`);
  // As `nixstrap generations 1` and rollback do, it says how to name the folder it was moved to.
  await expect(gone.getByTestId('repo-moved-hint')).toHaveText(
    'If the repo was moved, enter the folder it was moved to as the configuration repository in step 4, Review the plan, then choose generation 1 again.',
  );
  await detail.getByTestId('rollback').click();
  const dialog = page.getByTestId('rollback-dialog');
  await expect(dialog.getByRole('note')).toHaveText(await gone.locator('p').first().innerText());
  await expect(dialog.getByRole('note').locator('p')).toHaveCSS('font-weight', '400');
  await expect(dialog).not.toContainText('Also put');
  await page.screenshot({
    path: path.join(SCREENSHOTS, 'generations-repo-gone-confirm.png'),
    fullPage: true,
  });
});

test('a generation whose system is no longer in the store says so in its detail, offers no way back to it, and deletes', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const machine = await switches(600);
  const gone = '/nix/store/00000000000000000000000000000000-nixos-system-demo-gone';
  fs.rmSync(`${machine.profile}-1-link`);
  fs.symlinkSync(gone, `${machine.profile}-1-link`);
  await openWizard(page, machine.url);
  await page.getByTestId('open-generations').click();
  // One row, which says what became of its system and guesses nothing it cannot read.
  const row = page.getByTestId('generation-1');
  await expect(row).toHaveCount(1);
  await expect(row.locator('.tag-gone')).toHaveText('files gone from the Nix store');
  await expect(row).not.toContainText('deleted');
  await expect(row).toContainText('version unknown');
  await expect(row).not.toContainText('?');
  await row.click();
  const detail = page.getByTestId('generation-detail');
  await expect(detail.getByTestId('generation-store-path')).toHaveText(gone);
  // Told once, in its place: no comparison to fail, no button whose press could only be refused;
  // its link keeps it from the garbage collector, so nothing says it was collected.
  await expect(detail.getByTestId('store-path-gone')).toHaveText(
    'Its system (the store path above) is gone from the Nix store, so it can be neither compared nor activated again. Deleting it removes the link that still names it from the profile.',
  );
  await expect(page.getByTestId('error-banner')).toHaveCount(0);
  await expect(detail.getByText('Comparing closures…')).toHaveCount(0);
  await expect(detail.getByTestId('compare-with')).toHaveCount(0);
  await expect(detail.getByTestId('rollback')).toHaveCount(0);
  await expect(detail.getByTestId('boot-into')).toHaveCount(0);
  await page.screenshot({
    path: path.join(SCREENSHOTS, 'generations-store-path-gone.png'),
    fullPage: true,
  });

  await detail.getByTestId('delete-generation').click();
  await expect(page.getByTestId('delete-dialog').getByRole('heading', { level: 2 })).toHaveText(
    'Delete generation 1?',
  );
  await page.getByTestId('confirm-delete').click();
  await expect(page.getByTestId('run-result').locator('.banner-title')).toContainText(
    'Deleted generation 1',
  );
  expect(fs.existsSync(`${machine.profile}-1-link`)).toBe(false);
  expect(currentNumber(machine.profile)).toBe(2);
});

test('after Boot into, "the previous generation" is refused in view and focused, naming both', async ({
  page,
}) => {
  test.setTimeout(150_000);
  // A repo path of one long word, as people name folders: it breaks, never pushing the page sideways.
  const machine = await switches(0, {
    flakeFolder: 'Configurations/infrastructure_of_all_our_machines_at_home',
  });
  // The machine runs generation 2, as /run/current-system tells on NixOS.
  fs.symlinkSync(fs.realpathSync(machine.profile), path.join(machine.runDir, 'current-system'));
  await page.setViewportSize({ width: 390, height: 700 });
  await openWizard(page, machine.url);
  await page.getByTestId('open-generations').click();
  await page.getByTestId('generation-1').click();
  const detail = page.getByTestId('generation-detail');
  await expect(detail.getByTestId('generation-commit')).toContainText(machine.flake.dir);
  expect(await pastRightEdge(detail)).toEqual([]);
  await page.getByTestId('boot-into').click();
  const moveRepo = page.getByTestId('rollback-dialog').getByRole('checkbox');
  await expect(moveRepo).toBeVisible();
  expect(await pastRightEdge(page.getByTestId('rollback-dialog'))).toEqual([]);
  await page.getByTestId('confirm-rollback').click();
  await expect(page.getByTestId('run-result')).toHaveText(
    'Generation 1 is the boot default from the next boot on.',
  );

  const previous = page.getByTestId('rollback-previous');
  await previous.focus();
  await page.keyboard.press('Enter');
  const refusal = page.getByRole('alert');
  await expect(refusal).toContainText(
    'Generation 2 is running now and generation 1 is the boot default, so "the previous generation" is not one generation.',
  );
  // The hint names what no button can show, and leaves the choices to the buttons.
  await expect(refusal.locator('.banner-hint')).toHaveText(
    'No generation comes before the boot default. Roll back with the button below, or choose any generation in the list.',
  );
  await expect(refusal).toBeFocused();
  await expect(refusal).toBeInViewport();
  // Asking again would be refused again: the way on is a choice it offers, or one from the list.
  await expect(refusal.getByRole('button', { name: 'Try again' })).toHaveCount(0);
  await expect(refusal.getByTestId('before-running')).toHaveText(
    'Roll back to 1 (before the running one)',
  );
  await expect(refusal.getByTestId('before-boot-default')).toHaveCount(0);
  expect(await pastRightEdge(refusal)).toEqual([]);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'generations-previous-refused-390.png') });
  await page.getByTestId('generation-2').click();
  await expect(refusal).toHaveCount(0);

  // Booting back into generation 2: the repo is at its commit already, so there is no repo to move.
  const bootInto = page.getByTestId('boot-into');
  await bootInto.click();
  const dialog = page.getByTestId('rollback-dialog');
  await expect(dialog).toContainText('Boot into generation 2?');
  await expect(dialog.getByRole('checkbox')).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(bootInto).toBeFocused();
  expect(currentNumber(machine.profile)).toBe(1);
});

test('with one generation there is nothing to roll back to: the button says so before it is pressed', async ({
  page,
}) => {
  test.setTimeout(90_000);
  const machine = await switches(0, { hosts: [older] });
  await openWizard(page, machine.url);
  await page.getByTestId('open-generations').click();
  await expect(page.getByTestId('generation-1')).toContainText('current');
  const previous = page.getByTestId('rollback-previous');
  // Not a button that only answers with an error: it is off, and the reason is beside it.
  await expect(previous).toBeDisabled();
  await expect(previous).toHaveAccessibleDescription(
    'Generation 1 is the oldest one left: there is nothing before it to roll back to.',
  );
  await expect(page.getByTestId('nothing-before')).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
  expect(currentNumber(machine.profile)).toBe(1);
});

test('Try until the next reboot runs an older generation; the profile and the boot default stay', async ({
  page,
}) => {
  test.setTimeout(150_000);
  const machine = await switches(0, { runningMoves: true });
  await openWizard(page, machine.url);
  await page.getByTestId('open-generations').click();
  await expect(page.getByTestId('generation-2')).toContainText('current');
  await page.getByTestId('generation-1').click();
  const tryIt = page.getByTestId('try-until-reboot');
  await expect(tryIt).toHaveText('Try 1 until the next reboot');
  await tryIt.click();
  const dialog = page.getByTestId('rollback-dialog');
  await expect(dialog.getByRole('heading', { level: 2 })).toHaveText(
    'Try generation 1 until the next reboot?',
  );
  await expect(dialog).toContainText(
    'The system runs generation 1 now instead of generation 2, without making it the default: restarting the machine brings back the boot default.',
  );
  // The repo is not offered a move: the try ends at the next reboot, a moved repo would not.
  await expect(dialog.getByRole('checkbox')).toHaveCount(0);
  // Only the generation's own activation runs: the profile is not re-pointed.
  const tried = fs.realpathSync(`${machine.profile}-1-link`);
  await expect(dialog.locator('pre.commands')).toHaveText(
    `${tried}/bin/switch-to-configuration test`,
  );
  await page.screenshot({ path: path.join(SCREENSHOTS, 'generations-try-confirm.png') });
  await page.getByTestId('confirm-rollback').click();
  await expect(page.getByTestId('run-result')).toHaveText(
    'Generation 1 runs until the next reboot; the boot default did not change.',
  );
  await expect(page.getByTestId('generation-1')).toContainText('running now');
  await expect(page.getByTestId('generation-2')).toContainText('boot default');
  await expect(page.getByTestId('generation-2')).not.toContainText('current');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'generations-tried.png'), fullPage: true });
  expect(currentNumber(machine.profile)).toBe(2);
  expect(fs.realpathSync(path.join(machine.runDir, 'current-system'))).toBe(tried);
  expect(machine.flake.calls().at(-1)).toBe('switch-to-configuration test');
});

test('any two generations compare: the in-use one with the one before it, any other when chosen', async ({
  page,
}) => {
  test.setTimeout(150_000);
  const machine = await switches(0, { hosts: [older, newer, newest] });
  await openWizard(page, machine.url);
  await page.getByTestId('open-generations').click();
  const detail = page.getByTestId('generation-detail');

  // The generation in use shows what its switch changed.
  await page.getByTestId('generation-3').click();
  await expect(detail.getByTestId('compare-title')).toHaveText('From generation 2 to 3');
  await expect(detail.getByTestId('closure-changes')).toContainText('hello 2.13 → 2.14');

  // Generation 1 against the one in use, then against generation 2.
  await page.getByTestId('generation-1').click();
  const compareWith = detail.getByTestId('compare-with');
  await expect(compareWith).toHaveValue('3');
  await expect(compareWith.locator('option')).toHaveText(['Generation 3 (in use)', 'Generation 2']);
  await expect(detail.getByTestId('closure-changes')).toContainText('hello 2.14 → 2.12');
  await compareWith.selectOption('2');
  await expect(detail.getByTestId('compare-title')).toHaveText('From generation 2 to 1');
  await expect(detail.getByTestId('closure-changes')).toContainText('hello 2.13 → 2.12');
  await expect(detail.getByTestId('closure-changes')).not.toContainText('2.14');
  await page.screenshot({
    path: path.join(SCREENSHOTS, 'generations-compare.png'),
    fullPage: true,
  });
  expect(await pastRightEdge(page.locator('body'))).toEqual([]);
  expect(currentNumber(machine.profile)).toBe(3);

  // Rolled back to the selected generation, it is the one in use: compared, as such, with the
  // one before it, not left at "Comparing closures…".
  await page.getByTestId('generation-2').click();
  await detail.getByTestId('rollback').click();
  await page.getByTestId('confirm-rollback').click();
  await expect(page.getByTestId('run-result')).toContainText('Generation 2 is in place.');
  await expect(detail.getByTestId('compare-title')).toHaveText('From generation 1 to 2');
  await expect(detail.getByTestId('closure-changes')).toContainText('hello 2.12 → 2.13');
  await expect(detail.getByText('Comparing closures…')).toHaveCount(0);
  expect(currentNumber(machine.profile)).toBe(2);
});

test('each generation lists the flake inputs it was built from; comparing and rolling back say which moved', async ({
  page,
}) => {
  test.setTimeout(150_000);
  const machine = await generationsAfterTwoSwitches(page, 0, {
    nixpkgsDates: ['2026-11-20T10:00:00Z', '2026-11-27T10:00:00Z'],
  });
  const [before, after] = machine.nixpkgsRevs.map((rev) => rev.slice(0, 7));
  await expect(page.getByTestId('generation-2')).toContainText(`nixpkgs ${after} · 27 Nov 2026`);
  await expect(page.getByTestId('generation-1')).toContainText(`nixpkgs ${before} · 20 Nov 2026`);

  await page.getByTestId('generation-1').click();
  const detail = page.getByTestId('generation-detail');
  await expect(detail.getByTestId('generation-inputs')).toHaveText(
    `nixpkgs ${before} · 20 Nov 2026`,
  );
  const moved = `nixpkgs: ${after} (27 Nov) now, ${before} (20 Nov) in generation 1`;
  await expect(detail.getByTestId('input-differences')).toHaveText(moved);
  // Its first build locked nixpkgs itself, and that lock was never committed.
  await expect(detail.getByTestId('generation-commit')).toContainText(
    '(flake.lock written by its build, not committed)',
  );
  await page.screenshot({ path: path.join(SCREENSHOTS, 'generations-inputs.png'), fullPage: true });
  // On a phone's width the inputs and what moved wrap or cut short; nothing scrolls sideways.
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await pastRightEdge(page.locator('body'))).toEqual([]);
  await page.setViewportSize({ width: 1180, height: 860 });

  await detail.getByTestId('rollback').click();
  const dialog = page.getByTestId('rollback-dialog');
  await expect(dialog.getByTestId('input-differences')).toHaveText(moved);
  await expect(dialog).toContainText(
    'Generation 1 was built with a flake.lock its own build wrote, which commit',
  );
  await page.screenshot({
    path: path.join(SCREENSHOTS, 'generations-inputs-confirm.png'),
    fullPage: true,
  });
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  // The lock generation 1 built with is gone from the repo (nixpkgs moved since): committing
  // it now would record a lock no build of that commit used, so the button is off before it is
  // pressed, and says why.
  const commitLock = detail.getByTestId('commit-lock');
  await expect(commitLock).toBeDisabled();
  const reason = detail.getByTestId('commit-lock-unavailable');
  await expect(reason).toContainText(`${machine.flake.dir}/flake.lock is no longer the one run`);
  await expect(commitLock).toHaveAccessibleDescription(await reason.innerText());
  expect(currentNumber(machine.profile)).toBe(2);
});

test('Commit flake.lock commits the lock the build of a generation wrote, and the generation is then told by that commit', async ({
  page,
}) => {
  test.setTimeout(150_000);
  const machine = await generationsAfterTwoSwitches(page, 0, {
    hosts: [older],
    nixpkgsDates: ['2026-11-20T10:00:00Z'],
  });
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: machine.flake.dir, encoding: 'utf8' }).trim();
  const built = git('rev-parse', 'HEAD');
  await page.getByTestId('generation-1').click();
  const detail = page.getByTestId('generation-detail');
  await expect(detail.getByTestId('generation-commit')).toContainText(
    `${built.slice(0, 12)} (flake.lock written by its build, not committed)`,
  );
  await detail.getByTestId('commit-lock').click();
  const done = detail.getByTestId('commit-lock-done');
  await expect(done).toContainText(
    '(Lock flake inputs): generation 1 is recorded as built from that commit.',
  );
  const committed = git('rev-parse', 'HEAD');
  expect(git('rev-parse', 'HEAD^')).toBe(built);
  expect(git('show', '--name-only', '--format=%s', 'HEAD')).toBe('Lock flake inputs\n\nflake.lock');
  await expect(done.locator('code')).toHaveText(committed.slice(0, 12));
  // The list is read again: the generation is now told by the new commit, with nothing uncommitted.
  await expect(detail.getByTestId('generation-commit')).toHaveText(
    new RegExp(`^${committed.slice(0, 12)} Lock flake inputs in `),
  );
  await expect(page.getByTestId('generation-1')).not.toContainText('+dirty');
  await page.screenshot({
    path: path.join(SCREENSHOTS, 'generations-lock-committed.png'),
    fullPage: true,
  });
});

test('after Boot into, the refusal offers the generation before each, each opening its own confirmation', async ({
  page,
}) => {
  test.setTimeout(150_000);
  const machine = await switches(0, { hosts: [older, newer, newest] });
  // The machine runs generation 3, as /run/current-system tells on NixOS.
  fs.symlinkSync(fs.realpathSync(machine.profile), path.join(machine.runDir, 'current-system'));
  await page.setViewportSize({ width: 1180, height: 860 });
  await openWizard(page, machine.url);
  await page.getByTestId('open-generations').click();
  await page.getByTestId('generation-2').click();
  await page.getByTestId('boot-into').click();
  await page.getByTestId('confirm-rollback').click();
  await expect(page.getByTestId('run-result')).toHaveText(
    'Generation 2 is the boot default from the next boot on.',
  );

  await page.getByTestId('rollback-previous').click();
  const refusal = page.getByRole('alert');
  await expect(refusal).toBeFocused();
  const beforeRunning = refusal.getByTestId('before-running');
  const beforeBootDefault = refusal.getByTestId('before-boot-default');
  await expect(beforeRunning).toHaveText('Roll back to 2 (before the running one)');
  await expect(beforeBootDefault).toHaveText('Roll back to 1 (before the boot default)');
  // The refusal is read first; the keyboard's next stops are its choices.
  await page.keyboard.press('Tab');
  await expect(beforeRunning).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(beforeBootDefault).toBeFocused();
  await page.screenshot({ path: path.join(SCREENSHOTS, 'generations-previous-choices.png') });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(refusal).toBeInViewport();
  expect(await pastRightEdge(refusal)).toEqual([]);
  // A long choice wraps inside the banner's padding rather than running over its border.
  const overBorder = await refusal.evaluate((box) => {
    const edge = box.getBoundingClientRect().right - parseFloat(getComputedStyle(box).paddingRight);
    return Array.from(box.querySelectorAll('button'))
      .filter((b) => b.getBoundingClientRect().right > edge)
      .map((b) => b.textContent);
  });
  expect(overBorder).toEqual([]);
  await page.screenshot({
    path: path.join(SCREENSHOTS, 'generations-previous-choices-390-dark.png'),
  });

  // The choice opens the confirmation of that exact generation, as choosing it in the list does.
  await page.keyboard.press('Enter');
  const dialog = page.getByTestId('rollback-dialog');
  await expect(dialog).toContainText('Roll back to generation 1?');
  await expect(dialog).toContainText('The system switches to generation 1 now, from generation 3.');
  await expect(dialog.getByTestId('closure-changes')).toContainText('hello 2.14 → 2.12');
  await expect(dialog.getByTestId('confirm-rollback')).toBeFocused();
  await page.screenshot({
    path: path.join(SCREENSHOTS, 'generations-previous-choice-confirm-390-dark.png'),
  });
  // Cancelled, the keyboard is back on the choice, the refusal still there to choose again.
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(beforeBootDefault).toBeFocused();
  expect(currentNumber(machine.profile)).toBe(2);

  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1180, height: 860 });
  await beforeBootDefault.click();
  await page.getByTestId('confirm-rollback').click();
  await expect(page.getByTestId('run-result')).toHaveText('Generation 1 is in place.');
  await expect(refusal).toHaveCount(0);
  expect(currentNumber(machine.profile)).toBe(1);
});

test('a rollback the user keeps stays, kept from any screen', async ({ page }) => {
  test.setTimeout(150_000);
  const machine = await generationsAfterTwoSwitches(page, 60);

  // At 390 px the detail is laid out below the list: choosing a generation brings it into view
  // and puts the keyboard on its title.
  await page.setViewportSize({ width: 390, height: 700 });
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await expect(page.getByTestId('generation-detail')).not.toBeInViewport();
  await page.getByTestId('generation-1').click();
  const title = page.getByTestId('generation-detail-title');
  await expect(title).toHaveText(/^Generation 1/);
  await expect(title).toBeFocused();
  await expect(title).toBeInViewport();
  await page.screenshot({ path: path.join(SCREENSHOTS, 'generations-detail-390.png') });
  await page.setViewportSize({ width: 1180, height: 860 });

  await page.getByTestId('rollback-previous').click();
  await page.getByTestId('confirm-rollback').click();
  await expect(page.getByTestId('keep-banner')).toContainText('Keep this configuration?');
  // The question follows the user back into the wizard.
  await page.getByRole('button', { name: /This machine/ }).click();
  const banner = page.getByTestId('keep-banner');
  await expect(banner).toContainText('Generation 1 is active.');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'generations-keep-elsewhere.png') });
  await banner.getByTestId('keep').click();
  await expect(banner).toBeHidden();
  const focusLost = () => page.evaluate(() => document.activeElement === document.body);
  expect(await focusLost(), 'the keyboard goes back to where it was').toBe(false);
  await page.getByTestId('open-generations').click();
  await expect(page.getByTestId('generation-1')).toContainText('current');
  expect(currentNumber(machine.profile)).toBe(1);
  const confirmed = activationEvents(machine.dataDir).filter((a) => a.event === 'confirmed');
  expect(confirmed).toHaveLength(1);
});

test('a second tab open on Generations learns of a rollback made in the first, and can keep it', async ({
  page,
  context,
}) => {
  test.setTimeout(150_000);
  const machine = await generationsAfterTwoSwitches(page, 60);
  const other = await context.newPage();
  await openWizard(other, machine.url);
  await other.getByTestId('open-generations').click();
  await expect(other.getByTestId('generation-2')).toContainText('current');

  await page.getByTestId('rollback-previous').click();
  await page.getByTestId('confirm-rollback').click();
  await expect(page.getByTestId('keep-banner')).toContainText('Keep this configuration?');

  // The other tab shows the machine as it now is, and asks the same question.
  await expect(other.getByTestId('generation-1')).toContainText('current');
  const asked = other.getByTestId('keep-banner');
  await expect(asked).toContainText('Keep this configuration?');
  await asked.getByTestId('keep').click();
  await expect(asked).toBeHidden();
  await expect(page.getByTestId('keep-banner')).toBeHidden();
  expect(currentNumber(machine.profile)).toBe(1);
  expect(activationEvents(machine.dataDir).filter((a) => a.event === 'confirmed')).toHaveLength(1);
});

test("a second server on the data folder asks about the first one's trial, keeps it there, and the command line waits for it", async ({
  page,
  context,
}) => {
  test.setTimeout(150_000);
  const machine = await generationsAfterTwoSwitches(page, 20);
  // The app beside a `serve`, or two of them: each its own process, one data folder.
  const second = await startServe(['--data-dir', machine.dataDir, '--profile', machine.profile]);
  try {
    const other = await context.newPage();
    await openWizard(other, second.url);
    await other.getByTestId('open-generations').click();
    await expect(other.getByTestId('generation-2')).toContainText('current');

    await page.getByTestId('rollback-previous').click();
    await page.getByTestId('confirm-rollback').click();
    await expect(page.getByTestId('keep-banner')).toContainText('Keep this configuration?');
    const asked = other.getByTestId('keep-banner');
    await expect(asked).toContainText('goes back to generation 2');
    await expect(asked.getByTestId('keep-elsewhere')).toHaveText(
      /^Switched by nixstrap serve \(process \d+\) on this machine, which goes back by itself; keeping it here keeps it there too\.$/,
    );
    await other.screenshot({ path: path.join(SCREENSHOTS, 'generations-keep-other-server.png') });

    // A rollback from the command line would undo the trial behind the asking server's back.
    const refused = spawnSync(
      process.execPath,
      [
        'bin/nixstrap.js',
        'rollback',
        '--to',
        '2',
        '--yes',
        '--profile',
        machine.profile,
        '--data-dir',
        machine.dataDir,
      ],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('Generation 1 is on trial: `nixstrap serve` (process');
    expect(currentNumber(machine.profile)).toBe(1);

    await asked.getByTestId('keep').click();
    await expect(asked).toBeHidden();
    await expect(page.getByTestId('keep-banner')).toBeHidden();
    const confirmed = () =>
      activationEvents(machine.dataDir).filter((a) => a.event === 'confirmed');
    expect(confirmed()).toHaveLength(1);
    // Past the first server's deadline: it looked at the ledger and did not go back.
    await page.waitForTimeout(22_000);
    expect(currentNumber(machine.profile)).toBe(1);
    await expect(page.getByTestId('generation-1')).toContainText('current');
    await expect(page.getByTestId('revert-notice')).toHaveCount(0);
  } finally {
    await second.stop();
  }
});

test('a rollback made from the command line shows when the user comes back to the window', async ({
  page,
}) => {
  test.setTimeout(150_000);
  const machine = await generationsAfterTwoSwitches(page, 60);
  await expect(page.getByTestId('generation-2')).toContainText('current');
  execFileSync(
    process.execPath,
    [
      'bin/nixstrap.js',
      'rollback',
      '--to',
      '1',
      '--yes',
      '--profile',
      machine.profile,
      '--data-dir',
      machine.dataDir,
    ],
    { cwd: ROOT },
  );
  expect(currentNumber(machine.profile)).toBe(1);
  // Back from the terminal: the window gets the focus again.
  await page.evaluate(() => window.dispatchEvent(new Event('focus')));
  await expect(page.getByTestId('generation-1')).toContainText('current');
  await expect(page.getByTestId('generation-2')).not.toContainText('current');
});

test('a trial whose server stopped is asked again by the next one, and still reverts', async ({
  page,
}) => {
  test.setTimeout(150_000);
  // Long enough that a loaded machine stops the first server before its own countdown ends.
  const machine = await generationsAfterTwoSwitches(page, 30);
  await page.getByTestId('rollback-previous').click();
  await page.getByTestId('confirm-rollback').click();
  await expect(page.getByTestId('keep-banner')).toContainText('Keep this configuration?');
  expect(currentNumber(machine.profile)).toBe(1);

  // The process watching the trial goes away unanswered, as when the switch takes it down.
  await serving?.stop();
  serving = await startServe([
    '--data-dir',
    machine.dataDir,
    '--profile',
    machine.profile,
    '--keep-seconds',
    '8',
  ]);
  await openWizard(page, serving.url);
  const banner = page.getByTestId('keep-banner');
  await expect(banner).toContainText('Generation 1 is active.');
  await expect(banner).toContainText('goes back to generation 2');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'generations-keep-adopted.png') });
  await expect(banner).toBeHidden({ timeout: 60_000 });
  // The wizard's screens say it went back, as the generations screen does.
  await expect(page.getByTestId('revert-notice')).toHaveText(
    /Generation 1 was not kept in time, so Nixstrap went back to generation 2 in run \d{14}-[0-9a-f]{6}\./,
    { timeout: 30_000 },
  );
  await expect.poll(() => currentNumber(machine.profile), { timeout: 60_000 }).toBe(2);
  await page.getByTestId('revert-notice').getByRole('button', { name: 'Dismiss' }).click();
  await expect(page.getByTestId('revert-notice')).toHaveCount(0);
});

test('a trial whose server stops and never starts again still goes back, through its keep guard', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const machine = await generationsAfterTwoSwitches(page, 8, { runningMoves: true });
  const running = () => fs.realpathSync(path.join(machine.runDir, 'current-system'));
  const second = fs.realpathSync(`${machine.profile}-2-link`);
  expect(running()).toBe(second);
  await page.getByTestId('rollback-previous').click();
  await page.getByTestId('confirm-rollback').click();
  await expect(page.getByTestId('keep-banner')).toContainText(
    /goes back to generation 2 in \d+ s, even if Nixstrap or your connection stops\./,
  );
  await expect
    .poll(() => terminalText(page))
    .toContain('A guard puts generation 2 back unless you keep this configuration');
  expect(currentNumber(machine.profile)).toBe(1);
  expect(running()).toBe(fs.realpathSync(`${machine.profile}-1-link`));
  // A restart meanwhile (the owner the switch cut off power-cycling the machine) starts what ran.
  await expect(page.getByTestId('keep-banner')).toContainText(
    'Until you keep it, a restart starts generation 2.',
  );
  expect(fs.realpathSync(path.join(machine.runDir, 'boot-default'))).toBe(second);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'generations-keep-guard.png') });

  // Nixstrap goes away with nobody there, as when the switch cut the SSH session it ran in
  // (and the page with it: one left open would only retry its connection meanwhile).
  await serving?.stop();
  await page.goto('about:blank');
  await expect.poll(() => currentNumber(machine.profile), { timeout: 60_000 }).toBe(2);
  await expect.poll(running, { timeout: 30_000 }).toBe(second);

  // Opened again, Nixstrap says it went back, and the run it names holds the guard's log.
  serving = await startServe(['--data-dir', machine.dataDir, '--profile', machine.profile]);
  await openWizard(page, serving.url);
  const notice = page.getByTestId('revert-notice');
  await expect(notice).toContainText(
    'Generation 1 was not kept in time, so its keep guard went back to generation 2 in run',
  );
  const revertId = /in run (\d{14}-[0-9a-f]{6})/.exec((await notice.textContent()) ?? '')?.[1];
  await notice.getByRole('button', { name: `Show the log of run ${revertId}` }).click();
  await expect
    .poll(() => terminalText(page))
    .toContain('while no Nixstrap was running, so the keep guard started with its switch');
  await expect.poll(() => terminalText(page)).toContain('activating generation 2 (switch)');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'generations-guard-reverted.png') });
});

/** The wizard from its first screen to a confirmed Build and switch of the stand-in flake. */
async function switchFromWizard(page: Page, machine: Awaited<ReturnType<typeof switches>>) {
  await openWizard(page, machine.url);
  await continueToAnswers(page);
  await continueToPlan(page);
  await page.getByTestId('repo-path').fill(path.join(path.dirname(machine.dataDir), 'config'));
  await page.getByTestId('journey-init').check();
  await page.getByTestId('compute-plan').click();
  await page.getByTestId('apply-plan').click();
  await expect(page.getByTestId('commit-id')).toBeVisible();
  await page.getByTestId('go-rebuild').click();
  // The stand-in flake has no inputs to fetch; the wizard's own repo would need nixpkgs.
  await page.getByTestId('rebuild-repo').fill(machine.flake.dir);
  await page.getByTestId('rebuild-host').fill('demo');
  await page.getByTestId('start-rebuild').click();
  await page.getByTestId('confirm').click({ timeout: 60_000 });
}

test('a switch from the wizard that nobody keeps: its outcome says Nixstrap went back', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const machine = await switches(8);
  machine.flake.update({
    demo: { label: '25.05.20250301.ccccccc', steps: [{ name: 'hello-2.14' }] },
  });
  await switchFromWizard(page, machine);

  const outcome = page.getByTestId('outcome');
  const title = outcome.getByRole('heading', { level: 2 });
  await expect(outcome).toHaveAttribute('data-status', 'succeeded', { timeout: 60_000 });
  await expect(title).toHaveText('This machine now runs the new configuration, as generation 3.');
  const switchRun = await outcome.getByTestId('outcome-run').textContent();
  const keep = page.getByTestId('keep-banner');
  await expect(keep).toContainText('goes back to generation 2');

  // Nobody answers: the card that said the machine runs generation 3 no longer says so.
  await expect(keep).toBeHidden({ timeout: 30_000 });
  await expect(title).toHaveText(
    'Generation 3 was built and switched to, then Nixstrap went back to generation 2 because it was not kept.',
    { timeout: 30_000 },
  );
  await expect(outcome).not.toContainText('now runs');
  const revertRun = outcome.getByTestId('outcome-revert-run');
  await expect(revertRun).not.toHaveText(switchRun ?? '');
  await expect(revertRun).toHaveText(/\S/);
  const revertId = (await revertRun.textContent()) ?? '';
  expect(currentNumber(machine.profile)).toBe(2);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'rebuild-not-kept.png'), fullPage: true });

  // The run that went back is named in the notice and on the card, each opening its log.
  const showLog = { name: `Show the log of run ${revertId}` };
  await expect(page.getByTestId('revert-notice').getByRole('button', showLog)).toBeVisible();
  const opener = outcome.getByRole('button', showLog);
  await opener.focus();
  await page.keyboard.press('Enter');
  const log = page.getByRole('dialog', { name: `Back to generation 2: run ${revertId}` });
  await expect(log.getByRole('button', { name: 'Close' })).toBeFocused();
  await expect.poll(() => terminalText(log)).toContain('--switch-generation 2');
  await expect(log.getByRole('region', { name: `Output of run ${revertId}` })).toBeVisible();
  await page.screenshot({ path: path.join(SCREENSHOTS, 'rebuild-not-kept-log.png') });
  await page.keyboard.press('Escape');
  await expect(log).toHaveCount(0);
  await expect(opener).toBeFocused();
  // From the notice too, whose sentence is a live region: the log is read out as a dialog of
  // its own, not as more of the notice.
  const notice = page.getByTestId('revert-notice');
  const noticeOpener = notice.getByRole('button', showLog);
  await noticeOpener.click();
  await expect.poll(() => terminalText(log)).toContain('--switch-generation 2');
  await expect(notice).not.toContainText('Back to generation 2:');
  // Escape closes it from inside its terminal too, which keeps the keys it handles to itself.
  await log.getByRole('textbox', { name: 'Terminal input' }).focus();
  await page.keyboard.press('Escape');
  await expect(log).toHaveCount(0);
  await expect(noticeOpener).toBeFocused();
  await noticeOpener.click();
  await log.getByRole('button', { name: 'Close' }).click();
  await expect(log).toHaveCount(0);
  await expect(noticeOpener).toBeFocused();
  // Dismissing the notice above hides it only: the outcome still tells the revert.
  await page.getByTestId('revert-notice').getByRole('button', { name: 'Dismiss' }).click();
  await expect(page.getByTestId('revert-notice')).toBeHidden();
  await expect(title).toHaveText(/then Nixstrap went back to generation 2/);
});

test('a switch whose services failed to start is on trial too, and goes back unless kept', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const machine = await switches(8);
  machine.flake.update({
    demo: {
      label: '25.05.20250301.ccccccc',
      steps: [{ name: 'hello-2.14' }],
      activationLines: ['warning: the following units failed: sshd.service'],
      activationExitCode: 4,
    },
  });
  await switchFromWizard(page, machine);

  // sshd did not start: the owner may be locked out, so only an answer keeps it.
  await expect(page.getByTestId('outcome')).toHaveAttribute('data-status', 'failed', {
    timeout: 60_000,
  });
  await expect(page.getByTestId('outcome')).toContainText('sshd.service');
  const keep = page.getByTestId('keep-banner');
  await expect(keep).toContainText('Generation 3 is active.');
  await expect(keep).toContainText('goes back to generation 2');
  expect(currentNumber(machine.profile)).toBe(3);
  await page.screenshot({
    path: path.join(SCREENSHOTS, 'rebuild-units-failed-keep.png'),
    fullPage: true,
  });

  await expect(keep).toBeHidden({ timeout: 30_000 });
  await expect.poll(() => currentNumber(machine.profile), { timeout: 30_000 }).toBe(2);
  await expect(page.getByTestId('revert-notice')).toContainText(
    'Generation 3 was not kept in time, so Nixstrap went back to generation 2',
  );
  // The card no longer says the configuration is active: what the switch said is kept, as past.
  const outcome = page.getByTestId('outcome');
  await expect(outcome.getByRole('heading', { level: 2 })).toHaveText(
    'Generation 3 was built and switched to, then Nixstrap went back to generation 2 because it was not kept.',
  );
  await expect(outcome.getByTestId('explanation')).toContainText(
    'What the switch reported before Nixstrap went back:',
  );
  await page.screenshot({
    path: path.join(SCREENSHOTS, 'rebuild-units-failed-reverted.png'),
    fullPage: true,
  });
});

test('a revert that waits for a long build is still told on the page when it happens', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const machine = await switches(8);
  const slow: StandInHost = {
    label: '25.05.slow',
    steps: [{ name: 'slow-1.0', lines: ['started the slow part'], sleepSeconds: 45 }],
  };
  machine.flake.update({
    demo: { label: '25.05.20250301.ccccccc', steps: [{ name: 'hello-2.14' }] },
    slow,
  });
  await openWizard(page, machine.url);
  await page.getByTestId('open-generations').click();
  await page.getByTestId('generation-1').click();
  await page.getByTestId('generation-detail').getByTestId('rollback').click();
  await page.getByTestId('rollback-dialog').getByTestId('confirm-rollback').click();
  const keep = page.getByTestId('keep-banner');
  await expect(keep).toContainText('goes back to generation 2', { timeout: 60_000 });

  // A build from the command line takes the rebuild lock before the question's deadline, and
  // holds it for longer than the page used to wait for a revert after the question went.
  const build = spawn(
    process.execPath,
    [
      path.join(ROOT, 'bin/nixstrap.js'),
      'rebuild',
      '--repo',
      machine.flake.dir,
      '--host',
      'slow',
      '--action',
      'build',
      '--data-dir',
      machine.dataDir,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const built = new Promise((resolve) => build.once('exit', resolve));
  let output = '';
  await new Promise<void>((resolve, reject) => {
    build.stdout.on('data', (data: Buffer) => {
      output += data.toString();
      if (output.includes('started the slow part')) resolve();
    });
    build.once('exit', () => reject(new Error(`the build ended early: ${output}`)));
  });

  // Away from Generations (which reads its own listing), the prompt every screen shows asks.
  await page.getByRole('button', { name: /^This machine/ }).click();
  await expect(keep).toContainText('goes back to generation 2');
  await expect(keep).toBeHidden({ timeout: 30_000 });
  expect(currentNumber(machine.profile)).toBe(1);
  await built;
  // That prompt tells the revert when it comes, naming the run that went back.
  await expect(page.getByTestId('revert-notice-run')).toBeVisible({ timeout: 60_000 });
  expect(currentNumber(machine.profile)).toBe(2);
});

test('deletes a generation behind a confirmation that lists it; the boot menu is made again and the list marks it deleted', async ({
  page,
}) => {
  test.setTimeout(150_000);
  const machine = await switches(0, { hosts: [older, newer, newest], runningMoves: true });
  await openWizard(page, machine.url);
  await page.getByTestId('open-generations').click();
  // The current (and running) generation is never offered for deletion.
  await page.getByTestId('generation-3').click();
  await expect(page.getByTestId('generation-detail-title')).toContainText('Generation 3');
  await expect(page.getByTestId('delete-generation')).toHaveCount(0);

  // "All but the newest 1" names exactly 1 and 2; cancelled, nothing changes.
  await page.getByTestId('keep-newest').fill('1');
  await page.getByTestId('delete-older').click();
  const dialog = page.getByTestId('delete-dialog');
  await expect(dialog.getByRole('heading', { level: 2 })).toHaveText('Delete generations 1 and 2?');
  await expect(dialog.getByTestId('delete-list').locator('li')).toHaveCount(2);
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toHaveCount(0);

  await page.getByTestId('generation-1').click();
  await page.getByTestId('delete-generation').click();
  await expect(dialog.getByRole('heading', { level: 2 })).toHaveText('Delete generation 1?');
  await expect(dialog.getByTestId('delete-list').locator('li')).toHaveCount(1);
  await expect(dialog.getByTestId('delete-list')).toContainText('Generation 1');
  await expect(dialog).toContainText(
    'The boot menu is then made again from generation 3, so no entry names a deleted generation.',
  );
  await expect(dialog).toContainText('the space comes back only with nix-collect-garbage');
  const current = fs.realpathSync(`${machine.profile}-3-link`);
  await expect(dialog.locator('pre.commands')).toHaveText(
    `nix-env -p ${machine.profile} --delete-generations 1\n${current}/bin/switch-to-configuration boot`,
  );
  await page.screenshot({ path: path.join(SCREENSHOTS, 'generations-delete-confirm.png') });
  await page.getByTestId('confirm-delete').click();
  const result = page.getByTestId('run-result');
  await expect(result.locator('.banner-title')).toHaveText(
    'Deleted generation 1; the boot menu was made again from generation 3.',
  );
  // The space only generation 1 held, as the dialog and the run's terminal said it.
  await expect(page.getByTestId('run-result-garbage')).toHaveText(
    /^Its store paths stay until a garbage collection: nix-collect-garbage \(or nix-store --gc\) frees the space \(up to \d+(\.\d)? (B|KiB|MiB) that no kept generation shares\)\.$/,
  );
  await expect(page.getByTestId('rollback-run')).toHaveAccessibleName('Deletion run');
  await expect(
    page
      .getByTestId('rollback-run')
      .getByRole('heading', { level: 2, name: 'Delete generation 1' }),
  ).toBeVisible();
  await expect(page.getByTestId('rollback-phase')).toHaveText('Boot menu: done');
  await expect(page.getByTestId('generation-1')).toContainText('deleted');
  await expect(page.getByTestId('generation-2')).not.toContainText('deleted');
  await page.screenshot({
    path: path.join(SCREENSHOTS, 'generations-deleted.png'),
    fullPage: true,
  });
  expect(fs.existsSync(`${machine.profile}-1-link`)).toBe(false);
  expect(currentNumber(machine.profile)).toBe(3);
  expect(machine.flake.calls().at(-1)).toBe('switch-to-configuration boot');
});
