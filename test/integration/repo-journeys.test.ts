import * as fs from 'node:fs';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import git from 'isomorphic-git';
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../common/plan';
import { updatesExistingHost } from '../../common/plan-host';
import { formatApply } from '../../main/cli/format';
import { applyPlan, applyReviewedPlan, computePlan, inspectRepo } from '../../main/core/repo';
import { answersFor, pcFacts, wslFacts } from './helpers/repo-machines';
import { gitCli, snapshot, tempDir, writeTree } from './helpers/repo-trees';

const facts = pcFacts('desk');
const answers = answersFor(facts);

async function init(repo: string, over: Partial<typeof answers> = {}) {
  const plan = await computePlan({
    journey: 'init',
    repo,
    facts,
    answers: { ...answers, ...over },
  });
  return applyPlan(plan, { author: answers.git });
}

/** A repo of two hosts: set up for the desk, then a WSL machine (winbox) added. */
async function deskAndWinbox(): Promise<string> {
  const repo = join(tempDir(), 'repo');
  await init(repo);
  const wsl = wslFacts('winbox');
  await applyPlan(
    await computePlan({ journey: 'add-host', repo, facts: wsl, answers: answersFor(wsl) }),
  );
  return repo;
}

/** The desk added again to `repo` with another time zone: a machine coming back to its host. */
function comeBackInUtc(repo: string) {
  return computePlan({
    journey: 'add-host',
    repo,
    facts,
    answers: { ...answers, timeZone: 'UTC' },
  });
}

function action(plan: Plan, path: string) {
  return plan.files.find((f) => f.path === path)?.action;
}

describe('init into an empty folder', () => {
  it('plans every file the commit holds, the manifest included, and commits them all', async () => {
    const repo = join(tempDir(), 'config');
    const plan = await computePlan({ journey: 'init', repo, facts, answers });
    expect(action(plan, '.nixstrap/manifest.json')).toBe('create');
    const result = await applyPlan(plan, { author: answers.git });

    expect(result.written).toContain('flake.nix');
    expect(result.written).toContain('hosts/nixos/desk/hardware-configuration.nix');
    const log = await git.log({ fs, dir: repo });
    expect(log).toHaveLength(1);
    expect(log[0]!.oid).toBe(result.commit);
    expect(log[0]!.commit.message).toMatch(/^nixstrap: set up desk\n/);
    expect(log[0]!.commit.author).toMatchObject({
      name: 'Alice Example',
      email: 'alice@example.org',
    });

    const tracked = gitCli(repo, 'ls-tree', '-r', '--name-only', 'HEAD').trim().split('\n');
    expect(tracked.sort()).toEqual(plan.files.map((f) => f.path).sort());
    expect(result.written.sort()).toEqual(tracked);
    expect(gitCli(repo, 'status', '--porcelain')).toBe('');
    expect(gitCli(repo, 'fsck', '--strict')).toBe('');
    expect(gitCli(repo, 'show', 'HEAD:hosts/nixos/desk/default.nix')).toBe(
      readFileSync(join(repo, 'hosts/nixos/desk/default.nix'), 'utf8'),
    );
  });

  it('commits as Nixstrap when the answers name no git author', async () => {
    const repo = join(tempDir(), 'config');
    const plan = await computePlan({ journey: 'init', repo, facts, answers });
    await applyPlan(plan, { author: { name: '', email: '' } });
    expect(gitCli(repo, 'log', '-1', '--format=%an <%ae>').trim()).toBe(
      'Nixstrap <nixstrap@localhost>',
    );
  });
});

