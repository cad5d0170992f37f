import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import {
  cliInit,
  continueToAnswers,
  continueToPlan,
  detectedFacts,
  openWizard,
  SCREENSHOTS,
} from './app';
import { ROOT, startServe } from './serve';

/** From the first screen to the plan of adding this machine to the repo at `repo`. */
async function planAddHost(page: Page, repo: string): Promise<void> {
  await openWizard(page);
  await continueToAnswers(page);
  await continueToPlan(page);
  await page.getByTestId('repo-path').fill(repo);
  await page.getByTestId('journey-add-host').check();
  await page.getByTestId('compute-plan').click();
}

test.describe('the first screen shows what Nixstrap found on this machine', () => {
  test('kind, system, host, user, CPU and memory match `nixstrap detect --json`', async ({
    page,
  }) => {
    const facts = detectedFacts();
    await openWizard(page);
    const card = page.getByTestId('facts-card');
    await expect(card).toBeVisible();
    await expect(page.getByTestId('fact-kind')).toHaveAttribute('data-kind', facts.kind);
    await expect(page.getByTestId('fact-system')).toHaveText(facts.system);
    await expect(page.getByTestId('fact-hostname')).toHaveText(facts.hostName);
    await expect(page.getByTestId('fact-user')).toHaveText(facts.userName);
    await expect(page.getByTestId('fact-cpu')).toContainText(facts.cpu.model);
    await expect(page.getByTestId('fact-cpu')).toContainText(`${facts.cpu.cores} core`);
    await expect(page.getByTestId('fact-memory')).toHaveText(
      `${(facts.memoryBytes / 1024 ** 3).toFixed(1)} GiB`,
    );
    const warnings = page.getByTestId('warnings');
    if (facts.warnings.length > 0) {
      await expect(warnings).toHaveAttribute('role', 'alert');
      for (const warning of facts.warnings) await expect(warnings).toContainText(warning);
    } else {
      await expect(warnings).toHaveCount(0);
    }
    await expect(page.getByTestId('file-systems').locator('tbody tr')).toHaveCount(
      Object.keys(facts.fileSystems).length,
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'facts.png'), fullPage: true });
  });
});

test.describe('the steps stay on one line in a narrow desktop window', () => {
  test('at 761 and 800 px wide, from the first screen to the plan', async ({ page }) => {
    /** The distinct tops of the steps: one when they share a line. */
    const lines = () =>
      page
        .getByRole('navigation', { name: 'Wizard steps' })
        .getByRole('listitem')
        .evaluateAll(
          (items) => new Set(items.map((item) => item.getBoundingClientRect().top)).size,
        );
    const widths = [761, 800];
    await openWizard(page);
    for (const width of widths) {
      await page.setViewportSize({ width, height: 600 });
      expect(await lines(), `the first screen at ${width} px`).toBe(1);
    }
    await continueToAnswers(page);
    await continueToPlan(page);
    // The longest name a current step shows.
    await expect(page.getByRole('button', { name: 'Review the plan, current step' })).toBeVisible();
    for (const width of widths) {
      await page.setViewportSize({ width, height: 600 });
      expect(await lines(), `the plan at ${width} px`).toBe(1);
    }
  });
});

