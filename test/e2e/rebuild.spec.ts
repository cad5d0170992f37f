import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { testGit } from '../helpers/git-at';
import {
  makeStandInFlake,
  STAND_IN_NIX_CONFIG,
  type StandInFlake,
} from '../helpers/stand-in-flake';
import { continueToAnswers, continueToPlan, openWizard, SCREENSHOTS, terminalText } from './app';
import { type Serving, startServe } from './serve';

/**
 * Build and switch in browser mode, from the plan to a new generation. The repo the wizard
 * writes needs nixpkgs, which this machine cannot fetch, so after the plan is written and
 * committed the rebuild step is pointed at a stand-in flake (no inputs, the same attribute
 * shape) by typing its folder and host, as a user with an existing repo would. The server
 * sets a temporary profile (`serve --profile`), so the switch is real: Nix builds, `nix-env`
 * makes the generation, the stand-in `switch-to-configuration` runs.
 */

let work: string;
let flake: StandInFlake;
let profile: string;
let server: Serving;

const KERNEL_LINES = ['compiling the stand-in kernel', 'linking the stand-in vmlinuz'];

/**
 * From the first screen to a written and committed plan, then on to Build and switch. Returns
 * the host the plan wrote.
 */
async function planAndGoOn(page: Page, repo: string): Promise<string> {
  await openWizard(page, server.url);
  await continueToAnswers(page);
  await continueToPlan(page);
  await page.getByTestId('repo-path').fill(repo);
  await page.getByTestId('journey-init').check();
  await page.getByTestId('compute-plan').click();
  const host = (await page.getByTestId('plan-for').locator('strong').nth(1).textContent()) ?? '';
  await page.getByTestId('apply-plan').click();
  // The write ends on the Done screen, which names the commit and leads on to the build.
  await expect(page.getByTestId('commit-id')).toHaveText(/^[0-9a-f]{40}$/);
  await page.getByTestId('go-rebuild').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Build and switch' })).toBeFocused();
  return host;
}

/** Whether Tab from the (empty) find field lands in the terminal: its neighbour in the Tab order. */
async function tabFromFindReachesTerminal(page: Page): Promise<boolean> {
  await page.getByTestId('terminal-search').focus();
  await page.keyboard.press('Tab');
  return page.evaluate(() => document.activeElement?.closest('.run-terminal') !== null);
}

async function pointAtStandIn(page: Page): Promise<void> {
  await page.getByTestId('rebuild-repo').fill(flake.dir);
  await page.getByTestId('rebuild-host').fill('demo');
}

test.beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'nixstrap-e2e-rebuild-'));
  flake = makeStandInFlake(
    {
      demo: {
        label: '25.05.e2e',
        steps: [
          { name: 'stand-in-kernel', lines: KERNEL_LINES, sleepSeconds: 2 },
          { name: 'stand-in-firmware', lines: ['unpacking the stand-in firmware'] },
        ],
        activationLines: ['activating the configuration...', 'setting up /etc...'],
      },
    },
    { dir: join(work, 'stand-in') },
  );
  profile = join(work, 'profiles', 'system');
  mkdirSync(dirname(profile), { recursive: true });
  server = await startServe(['--data-dir', join(work, 'data'), '--profile', profile], {
    env: { NIX_CONFIG: STAND_IN_NIX_CONFIG },
  });
});

test.afterAll(async () => {
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
});