describe('init run twice', () => {
  it('plans every file as unchanged, with the same id, and makes no new commit', async () => {
    const repo = join(tempDir(), 'config');
    const first = await init(repo);
    const plan = await computePlan({ journey: 'init', repo, facts, answers });
    expect(plan.files.length).toBeGreaterThan(10);
    expect(plan.files.every((f) => f.action === 'unchanged' && f.diff === '')).toBe(true);
    expect((await computePlan({ journey: 'init', repo, facts, answers })).id).toBe(plan.id);
    const second = await applyPlan(plan);
    expect(second).toMatchObject({ written: [], commit: null, backup: null });
    expect(gitCli(repo, 'rev-parse', 'HEAD').trim()).toBe(first.commit);
  });

  it('says it is an update when the answers changed', async () => {
    const repo = join(tempDir(), 'config');
    await init(repo);
    const result = await init(repo, { timeZone: 'Europe/Paris' });
    expect(result.written).toContain('hosts/nixos/desk/default.nix');
    expect(gitCli(repo, 'log', '-1', '--format=%s').trim()).toBe('nixstrap: update desk');
    expect(gitCli(repo, 'status', '--porcelain')).toBe('');
  });
});

describe('"unchanged" means on disk and committed', () => {
  it('plans files already on disk as planned but not committed as changes, and commits them', async () => {
    const repo = join(tempDir(), 'config');
    await init(repo);
    const path = 'hosts/nixos/desk/default.nix';
    gitCli(repo, 'rm', '-q', '--cached', path);
    gitCli(repo, 'commit', '-qm', 'forget the host file');

    const plan = await computePlan({ journey: 'init', repo, facts, answers });
    expect(action(plan, path)).toBe('create');
    expect(plan.files.find((f) => f.path === path)?.reason).toMatch(/not yet committed/);
    const result = await applyPlan(plan);
    expect(result.written).toEqual([path]);
    expect(gitCli(repo, 'ls-files', path).trim()).toBe(path);
    expect(gitCli(repo, 'status', '--porcelain')).toBe('');
  });
});

describe('init into a folder that holds something else', () => {
  it('refuses with REPO_EXISTS and points at adding a host instead', async () => {
    const repo = tempDir();
    writeTree(repo, { 'notes.txt': 'mine\n' });
    await expect(computePlan({ journey: 'init', repo, facts, answers })).rejects.toMatchObject({
      error: { code: 'REPO_EXISTS', hint: expect.stringContaining('as a new host') },
    });
  });
});

describe('files the user changed by hand', () => {
  const hostFile = 'hosts/nixos/desk/default.nix';
  const hardwareFile = 'hosts/nixos/desk/hardware-configuration.nix';

  async function editedRepo() {
    const repo = join(tempDir(), 'config');
    await init(repo);
    for (const path of [hostFile, hardwareFile]) {
      writeFileSync(join(repo, path), `${readFileSync(join(repo, path), 'utf8')}# my tweak\n`);
    }
    const plan = await computePlan({
      journey: 'init',
      repo,
      facts,
      answers: { ...answers, timeZone: 'Europe/Paris' },
    });
    return { repo, plan };
  }

  it('show as conflicts with a diff, and nothing is written until each has a choice', async () => {
    const { repo, plan } = await editedRepo();
    const conflicts = plan.files.filter((f) => f.action === 'conflict').map((f) => f.path);
    expect(conflicts).toEqual([hostFile, hardwareFile]);
    expect(plan.files.find((f) => f.path === hardwareFile)?.diff).toContain('-# my tweak');
    const before = snapshot(repo);
    const head = gitCli(repo, 'rev-parse', 'HEAD');

    await expect(applyPlan(plan, { resolutions: { [hostFile]: 'take' } })).rejects.toMatchObject({
      error: { code: 'FILE_CHANGED', message: expect.stringContaining(hardwareFile) },
    });
    expect(snapshot(repo)).toEqual(before);
    expect(gitCli(repo, 'rev-parse', 'HEAD')).toBe(head);
  });

  it('keep what the user keeps, take what they take, and save their version in git first', async () => {
    const { repo, plan } = await editedRepo();
    const mine = readFileSync(join(repo, hostFile), 'utf8');
    const keptHardware = readFileSync(join(repo, hardwareFile), 'utf8');

    const result = await applyPlan(plan, {
      resolutions: { [hostFile]: 'take', [hardwareFile]: 'keep' },
    });

    expect(result.written).toContain(hostFile);
    expect(result.written).not.toContain(hardwareFile);
    expect(readFileSync(join(repo, hostFile), 'utf8')).toContain('Europe/Paris');
    expect(readFileSync(join(repo, hardwareFile), 'utf8')).toBe(keptHardware);
    expect(result.backup).toMatchObject({ files: [hostFile] });
    const backup = result.backup!;
    expect(backup.ref).toMatch(/^refs\/nixstrap\/backups\/\d{8}T\d{6}Z-[0-9a-f]{12}$/);
    expect(gitCli(repo, 'show', `${backup.ref}:${hostFile}`)).toBe(mine);
    expect(gitCli(repo, 'rev-parse', backup.ref).trim()).toBe(backup.commit);
    expect(gitCli(repo, 'log', '-1', '--format=%B')).toContain(backup.ref);
    // The kept file is still the user's: the next plan shows it as a conflict again.
    const next = await computePlan({
      journey: 'init',
      repo,
      facts,
      answers: { ...answers, timeZone: 'Europe/Paris' },
    });
    expect(action(next, hardwareFile)).toBe('conflict');
    expect(action(next, hostFile)).toBe('unchanged');
    expect(gitCli(repo, 'fsck', '--strict')).toBe('');
  });
});