test.describe('a corrected fact is carried forward', () => {
  test('the correction panel opens in view, closes on Escape and gives the keyboard back', async ({
    page,
  }) => {
    await openWizard(page);
    await page.getByTestId('correct').click();
    await expect(
      page.getByRole('heading', { name: 'Correct what detection got wrong' }),
    ).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('correction-form')).toHaveCount(0);
    await expect(page.getByTestId('correct')).toBeFocused();
  });

  test('Re-detect keeps the keyboard once the facts are back', async ({ page }) => {
    await openWizard(page);
    await page.getByTestId('redetect').focus();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('redetect')).toBeEnabled();
    await expect(page.getByTestId('redetect')).toBeFocused();
  });

  test('marking the machine as a laptop and renaming it reach the answers and the plan', async ({
    page,
  }) => {
    await openWizard(page);
    await expect(page.getByTestId('fact-laptop')).toHaveText('No');
    await page.getByTestId('correct').click();
    await page.getByTestId('correct-laptop').check();
    await page.getByTestId('correct-hostname').fill('corrected-host');
    await page.getByTestId('save-correction').click();
    await expect(page.getByTestId('fact-laptop')).toContainText('Yes');
    await expect(page.getByTestId('fact-laptop')).toContainText('corrected');
    await expect(page.getByTestId('fact-hostname')).toContainText('corrected-host');

    await continueToAnswers(page);
    await expect(page.getByTestId('answer-hostName')).toHaveValue('corrected-host');
    await continueToPlan(page);
    await expect(page.getByTestId('plan-for')).toContainText('laptop');
    await expect(page.getByTestId('plan-for')).toContainText('corrected-host');
  });
});

test.describe('the answers form is prefilled and checked as you type', () => {
  test('an invalid host name shows its rule next to the field', async ({ page }) => {
    const facts = detectedFacts();
    await openWizard(page);
    await continueToAnswers(page);
    const hostName = page.getByTestId('answer-hostName');
    await expect(hostName).not.toHaveValue('');
    await expect(page.getByTestId('answer-userName')).not.toHaveValue('');
    await expect(page.getByTestId('issue-hostName')).toHaveCount(0);
    // Named for what it is to someone new to Nix, the Nix word last for who knows it.
    const versions = page.getByRole('group', { name: 'Software versions' });
    await expect(versions).toContainText(
      "Where this machine's software and its updates come from (the nixpkgs channel).",
    );
    await expect(versions.getByRole('radio', { name: /^Stable release/ })).toHaveCount(1);

    await hostName.fill('not a valid_host!');
    const issue = page.getByTestId('issue-hostName');
    await expect(issue).toBeVisible();
    await expect(issue).toContainText('"not a valid_host!" has a space');
    await expect(hostName).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByTestId('continue')).toBeDisabled();
    await page.screenshot({ path: join(SCREENSHOTS, 'answers.png'), fullPage: true });

    await hostName.fill(
      facts.hostName.match(/^[a-z][a-z0-9-]*$/) ? facts.hostName : 'nixstrap-test',
    );
    await expect(page.getByTestId('issue-hostName')).toHaveCount(0);
    await expect(page.getByTestId('continue')).toBeEnabled();
  });

  test('Enter in the second password field sets the password; the keyboard follows the controls that replace each other', async ({
    page,
  }) => {
    await openWizard(page);
    await continueToAnswers(page);
    await page.getByTestId('password').fill('correct horse');
    await page.getByTestId('password-again').fill('correct horse');
    await page.getByTestId('password-again').press('Enter');
    await expect(page.getByTestId('password-set')).toBeVisible();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('About you and this machine');
    await expect(page.getByTestId('password-change')).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('password')).toBeFocused();
  });
});

