import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Answers, ApplyResult, Plan, PreviousAnswers, Result } from '../../common';
import { createApi } from '../../main/api';
import { createRunStore, LEDGER_FILE, openLedger } from '../../main/core/ledger';
import { fixturesDir, nixstrap, repoRoot } from './helpers/cli';
import { answersFor, pcFacts, wslFacts } from './helpers/repo-machines';
import { tempDir } from './helpers/repo-trees';

const KEY =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFKBdkfpjpZIyHH+XIPNWJ9GKLTMK9pWHsHvWSDpKZNn alice@laptop';
const facts = pcFacts('desk');
/** What the desk was set up with: a key, a desktop, more packages. */
const first = answersFor(facts, {
  sshAuthorizedKeys: [KEY],
  desktop: 'gnome',
  profile: 'development',
  services: ['openssh', 'docker'],
});
/** What the wizard prefills when the desk comes back: none of that. */
const fresh = answersFor(facts);

type RunStore = ReturnType<typeof createRunStore>;

/** A rebuild of desk as the runner records one (`nixstrap rebuild --host desk`); `fields` say the rest. */
function deskRebuild(runs: RunStore, fields: Partial<Parameters<RunStore['start']>[0]>) {
  return runs.start({ kind: 'rebuild', action: 'switch', argv: [], host: 'desk', ...fields });
}

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

type Api = ReturnType<typeof createApi>;

async function write(api: Api, journey: 'init' | 'add-host', repo: string, answers: Answers) {
  const machine = answers.hostName === 'desk' ? facts : wslFacts(answers.hostName);
  const request = { journey, repo, answers, facts: machine };
  const plan = value<Plan>(await api.invoke('plan.compute', request));
  return value<ApplyResult>(await api.invoke('plan.apply', { ...request, planId: plan.id }));
}

/** The desk set up with `first`, then a WSL machine added: a repo of two hosts. */
async function deskAndWinbox(): Promise<{ api: Api; repo: string; dataDir: string }> {
  const dir = tempDir();
  const dataDir = join(dir, 'data');
  const api = createApi({ shell: 'browser', dataDir });
  const repo = join(dir, 'repo');
  await write(api, 'init', repo, first);
  await write(api, 'add-host', repo, answersFor(wslFacts('winbox')));
  return { api, repo, dataDir };
}

async function offer(api: Api, repo: string, answers: Answers): Promise<PreviousAnswers | null> {
  return value(await api.invoke('answers.previous', { repo, answers }));
}