test.describe('Build and switch, from the plan to a new generation', () => {
  // Real Nix builds on a shared two-core machine: minutes are possible, not seconds.
  test.describe.configure({ timeout: 240_000 });

  test('the build in the terminal, its count beside it, the changes before the switch, the generation on disk', async ({
    page,
  }) => {
    const repo = join(work, 'nixos-config');
    const host = await planAndGoOn(page, repo);
    // The step starts from what the plan wrote.
    expect(host).not.toBe('');
    await expect(page.getByTestId('rebuild-repo')).toHaveValue(repo);
    await expect(page.getByTestId('rebuild-host')).toHaveValue(host);
    await expect(page.getByTestId('action-switch')).toBeChecked();
    // A flake is built from git's view of the folder: tracked files as they are on disk.
    await expect(page.getByTestId('rebuild-source')).toHaveText(
      `Nix builds nixosConfigurations.${host} from the files git tracks in this folder, uncommitted changes included; a new file needs git add first.`,
    );
    // The actions are named with nixos-rebuild's own verbs.
    const actions = page.getByRole('group', { name: 'What to do with it' });
    for (const verb of ['Switch', 'Boot', 'Test', 'Build only', 'Dry build']) {
      await expect(actions.getByRole('radio', { name: new RegExp(`^${verb}\\b`) })).toHaveCount(1);
    }
    await page.screenshot({ path: join(SCREENSHOTS, 'rebuild-setup.png'), fullPage: true });

    // Before a run starts, the way back leads to the written repo, and on again to here.
    await page.getByRole('button', { name: 'Back' }).click();
    await expect(page.getByTestId('commit-id')).toBeVisible();
    await page.getByTestId('go-rebuild').click();
    await expect(page.getByTestId('rebuild-host')).toHaveValue(host);

    await pointAtStandIn(page);
    // Enter in a field starts the run, as the button does.
    await page.getByTestId('rebuild-host').press('Enter');
    await expect(page.locator('#run-title')).toBeFocused();
    await expect(page.getByTestId('terminal')).toHaveAccessibleName('Output of Build and switch');

    // The builder's own lines, while it still sleeps: the build is under way on screen.
    await expect.poll(() => terminalText(page), { timeout: 60_000 }).toContain(KERNEL_LINES[1]);
    await expect(page.getByTestId('phase-build')).toHaveAttribute('data-state', 'started');
    await expect(page.getByTestId('progress-running')).not.toHaveText('0');
    // The stand-in flake fetches nothing: the data cells say so in words, under names Nix uses.
    const progress = page.getByTestId('progress');
    await expect(progress.getByRole('term')).toContainText(['Downloaded', 'Copied to store']);
    await expect(page.getByTestId('progress-bytes')).toHaveText('nothing yet');
    await expect(page.getByTestId('progress-copied')).toHaveText('nothing yet');
    await page.screenshot({ path: join(SCREENSHOTS, 'rebuild-building.png'), fullPage: true });

    const changes = page.getByTestId('changes');
    await expect(changes).toBeVisible({ timeout: 60_000 });
    await expect(page.getByRole('heading', { name: 'What will change' })).toBeFocused();
    await expect(page.getByTestId('announce')).toHaveText(
      'The new system is built. Nixstrap waits for your go-ahead.',
    );
    // What the status line said, as it changes from here on: never the start again.
    await page.getByTestId('announce').evaluate((element) => {
      const said: string[] = [];
      (window as unknown as { said: string[] }).said = said;
      new MutationObserver(() => said.push(element.textContent ?? '')).observe(element, {
        childList: true,
        characterData: true,
        subtree: true,
      });
    });
    await expect(page.getByTestId('progress-builds')).toHaveText('3 of 3');
    await expect(page.getByTestId('progress-failed')).toHaveText('0');
    await expect(page.getByTestId('changes-added')).toContainText('nixos-system-demo');
    await expect(page.getByTestId('changes-size')).toContainText(
      'no earlier system to compare with',
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'rebuild-confirm.png'), fullPage: true });
    // A run still going takes keys (sudo's password is typed there): Tab reaches its terminal.
    expect(await tabFromFindReachesTerminal(page)).toBe(true);

    await page.getByTestId('confirm').click();
    const outcome = page.getByTestId('outcome');
    await expect(outcome).toHaveAttribute('data-status', 'succeeded', { timeout: 60_000 });
    await expect(page.getByRole('heading', { level: 2, name: /now runs/ })).toBeFocused();
    await expect(outcome).toContainText(
      'This machine now runs the new configuration, as generation 1.',
    );
    await expect(page.getByTestId('cancel-rebuild')).toHaveCount(0);
    // The outcome, focused, speaks for itself: the status line tells no phase and no start.
    await expect(page.getByTestId('announce')).toHaveText('');
    const said = await page.evaluate(() => (window as unknown as { said: string[] }).said);
    expect(said.length, 'the status line changed after the go-ahead').toBeGreaterThan(0);
    expect(said).not.toContain('Starting the build.');
    await expect(page.getByTestId('progress-bytes')).toHaveText('nothing');
    await expect.poll(() => terminalText(page)).toContain('activating the configuration...');
    // A finished run takes no more keys, so Tab goes past its terminal; its find bar still works.
    expect(await tabFromFindReachesTerminal(page)).toBe(false);
    const find = page.getByTestId('terminal-search');
    await find.fill('no such line');
    await find.press('Enter');
    await expect(page.getByTestId('terminal-search-status')).toHaveText('Not in the output');
    await find.fill('setting up /etc');
    await find.press('Enter');
    await expect(page.getByTestId('terminal-search-status')).toHaveText('');
    await find.fill('');
    await page.screenshot({ path: join(SCREENSHOTS, 'rebuild-done.png'), fullPage: true });

    // On disk: the profile moved to generation 1, which is the system the screen names.
    expect(readlinkSync(profile)).toBe('system-1-link');
    const storePath = await page.getByTestId('outcome-store-path').textContent();
    expect(readlinkSync(`${profile}-1-link`)).toBe(storePath);
    expect(flake.calls()).toEqual(['switch-to-configuration switch']);
    const listed = execFileSync('nix-env', ['-p', profile, '--list-generations'], {
      encoding: 'utf8',
    });
    expect(listed).toMatch(/^\s*1\s.*\(current\)$/m);
  });

  test('a reload mid-run replays the terminal and the progress, at 390 px', async ({ page }) => {
    flake.update({
      demo: {
        label: '25.05.reload',
        steps: [
          {
            name: 'stand-in-slow',
            lines: Array.from({ length: 40 }, (_, i) => `slow step line ${i + 1} of 40`),
            sleepSeconds: 4,
          },
        ],
      },
    });
    await page.setViewportSize({ width: 390, height: 844 });
    await planAndGoOn(page, join(work, 'second-config'));
    await pointAtStandIn(page);
    await page.getByTestId('action-build').check();
    await page.getByTestId('start-rebuild').click();
    await expect.poll(() => terminalText(page), { timeout: 60_000 }).toContain('line 40 of 40');
    const before = await terminalText(page);

    await page.reload();
    await expect(page.locator('body[data-app-state="ready"]')).toBeAttached();
    await expect.poll(() => terminalText(page)).toContain('line 40 of 40');
    const after = await terminalText(page);
    expect(after.startsWith(before.slice(0, before.indexOf('line 40 of 40')))).toBe(true);
    await expect(page.getByTestId('phase-build')).toHaveAttribute('data-state', 'started');
    await page.screenshot({ path: join(SCREENSHOTS, 'rebuild-reloaded-390.png'), fullPage: true });

    await expect(page.getByTestId('outcome')).toHaveAttribute('data-status', 'succeeded', {
      timeout: 60_000,
    });
    await expect(page.getByTestId('outcome')).toContainText(
      'The new configuration is built; nothing on this machine changed.',
    );
    await expect(page.getByTestId('progress-builds')).toHaveText('2 of 2');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width, 'nothing is wider than the screen').toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(SCREENSHOTS, 'rebuild-built-390.png'), fullPage: true });
  });

  test('a failed build says why and what to try; a cancelled one leaves the machine as it was', async ({
    page,
  }) => {
    flake.update({
      demo: {
        label: '25.05.broken',
        steps: [
          {
            name: 'stand-in-broken',
            lines: [
              'checking for cc... cc',
              'configure: error: C compiler cannot create executables',
            ],
            exitCode: 2,
          },
        ],
      },
    });
    await planAndGoOn(page, join(work, 'third-config'));
    await pointAtStandIn(page);
    await page.getByTestId('action-build').check();
    await page.getByTestId('start-rebuild').click();
    const outcome = page.getByTestId('outcome');
    await expect(outcome).toHaveAttribute('data-status', 'failed', { timeout: 60_000 });
    await expect(page.getByRole('heading', { name: 'The build did not finish.' })).toBeFocused();
    const explanation = page.getByTestId('explanation');
    await expect(explanation).toContainText('stand-in-broken');
    await expect(explanation).toContainText('What to try:');
    await expect(explanation).toContainText('C compiler cannot create executables');
    await expect(page.getByTestId('progress-failed')).toHaveText('1');
    // Nix's own count ends at "0 of 0 built"; the failed build was expected all the same.
    await expect(page.getByTestId('progress-builds')).toHaveText('0 of 1');
    await expect(outcome).not.toContainText('Exit code');
    await expect(outcome).not.toContainText('nixstrap');
    await expect(page.getByTestId('phase-build')).toHaveAttribute('data-state', 'failed');
    await page.screenshot({ path: join(SCREENSHOTS, 'rebuild-failed.png'), fullPage: true });

    // The output's find bar: its buttons wait for something to find, and a miss is said.
    const find = page.getByRole('searchbox', { name: 'Find in the output' });
    const next = page.getByRole('button', { name: 'Next match' });
    const searchStatus = page.getByTestId('terminal-search-status');
    await expect(next).toBeDisabled();
    await expect(page.getByRole('button', { name: 'Previous match' })).toBeDisabled();
    await find.fill('no such line in this build');
    await next.click();
    await expect(searchStatus).toHaveText('Not in the output');
    await find.fill('C compiler');
    await expect(searchStatus).toHaveText('');
    await find.press('Enter');
    await expect(searchStatus).toHaveText('');

    const profileBefore = readlinkSync(profile);
    flake.update({
      demo: {
        label: '25.05.slow',
        steps: [{ name: 'stand-in-forever', lines: ['this takes a while'], sleepSeconds: 60 }],
      },
    });
    await page.getByRole('button', { name: 'Try again' }).click();
    await expect(page.getByTestId('start-rebuild')).toBeFocused();
    await expect(page.getByTestId('rebuild-repo')).toHaveValue(flake.dir);
    await page.getByTestId('action-switch').check();
    await page.getByTestId('start-rebuild').click();
    await expect
      .poll(() => terminalText(page), { timeout: 60_000 })
      .toContain('this takes a while');
    // The browser's Back leaves the screen, not the run: the screen it lands on says so.
    await page.goBack();
    const going = page.getByTestId('run-going-on');
    await expect(going).toContainText(
      'Switch: demo goes on in Build and switch; leaving that screen did not stop it.',
    );
    await expect(going).toBeInViewport();
    await expect(page.getByRole('button', { name: /^Build and switch, running/ })).toBeVisible();
    await page.screenshot({ path: join(SCREENSHOTS, 'rebuild-going-on.png') });
    await going.getByRole('button', { name: 'Show it' }).click();
    await expect(going).toHaveCount(0);
    await expect.poll(() => terminalText(page)).toContain('this takes a while');
    await page.getByTestId('cancel-rebuild').click();
    await expect(outcome).toHaveAttribute('data-status', 'cancelled', { timeout: 30_000 });
    await expect(outcome).toContainText('Stopped: this machine was not changed.');
    // Stopped by the user, not failed: the build's mark says so.
    await expect(page.getByTestId('phase-build')).toHaveAttribute('data-state', 'stopped');
    expect(readlinkSync(profile), 'the profile is where it was').toBe(profileBefore);
    await page.screenshot({ path: join(SCREENSHOTS, 'rebuild-cancelled.png'), fullPage: true });
  });

  test('a refusal of the folder or the host goes as soon as either is changed', async ({
    page,
  }) => {
    await planAndGoOn(page, join(work, 'refused-config'));
    const banner = page.getByTestId('error-banner');
    for (const field of ['rebuild-repo', 'rebuild-host']) {
      // The scratch folder holds no flake.nix: the start is refused, in words, beside the form.
      await page.getByTestId('rebuild-repo').fill(work);
      await page.getByTestId('start-rebuild').click();
      await expect(banner).toContainText(`There is no flake.nix in ${work}.`);
      // Correcting what it was about takes it away: it no longer speaks of what the form holds.
      await page.getByTestId(field).fill(field === 'rebuild-repo' ? flake.dir : 'demo2');
      await expect(banner).toHaveCount(0);
    }
  });

  test('a build that wrote flake.lock offers to commit it, and Commit flake.lock commits that file alone', async ({
    page,
  }) => {
    // A repo whose first build locks its one input: a local git repo standing in for nixpkgs.
    const nixpkgs = join(work, 'lock-nixpkgs');
    mkdirSync(nixpkgs);
    testGit(nixpkgs, 'init', '-q', '-b', 'main');
    writeFileSync(join(nixpkgs, 'version'), '1\n');
    testGit(nixpkgs, 'add', '-A');
    testGit(nixpkgs, 'commit', '-q', '-m', 'nixpkgs');
    const locking = makeStandInFlake(
      { demo: { label: '25.05.lock' } },
      { dir: join(work, 'lock-stand-in'), inputs: { nixpkgs: `git+file://${nixpkgs}` } },
    );
    const built = testGit(locking.dir, 'rev-parse', 'HEAD');
    await planAndGoOn(page, join(work, 'lock-config'));
    await page.getByTestId('rebuild-repo').fill(locking.dir);
    await page.getByTestId('rebuild-host').fill('demo');
    await page.getByTestId('action-build').check();
    await page.getByTestId('start-rebuild').click();
    const outcome = page.getByTestId('outcome');
    await expect(outcome).toHaveAttribute('data-status', 'succeeded', { timeout: 60_000 });
    await expect(outcome.getByTestId('outcome-lock')).toContainText(
      'This build wrote flake.lock, which is not committed',
    );
    await outcome.getByTestId('commit-lock').click();
    const done = outcome.getByTestId('commit-lock-done');
    await expect(done).toContainText(
      '(Lock flake inputs): the build is recorded as built from that commit.',
    );
    const committed = testGit(locking.dir, 'rev-parse', 'HEAD');
    expect(testGit(locking.dir, 'rev-parse', 'HEAD^')).toBe(built);
    expect(testGit(locking.dir, 'show', '--name-only', '--format=%s', 'HEAD')).toBe(
      'Lock flake inputs\n\nflake.lock',
    );
    expect(testGit(locking.dir, 'status', '--porcelain')).toBe('');
    await expect(done.locator('code')).toHaveText(committed.slice(0, 12));
    await page.screenshot({
      path: join(SCREENSHOTS, 'rebuild-lock-committed.png'),
      fullPage: true,
    });
  });

  test('a run waiting for its go-ahead after its tab closed is shown again to the next page that asks', async ({
    page,
    browser,
  }) => {
    flake.update({ demo: { label: '25.05.orphan' } });
    // The first page starts a switch and is closed while the run waits for the go-ahead.
    const first = await browser.newContext();
    const gone = await first.newPage();
    await planAndGoOn(gone, join(work, 'orphan-config'));
    await pointAtStandIn(gone);
    await gone.getByTestId('start-rebuild').click();
    await expect(gone.getByTestId('confirm')).toBeVisible({ timeout: 60_000 });
    await first.close();

    // Another page (its own tab storage) asks for a build: the server's own run is in the way.
    await planAndGoOn(page, join(work, 'other-page-config'));
    await pointAtStandIn(page);
    await page.getByTestId('action-build').check();
    await page.getByTestId('start-rebuild').click();
    const banner = page.getByTestId('error-banner');
    await expect(banner).toContainText(
      'This Nixstrap is already running a rebuild (switch of demo',
    );
    await expect(banner).toContainText(
      'One rebuild runs at a time: on Build and switch, Show that run follows it, to answer or cancel it.',
    );
    await expect(banner).not.toContainText('nixstrap runs');
    await page.getByTestId('show-busy-run').click();
    await expect(banner).toHaveCount(0);
    await expect(page.getByRole('heading', { level: 2, name: 'Switch: demo' })).toBeVisible();
    await expect(page.getByTestId('confirm')).toBeVisible();
    await page.getByTestId('decline').click();
    await expect(page.getByTestId('outcome')).toHaveAttribute('data-status', 'cancelled', {
      timeout: 30_000,
    });
    // The lock went with the run: the build asked for first starts now.
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByTestId('action-build').check();
    await page.getByTestId('start-rebuild').click();
    await expect(page.getByTestId('outcome')).toHaveAttribute('data-status', 'succeeded', {
      timeout: 60_000,
    });
  });
});