test.describe('the plan shows the files and writes them in one commit', () => {
  let parent: string;
  test.beforeEach(() => {
    parent = mkdtempSync(join(tmpdir(), 'nixstrap-e2e-repo-'));
  });
  test.afterEach(() => {
    rmSync(parent, { recursive: true, force: true });
  });

  /** Through the wizard to a first plan written and committed in `repo`. */
  async function writeFirstPlan(page: Page, repo: string): Promise<void> {
    await openWizard(page);
    await continueToAnswers(page);
    await continueToPlan(page);
    await page.getByTestId('repo-path').fill(repo);
    await page.getByTestId('compute-plan').click();
    await page.getByTestId('apply-plan').click();
    await expect(page.getByTestId('commit-id')).toHaveText(/^[0-9a-f]{40}$/);
  }

  test('a new repo: every file is created, then committed', async ({ page }) => {
    const repo = join(parent, 'nixos-config');
    await openWizard(page);
    await continueToAnswers(page);
    await continueToPlan(page);
    await page.getByTestId('repo-path').fill(repo);
    await page.getByTestId('journey-init').check();
    // Until the plan is written, why the way on is closed is said beside it, not in a tooltip.
    const goBuild = page.getByTestId('go-rebuild');
    const reason = page.getByTestId('go-rebuild-reason');
    await expect(goBuild).toBeDisabled();
    await expect(reason).toBeVisible();
    await expect(reason).toHaveText('Write and commit the plan first.');
    await expect(goBuild).toHaveAccessibleDescription('Write and commit the plan first.');
    await page.getByTestId('compute-plan').click();

    const files = page.getByTestId('plan-file');
    await expect(files.first()).toBeVisible();
    expect(await files.count()).toBeGreaterThan(2);
    for (const action of await files.evaluateAll((items) =>
      items.map((item) => item.getAttribute('data-action')),
    )) {
      expect(action).toBe('create');
    }
    await expect(page.getByTestId('plan-files')).toContainText('flake.nix');
    await expect(page.getByTestId('diff').locator('.diff-add').first()).toBeVisible();
    await page.screenshot({ path: join(SCREENSHOTS, 'plan.png'), fullPage: true });

    await page.getByTestId('apply-plan').click();
    const commit = page.getByTestId('commit-id');
    await expect(commit).toHaveText(/^[0-9a-f]{40}$/);
    const head = execFileSync('git', ['-C', repo, 'rev-parse', 'HEAD'], {
      encoding: 'utf8',
    }).trim();
    await expect(commit).toHaveText(head);
    await expect(page.getByTestId('repo-location')).toHaveText(repo);
    // The live machine decides: NixOS gets the command, anything else the steps to get there.
    if (detectedFacts().os.id === 'nixos') {
      await expect(page.getByTestId('next-command')).toHaveText(
        new RegExp(`^sudo nixos-rebuild switch --flake ${repo}#\\S+$`),
      );
    } else {
      await expect(page.getByTestId('next-command')).toHaveCount(0);
      // Getting NixOS onto the machine is the first step to take, not something to know.
      const steps = page.getByTestId('next-steps').locator('li');
      await expect(steps.filter({ hasText: ', not NixOS:' })).toHaveCount(1);
      await expect(steps.last()).toContainText('Then build and switch');
      await expect(page.getByTestId('good-to-know')).not.toContainText('not NixOS');
    }
    await page.screenshot({ path: join(SCREENSHOTS, 'done.png'), fullPage: true });
  });

  test('a file changed by hand waits for the user’s choice, and their version is saved in git', async ({
    page,
  }) => {
    const repo = join(parent, 'nixos-config');
    await writeFirstPlan(page, repo);

    const [host] = readdirSync(join(repo, 'hosts/nixos'));
    const hostFile = join(repo, 'hosts/nixos', host!, 'default.nix');
    const edited = `${readFileSync(hostFile, 'utf8')}# my own note\n`;
    writeFileSync(hostFile, edited);

    await page.getByRole('button', { name: 'Back to the plan' }).click();
    await page.getByTestId('compute-plan').click();
    await expect(page.locator(`[data-testid="plan-file"][data-action="conflict"]`)).toHaveCount(1);
    await expect(page.getByTestId('conflicts')).toContainText('changed by hand');
    await expect(page.getByTestId('apply-plan')).toBeDisabled();
    await page.screenshot({ path: join(SCREENSHOTS, 'plan-conflict.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByTestId('conflicts').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, 'plan-conflict-390.png') });
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(readFileSync(hostFile, 'utf8')).toBe(edited);

    const choice = page.locator(
      `[data-testid="conflict-file"][data-path="hosts/nixos/${host}/default.nix"]`,
    );
    await choice.getByTestId('resolution-take').check();
    await expect(page.getByTestId('apply-plan')).toBeEnabled();
    await page.getByTestId('apply-plan').click();
    await expect(page.getByTestId('commit-id')).toHaveText(/^[0-9a-f]{40}$/);
    expect(readFileSync(hostFile, 'utf8')).not.toContain('# my own note');
    // The user's version is in git, where the success banner says.
    const backup = page.getByTestId('backup');
    await expect(backup).toContainText(`hosts/nixos/${host}/default.nix`);
    const ref = (await backup.locator('code.wrap').textContent()) ?? '';
    expect(ref).toMatch(/^refs\/nixstrap\/backups\//);
    const saved = execFileSync(
      'git',
      ['-C', repo, 'show', `${ref}:hosts/nixos/${host}/default.nix`],
      {
        encoding: 'utf8',
      },
    );
    expect(saved).toBe(edited);
    await page.screenshot({ path: join(SCREENSHOTS, 'plan-conflict-taken.png'), fullPage: true });
  });

  test('a commit of the user’s that lands after the review is named when the write is refused', async ({
    page,
  }) => {
    const repo = join(parent, 'nixos-config');
    await writeFirstPlan(page, repo);
    await page.getByRole('button', { name: 'Back to the plan' }).click();
    await page.getByTestId('compute-plan').click();
    await expect(page.getByTestId('plan-files')).toContainText('README.md');

    const git = (...args: string[]) =>
      execFileSync(
        'git',
        ['-C', repo, '-c', 'user.name=U', '-c', 'user.email=u@example.org', ...args],
        {
          encoding: 'utf8',
        },
      );
    writeFileSync(join(repo, 'README.md'), 'my notes\n');
    git('commit', '-q', '-am', 'Note the printer');
    const landed = git('rev-parse', '--short=7', 'HEAD').trim();

    await page.getByTestId('apply-plan').click();
    await expect(page.getByTestId('error-banner')).toContainText(
      `since then, commit ${landed} "Note the printer" landed on main`,
    );
    expect(git('log', '-1', '--format=%s')).toBe('Note the printer\n');
  });

  test('adding this machine to an existing repo writes only its host and commits', async ({
    page,
  }) => {
    const repo = join(parent, 'shared-config');
    cliInit(repo, 'test/fixtures/answers/workstation.json', 'test/fixtures/machines/qemu-kvm-uefi');
    const atlas = readFileSync(join(repo, 'hosts/nixos/atlas/default.nix'), 'utf8');

    await planAddHost(page, repo);
    const created = page.locator('[data-testid="plan-file"][data-action="create"]');
    await expect(created.first()).toBeVisible();
    for (const path of await created.allTextContents()) {
      expect(path).toMatch(/(hosts\/nixos\/|home\/)/);
    }
    await page.getByTestId('apply-plan').click();
    await expect(page.getByTestId('commit-id')).toHaveText(/^[0-9a-f]{40}$/);

    const hosts = JSON.parse(
      execFileSync(process.execPath, ['bin/nixstrap.js', 'hosts', '--repo', repo, '--json'], {
        cwd: ROOT,
        encoding: 'utf8',
      }),
    ) as { name: string }[];
    expect(hosts.map((h) => h.name)).toContain('atlas');
    expect(hosts).toHaveLength(2);
    expect(readFileSync(join(repo, 'hosts/nixos/atlas/default.nix'), 'utf8')).toBe(atlas);
    expect(execFileSync('git', ['-C', repo, 'status', '--porcelain'], { encoding: 'utf8' })).toBe(
      '',
    );
  });

  test('a hand-written flake.nix with uncommitted edits holds the write back, beside its button, until they are committed', async ({
    page,
  }) => {
    const repo = join(parent, 'hand-written');
    const git = (...args: string[]) =>
      execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', stdio: 'pipe' });
    execFileSync('git', ['init', '-q', '-b', 'main', repo]);
    git('config', 'user.email', 'me@example.org');
    git('config', 'user.name', 'Me');
    execFileSync('mkdir', ['-p', join(repo, 'hosts/alpha')]);
    writeFileSync(
      join(repo, 'hosts/alpha/configuration.nix'),
      '{ ... }:\n{\n  networking.hostName = "alpha";\n}\n',
    );
    const flake = `{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-26.05";
  outputs = { nixpkgs, ... }: {
    nixosConfigurations.alpha = nixpkgs.lib.nixosSystem { modules = [ ./hosts/alpha/configuration.nix ]; };
  };
}
`;
    writeFileSync(join(repo, 'flake.nix'), flake);
    git('add', '-A');
    git('commit', '-qm', 'alpha');
    writeFileSync(join(repo, 'flake.nix'), flake.replace('{\n', '{\n  # work in progress\n'));

    await planAddHost(page, repo);
    const waits = page.getByTestId('plan-waits');
    await expect(waits).toContainText('Commit or stash your changes first');
    await expect(waits).toContainText(
      "flake.nix has changes you have not committed, and writing would commit them with Nixstrap's edit",
    );
    await expect(page.getByTestId('apply-plan')).toBeDisabled();
    await expect(page.getByTestId('plan-notices')).not.toContainText(
      'changes you have not committed',
    );
    await waits.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, 'plan-waits-uncommitted.png') });

    git('commit', '-qam', 'work in progress');
    await page.getByTestId('compute-plan').click();
    await expect(page.getByTestId('plan-waits')).toHaveCount(0);
    await expect(page.getByTestId('apply-plan')).toBeEnabled();
    await page.getByTestId('apply-plan').click();
    await expect(page.getByTestId('commit-id')).toHaveText(/^[0-9a-f]{40}$/);
  });

  test('a host name the repo has for another machine is told with the folder and changed on the Plan screen', async ({
    page,
  }) => {
    await openWizard(page);
    await continueToAnswers(page);
    const name = await page.getByTestId('answer-hostName').inputValue();
    // Another machine (a Pi) already set up in the repo under this machine's suggested name.
    const repo = join(parent, 'shared-config');
    const piAnswers = join(parent, 'pi.json');
    const pi = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/answers/pi.json'), 'utf8'));
    writeFileSync(piAnswers, JSON.stringify({ ...pi, hostName: name }));
    cliInit(repo, piAnswers, 'test/fixtures/machines/raspberry-pi-4');
    await continueToPlan(page);

    await page.getByTestId('repo-path').fill(repo);
    await page.getByTestId('journey-add-host').check();
    const told = page.getByTestId('repo-inspection');
    await expect(told).toContainText(
      `This repo already has a host named ${name}: if it is this machine, the plan updates it; if not, choose another name below.`,
    );
    const field = page.getByTestId('answer-hostName');
    await expect(field).toHaveValue(name);
    await expect(page.getByTestId('plan')).toHaveCount(0);

    // Planned anyway, the refusal stands next to the field that mends it.
    await page.getByTestId('compute-plan').click();
    const refusal = page.locator('.plan-target').getByTestId('error-banner');
    await expect(refusal).toContainText(`Host ${name} already exists in this repo`);
    await expect(page.getByTestId('error-code')).toHaveText('HOST_EXISTS');
    await page.screenshot({ path: join(SCREENSHOTS, 'plan-host-taken.png'), fullPage: true });

    // Checked by the rules of the Answers screen, the problem under the field; the refusal of
    // the old name goes with it.
    await field.fill('demo#x');
    await expect(refusal).toHaveCount(0);
    await expect(page.getByTestId('issue-hostName')).toContainText(`"demo#x" has '#'`);
    await field.fill(name);
    await page.getByTestId('use-free-host-name').click();
    await expect(field).toHaveValue(`${name}-2`);
    await expect(page.getByTestId('issue-hostName')).toHaveCount(0);
    await expect(told).not.toContainText('already has a host');
    await expect(page.getByTestId('plan-for')).toContainText(`host ${name}-2`);

    await page.getByTestId('compute-plan').click();
    await expect(page.getByTestId('plan-host')).toContainText(
      `New host folder hosts/nixos/${name}-2`,
    );
    await expect(page.getByTestId('error-banner')).toHaveCount(0);
  });

  test('a host name a hand-written repo already has is told as one Nixstrap will not change', async ({
    page,
  }) => {
    await openWizard(page);
    await continueToAnswers(page);
    const name = await page.getByTestId('answer-hostName').inputValue();
    // The owner's own flake, listing a host of this machine's suggested name.
    const repo = join(parent, 'my-flake');
    mkdirSync(join(repo, 'hosts', name), { recursive: true });
    writeFileSync(
      join(repo, 'flake.nix'),
      `{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  outputs = { self, nixpkgs, ... }@inputs: {
    nixosConfigurations = {
      ${name} = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        specialArgs = { inherit inputs; };
        modules = [ ./hosts/${name}/configuration.nix ];
      };
    };
  };
}
`,
    );
    writeFileSync(join(repo, 'hosts', name, 'configuration.nix'), '{ ... }: { }\n');
    const git = (...args: string[]) => execFileSync('git', ['-C', repo, ...args]);
    git('init', '-q');
    git('add', '.');
    git(
      '-c',
      'user.name=Owner',
      '-c',
      'user.email=owner@example.org',
      'commit',
      '-q',
      '-m',
      'mine',
    );
    await continueToPlan(page);

    await page.getByTestId('repo-path').fill(repo);
    await page.getByTestId('journey-add-host').check();
    // Not "the plan updates it": outside its own layout Nixstrap refuses the name, as planning says.
    const told = page.getByTestId('repo-inspection');
    await expect(told).toContainText(
      `This repo already has a host named ${name}, and Nixstrap adds only new hosts to a repo it did not lay out: choose another name below.`,
    );
    await page.getByTestId('compute-plan').click();
    await expect(page.getByTestId('error-code')).toHaveText('HOST_EXISTS');
  });

  test('a machine coming back to its host in a repo of several hosts: the plan and the Done screen say it is updated', async ({
    page,
  }) => {
    const repo = join(parent, 'shared-config');
    const qemu = join(ROOT, 'test/fixtures/machines/qemu-kvm-uefi');
    const nixstrap = (...args: string[]) =>
      execFileSync(process.execPath, ['bin/nixstrap.js', ...args], { cwd: ROOT, encoding: 'utf8' });
    const pi = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/answers/pi.json'), 'utf8'));
    const answers = join(parent, 'vm.json');
    writeFileSync(answers, JSON.stringify({ ...pi, hostName: 'nixos' }));
    nixstrap(
      'init',
      '--repo',
      repo,
      '--answers',
      'test/fixtures/answers/pi.json',
      '--fixture',
      join(ROOT, 'test/fixtures/machines/raspberry-pi-4'),
    );
    // The same machine: the wizard finds the age key its first add-host made in its data dir.
    const dataDir = join(parent, 'data');
    nixstrap(
      'add-host',
      '--repo',
      repo,
      '--answers',
      answers,
      '--fixture',
      qemu,
      '--data-dir',
      dataDir,
    );
    const server = await startServe(['--fixture', qemu, '--data-dir', dataDir]);
    try {
      await openWizard(page, server.url);
      await continueToAnswers(page, 'correct horse battery staple');
      await continueToPlan(page);
      await page.getByTestId('repo-path').fill(repo);
      await page.getByTestId('journey-add-host').check();
      await page.getByTestId('compute-plan').click();
      await expect(page.getByTestId('plan-host')).toHaveText(
        'Updates host nixos, already in hosts/nixos/nixos',
      );
      // Said once, as what the plan is, not among the things to do before the first switch.
      await expect(page.getByTestId('plan-notices')).not.toContainText('Host nixos is already');
      await expect(page.getByTestId('plan-steps')).not.toContainText('Host nixos is already');
      await expect(
        page.locator('[data-testid="plan-file"][data-action="unchanged"]', {
          hasText: 'hosts/nixos/nixos/hardware-configuration.nix',
        }),
      ).toHaveCount(1);
      await page.screenshot({ path: join(SCREENSHOTS, 'plan-update.png'), fullPage: true });
      await page.getByTestId('apply-plan').click();
      await expect(page.getByTestId('commit-id')).toHaveText(/^[0-9a-f]{40}$/);
      await expect(page.getByTestId('done')).toContainText(
        'Nixstrap updated host nixos, already in the repo',
      );
      // The kept home folder is news, not a step: it is under Good to know, the host key above.
      const steps = page.getByTestId('next-steps');
      const goodToKnow = page.getByTestId('good-to-know');
      await expect(steps.locator('li').first()).toContainText('Host nixos has no SSH host key');
      await expect(steps).not.toContainText('already exists');
      await expect(goodToKnow).toContainText(
        "home/alice/ already exists and is shared with this user's other hosts",
      );
      await expect(goodToKnow).toContainText('alice already has an account on this machine');
      await page.screenshot({ path: join(SCREENSHOTS, 'done-update.png'), fullPage: true });
      expect(
        execFileSync('git', ['-C', repo, 'log', '-1', '--format=%s'], { encoding: 'utf8' }),
      ).toBe('nixstrap: update nixos\n');
      const hosts = JSON.parse(nixstrap('hosts', '--repo', repo, '--json')) as { name: string }[];
      expect(hosts.map((h) => h.name).sort()).toEqual(['garden-pi', 'nixos']);
    } finally {
      await server.stop();
    }
  });

  test('the file list is one tab stop, walked with the arrow keys', async ({ page }) => {
    await openWizard(page);
    await continueToAnswers(page);
    await continueToPlan(page);
    await page.getByTestId('repo-path').fill(join(parent, 'keys'));
    await page.getByTestId('compute-plan').click();
    const files = page.getByTestId('plan-file');
    await expect(files.first()).toBeVisible();
    const focusable = await files.evaluateAll(
      (items) => items.filter((item) => item.tabIndex === 0).length,
    );
    expect(focusable).toBe(1);
    const current = page.locator('[data-testid="plan-file"][aria-pressed="true"]');
    const before = await current.textContent();
    await current.focus();
    await page.keyboard.press('ArrowDown');
    await expect(current).not.toHaveText(before ?? '');
    await expect(current).toBeFocused();
  });

  test('at 800 px a long path in the file list breaks after a slash, never inside a name', async ({
    page,
  }) => {
    await page.setViewportSize({ width: 800, height: 900 });
    await openWizard(page);
    await continueToAnswers(page);
    await continueToPlan(page);
    await page.getByTestId('repo-path').fill(join(parent, 'narrow'));
    await page.getByTestId('compute-plan').click();
    const paths = page.getByTestId('plan-file').locator('.file-path');
    await expect(paths.first()).toBeVisible();
    // Each name of a path (its text between slashes) sits on one line; the path as a whole wraps.
    const lines = await paths.evaluateAll((elements) =>
      elements.map((element) => {
        const names: Record<string, number> = {};
        const allTops = new Set<number>();
        const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
        for (let text = walker.nextNode(); text; text = walker.nextNode()) {
          const range = document.createRange();
          range.selectNodeContents(text);
          const tops = new Set(Array.from(range.getClientRects(), (rect) => Math.round(rect.top)));
          names[text.textContent ?? ''] = tops.size;
          for (const top of tops) allTops.add(top);
        }
        return { path: element.textContent, names, wrapped: allTops.size > 1 };
      }),
    );
    const hardware = lines.find((line) => line.path?.endsWith('/hardware-configuration.nix'));
    // The case the window is narrow enough for: the path wraps, its file name does not.
    expect(hardware?.wrapped).toBe(true);
    for (const { path, names } of lines) {
      for (const [name, count] of Object.entries(names)) {
        expect(count, `${name} in ${path}`).toBe(1);
      }
    }
  });

  test('the browser’s Back button and a reload keep what the user typed and chose', async ({
    page,
  }) => {
    await openWizard(page);
    await continueToAnswers(page);
    await page.getByTestId('answer-fullName').fill('Ada Lovelace');
    await continueToPlan(page);
    await page.getByTestId('repo-path').fill(join(parent, 'kept'));
    await page.getByTestId('journey-add-host').check();

    await page.goBack();
    await expect(page.getByRole('heading', { level: 1, name: 'Secrets' })).toBeVisible();
    await page.goBack();
    await expect(
      page.getByRole('heading', { level: 1, name: 'About you and this machine' }),
    ).toBeVisible();
    await expect(page.getByTestId('answer-fullName')).toHaveValue('Ada Lovelace');

    await page.reload();
    await expect(page.locator('body[data-app-state="ready"]')).toBeAttached();
    await expect(
      page.getByRole('heading', { level: 1, name: 'About you and this machine' }),
    ).toBeVisible();
    await expect(page.getByTestId('answer-fullName')).toHaveValue('Ada Lovelace');

    await page.goForward();
    await expect(page.getByRole('heading', { level: 1, name: 'Secrets' })).toBeVisible();
    await page.goForward();
    await expect(page.getByTestId('repo-path')).toHaveValue(join(parent, 'kept'));
    await expect(page.getByTestId('journey-add-host')).toBeChecked();
  });

  test('a call that fails shows its sentence and hint, never a blank screen', async ({ page }) => {
    await planAddHost(page, join(parent, 'does-not-exist'));
    const banner = page.getByTestId('error-banner');
    await expect(banner).toBeVisible();
    await expect(banner).toBeFocused();
    await expect(page.getByTestId('error-code')).toBeHidden();
    await banner.getByText('Details').click();
    await expect(page.getByTestId('error-code')).toHaveText('REPO_NOT_FOUND');
    await expect(page.getByRole('heading', { level: 1, name: 'Review the plan' })).toBeVisible();
    // The way on it names is one the screen has, in the screen's own words.
    await expect(banner).toContainText(
      'to start a new repo there instead, choose “Start a new config repo”.',
    );
    await expect(page.getByRole('radio', { name: /^Start a new config repo/ })).toBeVisible();
  });
});

test.describe('the repo folder is checked as it is typed', () => {
  test('says what the folder is, and why a path cannot be used, before any plan', async ({
    page,
  }) => {
    const parent = mkdtempSync(join(tmpdir(), 'nixstrap-e2e-inspect-'));
    try {
      writeFileSync(join(parent, 'notes.txt'), 'mine\n');
      await openWizard(page);
      await continueToAnswers(page);
      await continueToPlan(page);
      const input = page.getByTestId('repo-path');
      const told = page.getByTestId('repo-inspection');

      await input.fill(join(parent, 'nixos-config'));
      await expect(told).toHaveText(
        'There is no folder here yet; Nixstrap makes it when it writes.',
      );

      await input.fill(join(parent, 'notes.txt', 'config'));
      await expect(told).toContainText(`${join(parent, 'notes.txt')} is a file, so no folder`);
      await expect(input).toHaveAttribute('aria-invalid', 'true');

      await input.fill(`file://${parent}/config`);
      await expect(told).toContainText('is a web address (URL), not a folder path.');
      await expect(told).toContainText(`Type the folder itself: ${parent}/config`);

      await page.getByTestId('journey-add-host').check();
      await input.fill(parent);
      await expect(told).toContainText('is not a git repository');
      await page.screenshot({ path: join(SCREENSHOTS, 'plan-folder-checked.png'), fullPage: true });
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});