describe('applying the plan the user reviewed', () => {
  /** A repo Nixstrap wrote, the plan the user reviewed on it, and writing that plan. */
  async function reviewedPlan(over: Partial<typeof answers> = {}) {
    const repo = join(tempDir(), 'config');
    const { commit } = await init(repo);
    const request = { journey: 'init' as const, repo, facts, answers: { ...answers, ...over } };
    const reviewed = await computePlan(request);
    const write = (now = request) => applyReviewedPlan(now, reviewed.id, {}, reviewed);
    return { repo, commit, request, write };
  }

  /** The user's own commit of what the work tree holds; its short id. */
  function userCommit(repo: string, ...args: string[]): string {
    gitCli(repo, '-c', 'user.name=U', '-c', 'user.email=u@example.org', 'commit', '-q', ...args);
    return gitCli(repo, 'rev-parse', '--short=7', 'HEAD').trim();
  }

  it('refuses, naming the file, when the disk changed since the plan was shown', async () => {
    const { repo, write } = await reviewedPlan({ timeZone: 'UTC' });
    writeFileSync(join(repo, 'README.md'), 'changed\n');
    const before = snapshot(repo);

    await expect(write()).rejects.toMatchObject({
      error: {
        code: 'PLAN_CHANGED',
        message: expect.stringContaining('since then, README.md was edited in the work tree'),
      },
    });
    expect(snapshot(repo)).toEqual(before);
  });

  it('names the commit that landed on the branch since the review', async () => {
    const { repo, write } = await reviewedPlan();
    writeFileSync(join(repo, 'README.md'), 'my notes\n');
    const landed = userCommit(repo, '-am', 'Note the printer');
    const before = snapshot(repo);

    await expect(write()).rejects.toMatchObject({
      error: {
        code: 'PLAN_CHANGED',
        message: `The plan is no longer the one you reviewed: since then, commit ${landed} "Note the printer" landed on main (the plan now differs in README.md), so nothing was written.`,
        hint: expect.stringContaining('starts from what is on the branch'),
      },
    });
    expect(snapshot(repo)).toEqual(before);
  });

  it('counts the commits that landed and names files edited besides', async () => {
    const { repo, write } = await reviewedPlan();
    writeFileSync(join(repo, 'README.md'), 'first\n');
    userCommit(repo, '-am', 'First note');
    writeFileSync(join(repo, 'README.md'), 'second\n');
    const newest = userCommit(repo, '-am', 'Second note');
    writeFileSync(join(repo, 'flake.nix'), '# mine\n');

    await expect(write()).rejects.toMatchObject({
      error: {
        message: expect.stringContaining(
          `since then, 2 commits landed on main, the newest ${newest} "Second note" and flake.nix was edited in the work tree`,
        ),
      },
    });
  });

  it('says so when the branch no longer builds on the reviewed commit', async () => {
    const { repo, commit, write } = await reviewedPlan();
    writeFileSync(join(repo, 'README.md'), 'rewritten\n');
    const tip = userCommit(repo, '--amend', '-am', 'Rewritten start');

    await expect(write()).rejects.toMatchObject({
      error: {
        message: expect.stringContaining(
          `main moved from ${commit!.slice(0, 7)} to ${tip} "Rewritten start", which does not build on it`,
        ),
      },
    });
  });

  it('names a detached HEAD as such when a commit landed on it', async () => {
    const { repo, request } = await reviewedPlan();
    gitCli(repo, 'checkout', '-q', '--detach');
    const reviewed = await computePlan(request);
    writeFileSync(join(repo, 'README.md'), 'my notes\n');
    const landed = userCommit(repo, '-am', 'Note the printer');

    await expect(applyReviewedPlan(request, reviewed.id, {}, reviewed)).rejects.toMatchObject({
      error: {
        message: expect.stringContaining(
          `since then, commit ${landed} "Note the printer" landed on the detached HEAD (`,
        ),
      },
    });
  });

  it('says the branch has no commit yet after a switch to a new one, not that the answers changed', async () => {
    const { repo, commit, write } = await reviewedPlan();
    gitCli(repo, 'checkout', '-q', '--orphan', 'fresh');

    await expect(write()).rejects.toMatchObject({
      error: {
        code: 'PLAN_CHANGED',
        message: expect.stringContaining(
          `since then, fresh has no commit yet, and the plan was made on ${commit!.slice(0, 7)} (a switch to a new branch)`,
        ),
      },
    });
  });

  /**
   * 205 commits on the branch's tip, with git's own plumbing so that they take a moment: one
   * tree, each commit on the last. The newest one's id.
   */
  function manyCommits(repo: string): string {
    const author = ['-c', 'user.name=U', '-c', 'user.email=u@example.org'];
    const tree = gitCli(repo, 'rev-parse', 'HEAD^{tree}').trim();
    let tip = gitCli(repo, 'rev-parse', 'HEAD').trim();
    for (let i = 1; i <= 205; i += 1) {
      tip = gitCli(repo, ...author, 'commit-tree', tree, '-p', tip, '-m', `Step ${i}`).trim();
    }
    gitCli(repo, 'update-ref', 'refs/heads/main', tip);
    return tip;
  }

  it('counts more commits than it reads as landed, not as a rewritten history', async () => {
    const { repo, write } = await reviewedPlan();
    writeFileSync(join(repo, 'README.md'), 'my notes\n');
    userCommit(repo, '-am', 'Note the printer');
    const tip = manyCommits(repo);

    await expect(write()).rejects.toMatchObject({
      error: {
        code: 'PLAN_CHANGED',
        message: expect.stringContaining(
          `since then, more than 200 commits landed on main, the newest ${tip.slice(0, 7)} "Step 205"`,
        ),
      },
    });
  });

  it('still tells a rewritten history under more commits than it reads', async () => {
    const { repo, commit, write } = await reviewedPlan();
    writeFileSync(join(repo, 'README.md'), 'rewritten\n');
    userCommit(repo, '--amend', '-am', 'Rewritten start');
    const tip = manyCommits(repo);

    await expect(write()).rejects.toMatchObject({
      error: {
        message: expect.stringContaining(
          `main moved from ${commit!.slice(0, 7)} to ${tip.slice(0, 7)} "Step 205", which does not build on it`,
        ),
      },
    });
  });

  it('says the answers changed when the disk did not', async () => {
    const { request, write } = await reviewedPlan();
    const now = { ...request, answers: { ...answers, timeZone: 'Europe/Paris' } };

    await expect(write(now)).rejects.toMatchObject({
      error: {
        message: expect.stringMatching(
          /since then, the answers changed, so Nixstrap would now write .*hosts\/nixos\/desk\/default\.nix.* differently/,
        ),
      },
    });
  });

  it('writes it when nothing changed', async () => {
    const repo = join(tempDir(), 'config');
    const request = { journey: 'init' as const, repo, facts, answers };
    const reviewed = await computePlan(request);
    const result = await applyReviewedPlan(request, reviewed.id, {}, reviewed);
    expect(result.commit).toBe(gitCli(repo, 'rev-parse', 'HEAD').trim());
  });

  it('refuses a plan whose files changed on disk between planning and writing', async () => {
    const repo = join(tempDir(), 'config');
    await init(repo);
    writeFileSync(join(repo, 'README.md'), 'changed\n');
    const plan = await computePlan({ journey: 'init', repo, facts, answers });
    writeFileSync(join(repo, 'README.md'), 'changed again\n');
    await expect(applyPlan(plan, { resolutions: { 'README.md': 'take' } })).rejects.toMatchObject({
      error: { code: 'PLAN_CHANGED' },
    });
    expect(readFileSync(join(repo, 'README.md'), 'utf8')).toBe('changed again\n');
  });
});