describe('a machine coming back to its host is offered the answers it was last written with', () => {
  it('offers them, says what they hold, never a password hash; the plan made with them drops nothing', async () => {
    const { api, repo } = await deskAndWinbox();
    const previous = await offer(api, repo, fresh);
    expect(previous).toMatchObject({ source: 'write' });
    expect(previous?.answers).toEqual({ ...first, passwordHash: null });
    expect(previous?.changes).toEqual([
      '1 SSH key',
      'the GNOME desktop',
      'the development package profile',
      'the services SSH server and Docker',
    ]);
    expect(Date.now() - Date.parse(previous?.recordedAt ?? '')).toBeLessThan(60_000);

    const mine = { ...fresh, ...previous?.answers, passwordHash: fresh.passwordHash };
    const plan = value<Plan>(
      await api.invoke('plan.compute', { journey: 'add-host', repo, answers: mine, facts }),
    );
    expect(plan.files.filter((f) => f.action !== 'unchanged')).toEqual([]);
  });

  it('offers nothing when nothing is recorded for that repo and host', async () => {
    const { api, repo } = await deskAndWinbox();
    const empty = createApi({ shell: 'browser', dataDir: join(tempDir(), 'data') });
    expect(await offer(empty, repo, fresh)).toBeNull();
    expect(await offer(api, join(tempDir(), 'other-repo'), fresh)).toBeNull();
    expect(await offer(api, repo, { ...fresh, hostName: 'laptop' })).toBeNull();
  });

  it('offers nothing when the recorded answers are the current ones, whatever the password', async () => {
    const { api, repo } = await deskAndWinbox();
    expect(await offer(api, repo, { ...first, passwordHash: null })).toBeNull();
    expect(await offer(api, repo, { ...first, services: ['docker', 'openssh'] })).toBeNull();
  });

  it('offers the newest: a later write, then a later successful rebuild, never a failed one', async () => {
    const { api, repo, dataDir } = await deskAndWinbox();
    const second = { ...first, timeZone: 'UTC' };
    await write(api, 'add-host', repo, second);
    expect((await offer(api, repo, fresh))?.answers.timeZone).toBe('UTC');

    const ledger = openLedger(dataDir);
    try {
      const runs = createRunStore(ledger);
      const built = deskRebuild(runs, { repo, answers: { ...first, shell: 'fish' } });
      runs.finish(built.id, { status: 'succeeded' });
      const failed = deskRebuild(runs, { repo, answers: { ...first, shell: 'zsh' } });
      runs.finish(failed.id, { status: 'failed' });
    } finally {
      ledger.close();
    }
    const previous = await offer(api, repo, fresh);
    expect(previous).toMatchObject({
      source: 'run',
      answers: { shell: 'fish', timeZone: 'Europe/Berlin' },
    });
    expect(previous?.changes).toContain('the fish shell');
  });

  it('skips recorded answers that no longer parse (an older version, a damaged row) without failing', async () => {
    const { api, repo, dataDir } = await deskAndWinbox();
    const ledger = openLedger(dataDir);
    try {
      const later = new Date(Date.now() + 60_000).toISOString();
      const rows = [
        '{"hostName": "desk", "userName":',
        '"desk"',
        JSON.stringify({ ...first, profile: 'workstation' }),
        JSON.stringify({ ...first, packages: ['htop'] }),
      ];
      rows.forEach((json, index) => {
        const { lastInsertRowid } = ledger.db
          .prepare(
            'INSERT INTO answers_snapshots (sha256, answers_json, created_at) VALUES (?, ?, ?)',
          )
          .run(`damaged-${index}`, json, later);
        ledger.db
          .prepare('INSERT INTO writes (repo, host, answers_id, written_at) VALUES (?, ?, ?, ?)')
          .run(repo, 'desk', lastInsertRowid, later);
      });
    } finally {
      ledger.close();
    }
    expect((await offer(api, repo, fresh))?.answers).toEqual({ ...first, passwordHash: null });
  });

  it('finds the answers of a repo written through a symbolic link by its real path, and back', async () => {
    const dir = tempDir();
    const dataDir = join(dir, 'data');
    const api = createApi({ shell: 'browser', dataDir });
    const repo = join(dir, 'repo');
    const link = join(dir, 'config-link');
    mkdirSync(repo);
    symlinkSync(repo, link);
    const { commit } = await write(api, 'init', link, first);
    expect((await offer(api, repo, fresh))?.answers).toEqual({ ...first, passwordHash: null });
    expect((await offer(api, link, fresh))?.answers).toEqual({ ...first, passwordHash: null });

    // A rebuild of that commit started through the link carries the write's answers.
    const ledger = openLedger(dataDir);
    try {
      const runs = createRunStore(ledger);
      const run = deskRebuild(runs, { repo: link, commit, dirty: false });
      const row = ledger.db.prepare('SELECT answers_id FROM runs WHERE id = ?').get(run.id);
      expect(row).toEqual({ answers_id: expect.any(Number) });
      // Recorded under the real path, as the write was: one repo, however it was reached.
      expect(run.repo).toBe(realpathSync(repo));
    } finally {
      ledger.close();
    }
  });

  it('a data folder the ledger cannot be opened in costs the offer only, never the write', async () => {
    const dir = tempDir();
    const dataDir = join(dir, 'not-a-folder');
    writeFileSync(dataDir, '');
    const api = createApi({ shell: 'browser', dataDir });
    const result = await write(api, 'init', join(dir, 'repo'), first);
    expect(result.commit).toMatch(/^[0-9a-f]{40}$/);
    // Said, not swallowed: the day this machine comes back, nothing will offer these answers.
    expect(result.unrecorded).toBe(
      `The commit holds everything, but Nixstrap could not keep these answers for when this machine comes back to host ${result.plan.hostName}: the data folder ${dataDir} cannot be created: a file stands where it or one of its parent folders should be. Use a data folder you can write to.`,
    );
  });
});

