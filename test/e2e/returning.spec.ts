import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Locator, type Page, test } from '@playwright/test';
import { cliInit, continueToAnswers, continueToPlan, openWizard, SCREENSHOTS } from './app';
import { ROOT, type Serving, startServe } from './serve';

/** A real key pair made with ssh-keygen for these tests; the private half was thrown away. */
const KEY =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFKBdkfpjpZIyHH+XIPNWJ9GKLTMK9pWHsHvWSDpKZNn alice@laptop';
const PASSWORD = 'correct horse battery staple';
const HOST_FILE = 'hosts/nixos/nixos/default.nix';

let parent: string;
let server: Serving;
test.beforeEach(async () => {
  parent = mkdtempSync(join(tmpdir(), 'nixstrap-e2e-returning-'));
  server = await startServe([
    '--fixture',
    join(ROOT, 'test/fixtures/machines/qemu-kvm-uefi'),
    '--data-dir',
    join(parent, 'data'),
  ]);
});
test.afterEach(async () => {
  await server.stop();
  rmSync(parent, { recursive: true, force: true });
});

/** The repo path in, add-host chosen, the plan shown. */
async function planAddHost(page: Page, repo: string): Promise<void> {
  await page.getByTestId('repo-path').fill(repo);
  await page.getByTestId('journey-add-host').check();
  await page.getByTestId('compute-plan').click();
  await expect(page.getByTestId('plan')).toBeVisible();
}

/** How far below the bottom of `above` the top of `below` is, in pixels. */
async function gapBetween(above: Locator, below: Locator): Promise<number> {
  const [upper, lower] = await Promise.all([above.boundingBox(), below.boundingBox()]);
  if (!upper || !lower) throw new Error('both must be on screen');
  return lower.y - (upper.y + upper.height);
}

function planned(page: Page, path: string) {
  return page.locator('[data-testid="plan-file"]', { hasText: path });
}

test.describe('a machine coming back to its host is offered its previous answers', () => {
  test('the update plan offers them; taking them plans again with the SSH key and the desktop back', async ({
    page,
    browser,
  }) => {
    // A repo of two hosts: a Raspberry Pi, then this VM added from the wizard with a key and GNOME.
    const repo = join(parent, 'shared-config');
    cliInit(
      repo,
      'test/fixtures/answers/pi.json',
      join(ROOT, 'test/fixtures/machines/raspberry-pi-4'),
      ['--data-dir', join(parent, 'pi-data')],
    );
    await openWizard(page, server.url);
    await continueToAnswers(page, PASSWORD);
    await page.getByTestId('answer-sshAuthorizedKeys').fill(KEY);
    await page.getByTestId('answer-desktop').selectOption('gnome');
    await expect(page.getByTestId('answers-status')).toHaveText('All answers look good.');
    await continueToPlan(page);
    await planAddHost(page, repo);
    await expect(page.getByTestId('previous-answers')).toHaveCount(0);
    await page.getByTestId('apply-plan').click();
    await expect(page.getByTestId('commit-id')).toHaveText(/^[0-9a-f]{40}$/);
    const written = readFileSync(join(repo, HOST_FILE), 'utf8');
    expect(written).toContain(KEY);

    // Days later, a fresh window: the wizard starts again from what it detects.
    const later = await browser.newPage();
    await openWizard(later, server.url);
    await continueToAnswers(later, PASSWORD);
    await continueToPlan(later);
    await planAddHost(later, repo);
    await expect(later.getByTestId('plan-host')).toHaveText(
      'Updates host nixos, already in hosts/nixos/nixos',
    );
    const offer = later.getByTestId('previous-answers');
    await expect(offer.locator('.banner-title')).toHaveText(
      'nixos was last written with other answers (just now).',
    );
    await expect(offer).toContainText('They had 1 SSH key, the GNOME desktop.');
    // When exactly, as the CLI says it, is a hover away.
    await expect(offer.locator('time')).toHaveAttribute('datetime', /^\d{4}-\d\d-\d\dT/);
    await expect(offer.locator('time')).toHaveAttribute('title', /\d{4}/);
    // Three notes in a row, each its own box: the offer, the steps by hand, what to know.
    const steps = later.getByTestId('plan-steps');
    const notices = later.getByTestId('plan-notices');
    // Headed as `nixstrap add-host` heads them, in the words of the steps themselves.
    await expect(steps.locator('.banner-title')).toHaveText('Before the first rebuild');
    await expect(steps).toContainText('before its first rebuild, install it');
    await expect(notices.locator('.banner-title')).toHaveText('Good to know');
    expect(await gapBetween(offer, steps), 'the offer and the steps apart').toBeGreaterThan(8);
    expect(await gapBetween(steps, notices), 'the steps and Good to know apart').toBeGreaterThan(8);
    // The numbered steps sit under their title as the bullets of Good to know do.
    const stepsList = await gapBetween(steps.locator('.banner-title'), steps.locator('ol'));
    const noticesList = await gapBetween(notices.locator('.banner-title'), notices.locator('ul'));
    expect(stepsList).toBe(noticesList);
    // What the plan would do without them: the key is dropped.
    await planned(later, HOST_FILE).click();
    await expect(later.locator('.diff-line.diff-del', { hasText: KEY })).toHaveCount(1);
    await later.screenshot({
      path: join(SCREENSHOTS, 'plan-previous-answers.png'),
      fullPage: true,
    });

    // Every frame until the new plan is there, where the keyboard is: never the page's body.
    await later.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { focusSeen: string[] }).focusSeen = seen;
      const watch = () => {
        const active = document.activeElement;
        const name =
          active === document.body ? 'body' : active?.id || (active?.getAttribute('role') ?? '?');
        if (seen.at(-1) !== name) seen.push(name);
        if (name !== 'plan-title') requestAnimationFrame(watch);
      };
      requestAnimationFrame(watch);
    });
    await later.getByTestId('use-previous-answers').focus();
    await later.keyboard.press('Enter');
    await expect(later.getByTestId('plan')).toBeVisible();
    await expect(offer).toHaveCount(0);
    await expect(later.locator('#plan-title')).toBeFocused();
    const focusSeen = await later.evaluate(
      () => (window as unknown as { focusSeen: string[] }).focusSeen,
    );
    expect(focusSeen, 'the keyboard waits on the announcement, then the new plan').not.toContain(
      'body',
    );
    await expect(planned(later, HOST_FILE)).toHaveAttribute('data-action', 'unchanged');
    await later.getByTestId('apply-plan').click();
    await expect(later.getByTestId('commit-id')).toHaveText(/^[0-9a-f]{40}$/);
    expect(readFileSync(join(repo, HOST_FILE), 'utf8')).toBe(written);

    // The form holds them too: back on the answers, the key and the desktop are there.
    await later.getByRole('button', { name: /^About you/ }).click();
    await expect(later.getByTestId('answer-sshAuthorizedKeys')).toHaveValue(KEY);
    await expect(later.getByTestId('answer-desktop')).toHaveValue('gnome');
    await expect(later.getByTestId('password-set')).toBeVisible();
    await later.close();
  });
});