describe('add-host into a Nixstrap repo', () => {
  it('adds the host folder, edits flake.nix only for a missing input, and commits', async () => {
    const repo = join(tempDir(), 'config');
    await init(repo);
    const before = snapshot(repo);
    const wsl = wslFacts('winbox');
    const plan = await computePlan({
      journey: 'add-host',
      repo,
      facts: wsl,
      answers: answersFor(wsl),
    });
    expect(plan.layout).toBe('nixstrap');
    expect(plan.hostDir).toBe('hosts/nixos/winbox');
    const changed = plan.files
      .filter((f) => f.action !== 'unchanged')
      .map((f) => `${f.action} ${f.path}`);
    // The first host needed no WSL module, so the repo gets it now, with the host that does.
    expect(changed).toEqual([
      'update .nixstrap/manifest.json',
      'update flake.nix',
      'create hosts/nixos/winbox/default.nix',
      'create modules/nixos/hardware/wsl.nix',
    ]);
    expect(plan.files.find((f) => f.path === 'flake.nix')!.diff).toContain('+    nixos-wsl = {');

    const result = await applyPlan(plan);
    expect(gitCli(repo, 'log', '-1', '--format=%s').trim()).toBe('nixstrap: add host winbox');
    expect(result.commit).not.toBeNull();
    const after = snapshot(repo);
    expect(after['hosts/nixos/desk/default.nix']).toBe(before['hosts/nixos/desk/default.nix']);

    const again = await computePlan({
      journey: 'add-host',
      repo,
      facts: wsl,
      answers: answersFor(wsl),
    });
    expect(again.files.every((f) => f.action === 'unchanged')).toBe(true);
    const other = answersFor(wsl, { timeZone: 'UTC' });
    await expect(
      computePlan({ journey: 'add-host', repo, facts: wsl, answers: other }),
    ).rejects.toMatchObject({
      error: {
        code: 'HOST_EXISTS',
        message:
          'Host winbox already exists in this repo (hosts/nixos/winbox/) with different contents.',
        hint: "A host like this machine's (WSL, a Mac) has no hardware-configuration.nix to tell machines apart by, so Nixstrap cannot know that host winbox is this machine: choose another host name, or edit hosts/nixos/winbox/ by hand.",
      },
    });
    // First-time setup does not send it to add-host, which could not update that host either.
    await expect(
      computePlan({ journey: 'init', repo, facts: wsl, answers: other }),
    ).rejects.toMatchObject({
      error: {
        code: 'REPO_EXISTS',
        hint: "Its host winbox has no hardware file to tell it is this machine: adding this machine updates it only when its secrets are encrypted for this machine's host key. Otherwise add this machine under another host name, or edit hosts/nixos/winbox/ by hand.",
      },
    });
  });

  it('updates a host that is this machine again (its hardware unchanged) in a repo of several hosts', async () => {
    const repo = await deskAndWinbox();
    const before = snapshot(repo);
    // First-time setup is for a repo of one host; it points at adding the machine again.
    await expect(
      computePlan({ journey: 'init', repo, facts, answers: { ...answers, timeZone: 'UTC' } }),
    ).rejects.toMatchObject({
      error: {
        code: 'REPO_EXISTS',
        hint: "Add this machine to it instead: its host desk is updated to these answers when it has this machine's hardware, or its secrets are encrypted for this machine's host key.",
      },
    });

    // The desk comes back with another time zone: its configuration changes, nothing else.
    const plan = await comeBackInUtc(repo);
    expect(updatesExistingHost(plan)).toBe(true);
    const changed = plan.files.filter((f) => f.action !== 'unchanged').map((f) => f.path);
    expect(changed).toEqual(['.nixstrap/manifest.json', 'hosts/nixos/desk/default.nix']);
    expect(action(plan, 'hosts/nixos/desk/hardware-configuration.nix')).toBe('unchanged');
    await applyPlan(plan, { author: answers.git });
    expect(gitCli(repo, 'log', '-1', '--format=%s').trim()).toBe('nixstrap: update desk');
    const after = snapshot(repo);
    expect(after['hosts/nixos/desk/default.nix']).toContain('time.timeZone = "UTC";');
    expect(after['hosts/nixos/winbox/default.nix']).toBe(before['hosts/nixos/winbox/default.nix']);

    // Another PC called desk (another root disk) is not this machine: refused, nothing written.
    const other = pcFacts('desk');
    other.fileSystems['/'] = {
      device: '/dev/disk/by-uuid/ffffffff-0000-0000-0000-000000000000',
      fsType: 'ext4',
      options: [],
    };
    await expect(
      computePlan({
        journey: 'add-host',
        repo,
        facts: other,
        answers: { ...answers, timeZone: 'UTC' },
      }),
    ).rejects.toMatchObject({
      error: {
        code: 'HOST_EXISTS',
        hint: "Its hardware differs from this machine's, so it is another machine of that name (or this one, changed): choose another host name, or edit hosts/nixos/desk/ by hand.",
      },
    });
    expect(snapshot(repo)).toEqual(after);
  });

  it('updates this machine’s host whose hardware file the user edited by hand, the edit a conflict kept on request', async () => {
    const repo = await deskAndWinbox();
    // The owner mounts a data disk by hand: still this machine, as Nixstrap last wrote it.
    const hardwareFile = 'hosts/nixos/desk/hardware-configuration.nix';
    const mine = readFileSync(join(repo, hardwareFile), 'utf8').replace(
      /\n}\n$/,
      '\n  fileSystems."/data" = {\n    device = "/dev/sdb1";\n    fsType = "ext4";\n  };\n}\n',
    );
    writeFileSync(join(repo, hardwareFile), mine);
    gitCli(
      repo,
      '-c',
      'user.name=U',
      '-c',
      'user.email=u@example.org',
      'commit',
      '-qam',
      'Mount the data disk',
    );

    const plan = await comeBackInUtc(repo);
    expect(updatesExistingHost(plan)).toBe(true);
    expect(action(plan, hardwareFile)).toBe('conflict');
    expect(action(plan, 'hosts/nixos/desk/default.nix')).toBe('update');
    const result = await applyPlan(plan, {
      author: answers.git,
      resolutions: { [hardwareFile]: 'keep' },
    });
    expect(result.written).not.toContain(hardwareFile);
    expect(readFileSync(join(repo, hardwareFile), 'utf8')).toBe(mine);
    expect(readFileSync(join(repo, 'hosts/nixos/desk/default.nix'), 'utf8')).toContain(
      'time.timeZone = "UTC";',
    );
    expect(gitCli(repo, 'log', '-1', '--format=%s').trim()).toBe('nixstrap: update desk');
  });

  it('refuses a repo that does not exist', async () => {
    const repo = join(tempDir(), 'missing');
    await expect(computePlan({ journey: 'add-host', repo, facts, answers })).rejects.toMatchObject({
      error: { code: 'REPO_NOT_FOUND' },
    });
  });
});