test.describe('Build and switch while another Nixstrap runs a rebuild', () => {
  test.describe.configure({ timeout: 240_000 });

  test('offers to cancel that run when its terminal is gone, and the owner ends it as its own Cancel does', async ({
    page,
  }) => {
    const dataDir = join(work, 'data');
    const slow = makeStandInFlake(
      {
        demo: {
          steps: [{ name: 'slow-1.0', lines: ['started the slow part'], sleepSeconds: 120 }],
        },
      },
      { dir: join(work, 'slow-stand-in') },
    );
    // A build from a terminal (an SSH session since dropped), holding the server's data folder.
    const owner = spawn(
      process.execPath,
      [
        'bin/nixstrap.js',
        'rebuild',
        '--repo',
        slow.dir,
        '--host',
        'demo',
        '--action',
        'build',
        '--data-dir',
        dataDir,
      ],
      {
        env: { ...process.env, NIX_CONFIG: STAND_IN_NIX_CONFIG },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const ownerExit = new Promise<number | null>((resolve) => owner.once('exit', resolve));
    // A failed test leaves no build behind: SIGTERM is the CLI's own cancel.
    try {
      let output = '';
      await new Promise<void>((resolve) =>
        owner.stdout.on('data', (data: Buffer) => {
          output += data.toString();
          if (output.includes('started the slow part')) resolve();
        }),
      );

      await planAndGoOn(page, join(work, 'held-elsewhere-config'));
      await pointAtStandIn(page);
      await page.getByTestId('action-build').check();
      await page.getByTestId('start-rebuild').click();
      const banner = page.getByTestId('error-banner');
      await expect(banner).toContainText(`process ${owner.pid}) is running with this data folder.`);
      await expect(banner).toContainText('Cancel that run');
      await page.screenshot({
        path: join(SCREENSHOTS, 'rebuild-held-elsewhere.png'),
        fullPage: true,
      });

      await page.getByTestId('cancel-held-run').click();
      await expect(page.getByTestId('cancelled-elsewhere')).toContainText(
        'was cancelled and its log kept',
        {
          timeout: 30_000,
        },
      );
      await expect(banner).toHaveCount(0);
      expect(await ownerExit).toBe(1);
      expect(output).toContain('Cancelling… (asked by process ');

      // The lock went with the run: the build asked for starts now.
      await page.getByTestId('start-rebuild').click();
      await expect(page.getByTestId('outcome')).toHaveAttribute('data-status', 'succeeded', {
        timeout: 60_000,
      });
    } finally {
      if (owner.exitCode === null) owner.kill('SIGTERM');
    }
  });
});

test.describe('Build and switch in the dark', () => {
  test.use({ colorScheme: 'dark' });

  test('the terminal has an edge of its own on a page as dark as it is', async ({ page }) => {
    await planAndGoOn(page, join(work, 'dark-config'));
    await pointAtStandIn(page);
    await page.getByTestId('action-dry-build').check();
    await page.getByTestId('start-rebuild').click();
    await expect(page.getByTestId('outcome')).toHaveAttribute('data-status', /.+/, {
      timeout: 60_000,
    });
    const look = await page.getByTestId('terminal').evaluate((element) => {
      const own = getComputedStyle(element);
      const xterm = element.querySelector('.xterm') as HTMLElement;
      const screen = element.querySelector('.xterm-screen') as HTMLElement;
      return {
        edge: own.borderTopStyle === 'none' ? null : own.borderTopColor,
        width: own.borderTopWidth,
        page: getComputedStyle(document.documentElement).backgroundColor,
        inner: getComputedStyle(xterm).borderTopWidth,
        overhang: screen.getBoundingClientRect().bottom - element.getBoundingClientRect().bottom,
      };
    });
    expect(look.width).not.toBe('0px');
    expect(look.edge).not.toBeNull();
    expect(look.edge).not.toBe(look.page);
    // One box: xterm's own element (class "terminal" too) takes none of the frame's styles,
    // and its last row is inside the frame, not cut off under it.
    expect(look.inner).toBe('0px');
    expect(look.overhang).toBeLessThanOrEqual(0);
  });
});