describe('the CLI tells a returning host of its previous answers and prints them', () => {
  const qemu = join(fixturesDir, 'qemu-kvm-uefi');
  const workstation = join(repoRoot, 'test/fixtures/answers/workstation.json');
  /** The CLI as run on the QEMU machine, with its own data folder. */
  const onQemu = (dataDir: string) => (args: string[]) =>
    nixstrap([...args, '--fixture', qemu, '--data-dir', dataDir]);
  const LINE =
    /^nixstrap: host atlas was written with other answers on \d{4}-\d\d-\d\d \d\d:\d\d UTC: 1 SSH key, the KDE Plasma desktop\. `nixstrap answers --repo (\S+) --host atlas --commit ([0-9a-f]{40})` prints them as an answers file\.\n$/;

  it('plan and add-host say so on stderr; answers prints them as a file that plans with nothing to tell', () => {
    const dir = tempDir();
    const repo = join(dir, 'config');
    const dataDir = join(dir, 'data');
    const written = JSON.parse(readFileSync(workstation, 'utf8')) as Answers;
    const cli = onQemu(dataDir);
    const recorded = (args: string[]) => nixstrap(['answers', ...args, '--data-dir', dataDir]);
    expect(cli(['init', '--repo', repo, '--answers', workstation]).code).toBe(0);
    const first = execFileSync('git', ['-C', repo, 'rev-parse', 'HEAD'], {
      encoding: 'utf8',
    }).trim();

    const plain = join(dir, 'plain.json');
    writeFileSync(plain, JSON.stringify({ ...written, desktop: 'none', sshAuthorizedKeys: [] }));
    const plan = cli(['plan', '--repo', repo, '--answers', plain, '--json']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(JSON.parse(plan.stdout)).toMatchObject({ hostName: 'atlas' });
    expect(plan.stderr).toMatch(LINE);
    expect(plan.stderr.match(LINE)?.slice(1)).toEqual([repo, first]);

    // add-host writes the plain answers, and says what the host had before, by its commit.
    const added = cli(['add-host', '--repo', repo, '--answers', plain]);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stderr.match(LINE)?.slice(1)).toEqual([repo, first]);

    const before = recorded(['--repo', repo, '--host', 'atlas', '--commit', first]);
    expect(before.code, before.stderr).toBe(0);
    const file = JSON.parse(before.stdout) as Answers;
    expect(file).toMatchObject({ ...written, passwordHash: null });
    const newest = recorded(['--repo', repo, '--host', 'atlas', '--json']);
    expect(JSON.parse(newest.stdout)).toMatchObject({
      source: 'write',
      answers: { desktop: 'none', sshAuthorizedKeys: [] },
    });

    // The password is the user's to give again (`nixstrap hash-password`); the plan then tells
    // of the plain answers, and planning those again tells of nothing.
    const again = join(dir, 'again.json');
    writeFileSync(again, JSON.stringify({ ...file, passwordHash: written.passwordHash }));
    const back = cli(['plan', '--repo', repo, '--answers', again]);
    expect(back.code, back.stderr).toBe(0);
    expect(back.stderr).toContain('no desktop');
    const same = cli(['plan', '--repo', repo, '--answers', plain]);
    expect(same.code, same.stderr).toBe(0);
    expect(same.stderr).toBe('');
  });

  it('answers --commit takes a commit’s first digits as git does, and refuses garbage or an ambiguous start', async () => {
    const dir = tempDir();
    const dataDir = join(dir, 'data');
    const repo = join(dir, 'repo');
    const written = await write(createApi({ shell: 'browser', dataDir }), 'init', repo, first);
    const commit = written.commit ?? '';
    const recorded = (sha: string) =>
      nixstrap([
        'answers',
        '--repo',
        repo,
        '--host',
        'desk',
        '--commit',
        sha,
        '--data-dir',
        dataDir,
      ]);

    const short = recorded(commit.slice(0, 7).toUpperCase());
    expect(short.code, short.stderr).toBe(0);
    expect(JSON.parse(short.stdout)).toEqual({ ...first, passwordHash: null });

    const garbage = recorded('zz$(id)');
    expect(garbage.code).toBe(2);
    expect(garbage.stderr).toContain(
      '--commit must be a commit id (4 to 40 hex digits), not "zz$(id)".',
    );
    expect(recorded('abc').code).toBe(2);

    const ledger = openLedger(dataDir);
    try {
      const answersId = (
        ledger.db.prepare('SELECT answers_id FROM writes').get() as { answers_id: number }
      ).answers_id;
      for (const other of ['abcd1111', 'abcd2222']) {
        ledger.db
          .prepare(
            'INSERT INTO writes (repo, host, commit_id, answers_id, written_at) VALUES (?, ?, ?, ?, ?)',
          )
          .run(repo, 'desk', other.padEnd(40, '0'), answersId, new Date().toISOString());
      }
    } finally {
      ledger.close();
    }
    const ambiguous = recorded('abcd');
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain(
      '--commit abcd is the start of 2 commits with recorded answers: abcd11110000, abcd22220000.',
    );
    expect(ambiguous.stdout).toBe('');
    expect(recorded('abcd1').code).toBe(0);
  });

  it('answers for a host with none recorded: one sentence, exit 1', () => {
    const dir = tempDir();
    const run = nixstrap([
      'answers',
      '--repo',
      join(dir, 'config'),
      '--host',
      'atlas',
      '--data-dir',
      join(dir, 'data'),
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Nixstrap has no answers recorded for host atlas in');
    expect(run.stdout).toBe('');
  });

  it('answers after the ledger was found damaged: says where the answers written before are', () => {
    const dir = tempDir();
    const repo = join(dir, 'config');
    const dataDir = join(dir, 'data');
    const cli = onQemu(dataDir);
    const init = cli(['init', '--repo', repo, '--answers', workstation]);
    expect(init.code, init.stderr).toBe(0);
    // Garbage over the first page of the real ledger: SQLite no longer knows it as a database.
    const ledgerFile = join(dataDir, LEDGER_FILE);
    const bytes = readFileSync(ledgerFile);
    bytes.fill(0x5a, 0, 4096);
    writeFileSync(ledgerFile, bytes);

    const answers = () =>
      nixstrap(['answers', '--repo', repo, '--host', 'atlas', '--data-dir', dataDir]);
    const SENTENCE =
      /Nixstrap has no answers recorded for host atlas in \S+ since (\d{4}-\d\d-\d\d \d\d:\d\d) UTC: the ledger was found damaged then, and answers written before were in the ledger moved aside to (\S+?)(?: \(.*\))?\.\n {2}hint: Read them from that file with `sqlite3 /;
    const first = answers();
    expect(first.code).toBe(1);
    expect(first.stdout).toBe('');
    expect(first.stderr).toMatch(/^nixstrap: The ledger was damaged and has been moved to /m);
    const [, when, aside] = first.stderr.match(SENTENCE) ?? [];
    expect(readFileSync(aside as string)).toEqual(bytes);
    expect(Date.now() - Date.parse(`${when?.replace(' ', 'T')}Z`)).toBeLessThan(120_000);

    // A later start still finds the moved file in the data folder, and says so again.
    const later = answers();
    expect(later.code).toBe(1);
    expect(later.stderr).not.toMatch(/has been moved/);
    expect(later.stderr.match(SENTENCE)?.slice(1)).toEqual([when, aside]);

    // Damaged again: the newest moved file is named, the older one counted.
    const fresh = readFileSync(ledgerFile);
    fresh.fill(0x5a, 0, 4096);
    writeFileSync(ledgerFile, fresh);
    const twice = answers().stderr;
    expect(twice).toContain('(1 older damaged ledger is beside it)');
    expect(twice.match(SENTENCE)?.[2]).not.toBe(aside);
    expect(readFileSync(twice.match(SENTENCE)?.[2] as string)).toEqual(fresh);

    // Answers written since are found as before.
    const again = cli(['add-host', '--repo', repo, '--answers', workstation]);
    expect(again.code, again.stderr).toBe(0);
    expect(answers().code).toBe(0);
  });

  it('answers for a host name no answers can have (shell characters, a dot) is a usage error', () => {
    const dir = tempDir();
    for (const host of ['atlas;rm -rf ~', 'atlas.example.org']) {
      const run = nixstrap([
        'answers',
        '--repo',
        dir,
        '--host',
        host,
        '--data-dir',
        join(dir, 'data'),
      ]);
      expect(run.code, host).toBe(2);
      expect(run.stderr).toContain(
        `--host ${JSON.stringify(host)} is no host name Nixstrap writes`,
      );
      expect(run.stdout).toBe('');
    }
  });
});