describe('a repo on a detached HEAD', () => {
  it('the plan says the commit will be on no branch, and how to keep it on one', async () => {
    const repo = join(tempDir(), 'config');
    await init(repo);
    gitCli(repo, 'checkout', '-q', '--detach');
    const head = gitCli(repo, 'rev-parse', 'HEAD').trim();
    const wsl = wslFacts('winbox');
    const request = { journey: 'add-host' as const, repo, facts: wsl, answers: answersFor(wsl) };

    const plan = await computePlan(request);
    expect(plan.warnings).toContain(
      `${repo} is on no branch (a detached HEAD at ${head.slice(0, 12)}), so Nixstrap's commit will be on none either: \`git switch -c NAME\` after the write puts it on a branch of its own, before a checkout leaves it behind.`,
    );

    // Once written, the CLI speaks of the commit made, as the Done screen does.
    const result = await applyPlan(plan);
    const told = formatApply(result);
    expect(told).toContain(
      `${repo} is on no branch (a detached HEAD), so Nixstrap's commit ${result.commit?.slice(0, 12)} is on none either: \`git switch -c NAME\` puts it on a branch of its own, before a checkout leaves it behind.`,
    );
    expect(told).not.toContain('will be on none');

    gitCli(repo, 'checkout', '-q', 'main');
    const onBranch = await computePlan(request);
    expect(onBranch.warnings.filter((w) => w.includes('detached'))).toEqual([]);
  });
});

describe('changes the user staged in the repo', () => {
  it('are never swept into Nixstrap’s commit and stay staged', async () => {
    const repo = join(tempDir(), 'config');
    await init(repo);
    writeFileSync(join(repo, 'notes.txt'), 'my staged work\n');
    gitCli(repo, 'add', 'notes.txt');

    const plan = await computePlan({
      journey: 'add-host',
      repo,
      facts: wslFacts('wsl'),
      answers: answersFor(wslFacts('wsl')),
    });
    await applyPlan(plan);
    expect(gitCli(repo, 'show', '--name-only', '--format=', 'HEAD')).not.toContain('notes.txt');
    expect(gitCli(repo, 'diff', '--cached', '--name-only').trim()).toBe('notes.txt');
    expect(gitCli(repo, 'status', '--porcelain').trim()).toBe('A  notes.txt');
  });
});

describe('a second machine for the same user', () => {
  it('leaves the user’s shared Home Manager folder as the first machine wrote it', async () => {
    const repo = join(tempDir(), 'config');
    await init(repo);
    const homeFile = join(repo, `home/${answers.userName}/default.nix`);
    const before = readFileSync(homeFile, 'utf8');

    const laptop = wslFacts('laptop');
    const plan = await computePlan({
      journey: 'add-host',
      repo,
      facts: laptop,
      answers: answersFor(laptop, { userName: answers.userName, shell: 'fish', editor: 'helix' }),
    });
    expect(plan.files.map((f) => f.path)).not.toContain(`home/${answers.userName}/default.nix`);
    // Something to know, not a step to take.
    expect(plan.steps).toEqual([]);
    expect(plan.warnings).toContain(
      `home/${answers.userName}/ already exists and is shared with this user's other hosts, so it is kept as it is.`,
    );
    await applyPlan(plan);
    expect(readFileSync(homeFile, 'utf8')).toBe(before);
  });
});

describe('a damaged manifest', () => {
  it('is named in the plan, and nothing Nixstrap cannot vouch for is overwritten', async () => {
    const repo = join(tempDir(), 'config');
    await init(repo);
    writeFileSync(join(repo, '.nixstrap/manifest.json'), '{ "version": 1, "files": ');
    const hostFile = join(repo, 'hosts/nixos/desk/default.nix');
    writeFileSync(hostFile, `${readFileSync(hostFile, 'utf8')}# mine\n`);

    const plan = await computePlan({ journey: 'init', repo, facts, answers });
    expect(plan.warnings[0]).toMatch(/^\.nixstrap\/manifest\.json is damaged/);
    expect(action(plan, 'hosts/nixos/desk/default.nix')).toBe('conflict');
    expect(action(plan, '.nixstrap/manifest.json')).toBe('update');
    await expect(applyPlan(plan)).rejects.toMatchObject({ error: { code: 'FILE_CHANGED' } });
    expect(readFileSync(hostFile, 'utf8')).toMatch(/# mine\n$/);
  });
});

describe('what an older, journal-less write left behind', () => {
  it('is recognised as Nixstrap’s own: init finishes it instead of refusing the folder', async () => {
    const whole = join(tempDir(), 'config');
    await init(whole);
    const partial = join(tempDir(), 'config');
    // Some of the files, written but never committed, and a temp file of the one in flight.
    const tree = snapshot(whole);
    writeTree(partial, {
      '.gitignore': tree['.gitignore']!,
      'hosts/nixos/desk/default.nix': tree['hosts/nixos/desk/default.nix']!,
      '.flake.nix.nixstrap-tmp-4242-abcd': '{ inputs',
    });
    const plan = await computePlan({ journey: 'init', repo: partial, facts, answers });
    expect(action(plan, '.gitignore')).toBe('create');
    const result = await applyPlan(plan);
    expect(result.commit).not.toBeNull();
    expect(snapshot(partial)).toEqual(tree);
    expect(gitCli(partial, 'status', '--porcelain')).toBe('');
  });
});

describe('a config repo that is a folder of a bigger git repository', () => {
  it('gets its host committed in that repository, under the folder', async () => {
    const made = join(tempDir(), 'config');
    await init(made);
    const root = tempDir();
    writeTree(root, { 'README.md': 'my monorepo\n' });
    for (const [path, content] of Object.entries(snapshot(made))) {
      writeTree(root, { [`infra/config/${path}`]: content });
    }
    gitCli(root, 'init', '-q', '-b', 'main');
    gitCli(root, 'add', '-A');
    gitCli(root, '-c', 'user.name=Me', '-c', 'user.email=me@example.org', 'commit', '-qm', 'all');
    const repo = join(root, 'infra/config');
    const wsl = wslFacts('winbox');

    const plan = await computePlan({
      journey: 'add-host',
      repo,
      facts: wsl,
      answers: answersFor(wsl),
    });
    expect(action(plan, 'hosts/nixos/desk/default.nix')).toBeUndefined();
    const result = await applyPlan(plan);

    expect(gitCli(root, 'rev-parse', 'HEAD').trim()).toBe(result.commit);
    expect(gitCli(root, 'show', '--name-only', '--format=', 'HEAD').trim().split('\n')).toEqual(
      expect.arrayContaining([
        'infra/config/hosts/nixos/winbox/default.nix',
        'infra/config/flake.nix',
      ]),
    );
    expect(gitCli(root, 'status', '--porcelain')).toBe('');
    expect(gitCli(root, 'fsck', '--strict', '--no-dangling')).toBe('');
  });
});

describe('a host name the repo already has, told while the folder is typed', () => {
  it('is a fact of the inspection when adding a host, whichever machine the host is', async () => {
    const repo = await deskAndWinbox();
    expect(await inspectRepo(repo, 'add-host', 'winbox')).toMatchObject({
      hosts: ['desk', 'winbox'],
      hostExists: true,
      problem: null,
    });
    expect((await inspectRepo(repo, 'add-host', 'desk')).hostExists).toBe(true);
    expect((await inspectRepo(repo, 'add-host', 'desk-2')).hostExists).toBe(false);
    expect((await inspectRepo(repo, 'add-host')).hostExists).toBe(false);
    // A first-time setup adds no host to it: its refusal says what the repo is instead.
    expect((await inspectRepo(repo, 'init', 'desk')).hostExists).toBe(false);
  });
});
