import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { FactsSchema } from '../../common';
import { createRunStore, openLedger } from '../../main/core/ledger';
import { fixturesDir, nixstrap, repoRoot, tempDir } from './helpers/cli';

const qemu = path.join(fixturesDir, 'qemu-kvm-uefi');

function expectOneSentenceError(run: { code: number; stdout: string; stderr: string }, code = 1) {
  expect(run.code).toBe(code);
  expect(run.stdout).toBe('');
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[0]).toMatch(/^nixstrap: .+\.$/);
  expect(lines[1]).toMatch(/^ {2}hint: /);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

beforeAll(() => {
  expect(fs.existsSync(path.join(repoRoot, 'out/main/cli.js')), 'run `npm run build` first').toBe(
    true,
  );
});

describe('nixstrap detect', () => {
  it("names the machine's time zone, locale and keyboard, in words and in JSON", () => {
    const thinkpad = path.join(fixturesDir, 'thinkpad-t480-luks');
    const text = nixstrap(['detect', '--fixture', thinkpad]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Time zone    Europe/Berlin\n');
    expect(text.stdout).toContain('Locale       de_DE.UTF-8\n');
    expect(text.stdout).toContain('Keyboard     de (nodeadkeys)\n');
    const json = JSON.parse(nixstrap(['detect', '--fixture', thinkpad, '--json']).stdout);
    expect(json).toMatchObject({
      timeZone: 'Europe/Berlin',
      locale: 'de_DE.UTF-8',
      keyboard: { layout: 'de', variant: 'nodeadkeys' },
    });
  });

  it('prints the facts of a captured machine as JSON', () => {
    const run = nixstrap(['detect', '--fixture', qemu, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const facts = FactsSchema.parse(JSON.parse(run.stdout));
    expect(facts).toMatchObject({ system: 'x86_64-linux', kind: 'vm', virtualisation: 'kvm' });
  });

  it('prints the facts of this machine', () => {
    const run = nixstrap(['detect', '--json']);
    expect(run.code).toBe(0);
    const facts = FactsSchema.parse(JSON.parse(run.stdout));
    expect(facts.system).toBe(process.arch === 'arm64' ? 'aarch64-linux' : 'x86_64-linux');
    expect(facts.cpu.cores).toBeGreaterThan(0);
    expect(facts.memoryBytes).toBeGreaterThan(0);
  });

  it('prints a readable summary without --json', () => {
    const run = nixstrap(['detect', '--fixture', qemu]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Machine\s+Virtual machine \(KVM, QEMU\)$/m);
    expect(run.stdout).toMatch(/^System\s+x86_64-linux$/m);
  });

  it('refuses a missing fixture folder in one sentence, its hint not to fix a file', () => {
    const run = nixstrap(['detect', '--fixture', '/nonexistent/machine', '--json']);
    expectOneSentenceError(run);
    expect(run.stderr).toContain('hint: Check the path');
    expect(run.stderr).not.toContain('fix the file by hand');
  });

  it('says a file given as the fixture is a file, not that it does not exist', () => {
    const file = path.join(tempDir('fixture-file'), 'machine.json');
    fs.writeFileSync(file, '{}');
    const run = nixstrap(['detect', '--fixture', file, '--json']);
    expectOneSentenceError(run);
    expect(run.stderr).toMatch(/^nixstrap: \S+machine\.json is a file, not a fixture folder\./);
  });

  it('refuses a fixture with a garbled machine.json in one sentence', () => {
    const dir = tempDir('bad-fixture');
    fs.writeFileSync(path.join(dir, 'machine.json'), '{ "platform": "linux", ');
    fs.writeFileSync(path.join(dir, 'commands.json'), '{}');
    const run = nixstrap(['detect', '--fixture', dir, '--json']);
    expectOneSentenceError(run);
    expect(run.stderr).toContain('machine.json');
  });
});

describe('text from a machine or a request that a terminal would act on', () => {
  it('is printed as codes: a fixture cannot retitle, clear or recolour the terminal', () => {
    const fixture = path.join(tempDir('escapes'), 'machine');
    fs.cpSync(qemu, fixture, { recursive: true, verbatimSymlinks: true });
    fs.writeFileSync(
      path.join(fixture, 'root/sys/class/dmi/id/product_name'),
      'Evil\u001b]0;owned\u0007\u001b[2J\u009b31m\n',
    );
    const detect = nixstrap(['detect', '--fixture', fixture]);
    expect(detect.code).toBe(0);
    expect(detect.stdout).toContain('Evil\\u001b]0;owned\\u0007\\u001b[2J\\u009b31m');
    for (const control of ['\u0007', '\u001b', '\u009b'])
      expect(detect.stdout).not.toContain(control);
    expect(JSON.parse(nixstrap(['detect', '--fixture', fixture, '--json']).stdout).model).toBe(
      'Evil\u001b]0;owned\u0007\u001b[2J\u009b31m',
    );

    const log = nixstrap(['log', 'run\u001b[2J', '--data-dir', tempDir('escapes-data')]);
    expect(log.code).toBe(1);
    expect(log.stderr).toMatch(/^nixstrap: There is no recorded run run\\u001b\[2J /);
  });
});

describe('the CLI surface', () => {
  it('lists every verb of the contract in its help', () => {
    const run = nixstrap(['help']);
    expect(run.code).toBe(0);
    for (const verb of [
      'detect',
      'capture',
      'init',
      'add-host',
      'plan',
      'hosts',
      'check',
      'rebuild',
      'runs',
      'log',
      'generations',
      'rollback',
      'serve',
    ]) {
      expect(run.stdout).toMatch(new RegExp(`^ {2}${verb}\\s`, 'm'));
    }
  });

  it('rejects an unknown flag with usage and exit code 2', () => {
    expectOneSentenceError(nixstrap(['detect', '--frobnicate']), 2);
  });

  it('names the verb or flag a typo most likely meant', () => {
    const verb = nixstrap(['pln', '--repo', '/tmp/x']);
    expectOneSentenceError(verb, 2);
    expect(verb.stderr).toContain(
      'hint: Did you mean `nixstrap plan`? `nixstrap help` lists the verbs.',
    );
    const flag = nixstrap(['hosts', '--reop', '/tmp/x']);
    expectOneSentenceError(flag, 2);
    expect(flag.stderr).toContain('hint: Did you mean --repo? Usage: nixstrap hosts');
    expect(nixstrap(['help', 'teleport']).stderr).not.toContain('Did you mean');
  });

  it('says so when help is asked about a verb that does not exist', () => {
    const run = nixstrap(['help', 'teleport']);
    expectOneSentenceError(run, 2);
    // The same words as for `nixstrap teleport`.
    expect(run.stderr).toMatch(/^nixstrap: Unknown verb "teleport"\./);
  });

  it('refuses to put a repo inside a kernel file system, quickly', () => {
    const run = nixstrap([
      'init',
      '--repo',
      '/proc/my-config',
      '--answers',
      'test/fixtures/answers/workstation.json',
      '--fixture',
      qemu,
    ]);
    expectOneSentenceError(run);
    expect(run.stderr).toMatch(/inside \/proc, a kernel file system/);
  });

  it('points at the command, not at a wizard step, when a repo is not there', () => {
    const run = nixstrap(['hosts', '--repo', '/tmp/nixstrap-no-such-repo']);
    expectOneSentenceError(run);
    expect(run.stderr).toContain(
      'hint: Check the path; to start a new repo there instead, run `nixstrap init`.',
    );
  });

  it('refuses to list hosts of a folder that is no configuration, as /etc with its hosts file', () => {
    const folder = tempDir('etc-like');
    fs.writeFileSync(path.join(folder, 'hosts'), '127.0.0.1 localhost\n');
    fs.writeFileSync(path.join(folder, 'stray.nix'), '{ }\n');
    for (const verb of ['hosts', 'check']) {
      const run = nixstrap([verb, '--repo', folder]);
      expectOneSentenceError(run);
      expect(run.stderr, verb).toContain('so it is not a Nix configuration.');
      expect(run.stdout, verb).toBe('');
    }
  });

  it('rejects an unknown verb with exit code 2', () => {
    expectOneSentenceError(nixstrap(['teleport']), 2);
  });

  it('names a missing required flag', () => {
    const run = nixstrap(['init', '--repo', '/tmp/x']);
    expectOneSentenceError(run, 2);
    expect(run.stderr).toContain('--answers');
  });

  it.each([
    [
      ['rebuild', '--repo', '/tmp/nixstrap-no-such-repo', '--host', 'h'],
      /There is no folder \/tmp\/nixstrap-no-such-repo\./,
      1,
    ],
    [
      ['generations', '--profile', '/tmp/nixstrap-no-such-profile/system'],
      /There is no Nix profile at/,
      1,
    ],
    [
      ['rollback', '--profile', '/tmp/nixstrap-no-such-profile/system'],
      /asks before it changes anything/,
      2,
    ],
  ])('says in one sentence why %j cannot run here', (args, sentence, code) => {
    const run = nixstrap([...args, '--data-dir', tempDir('data')]);
    expectOneSentenceError(run, code);
    expect(run.stderr).toMatch(sentence);
  });
});

describe('nixstrap runs with a long history', () => {
  it('lists the newest 100, says there are more and how to see them, and --all lists every one', () => {
    const dataDir = tempDir('runs-long');
    const ledger = openLedger(dataDir);
    const runs = createRunStore(ledger);
    // A second apart, so newest first is one order.
    vi.useFakeTimers({ now: new Date('2026-11-01T00:00:00Z'), toFake: ['Date'] });
    const ids = Array.from({ length: 130 }, (_, i) => {
      vi.advanceTimersByTime(1000);
      const run = runs.start({ kind: 'rebuild', action: 'build', argv: [`build ${i}`] });
      runs.finish(run.id, { status: 'succeeded' });
      return run.id;
    });
    vi.useRealTimers();
    ledger.close();
    const newestFirst = [...ids].reverse();

    const listed = nixstrap(['runs', '--data-dir', dataDir]);
    expect(listed.code).toBe(0);
    const rows = listed.stdout.trim().split('\n').slice(1);
    expect(rows.map((row) => row.split(' ')[0])).toEqual(newestFirst.slice(0, 100));
    expect(listed.stderr).toBe(
      'Only the newest 100 runs are listed; `nixstrap runs --all` lists every one.\n',
    );

    const all = nixstrap(['runs', '--all', '--json', '--data-dir', dataDir]);
    expect(all.stderr).toBe('');
    expect(JSON.parse(all.stdout).map((run: { id: string }) => run.id)).toEqual(newestFirst);
  });
});

describe('nixstrap capture', () => {
  it('writes a fixture of this machine that detect replays to the same facts', () => {
    const out = path.join(tempDir('capture'), 'this-machine');
    const run = nixstrap(['capture', '--out', out]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^wrote .*machine\.json$/m);
    expect(run.stdout).toMatch(/Replay with: nixstrap detect --fixture /);
    for (const file of ['machine.json', 'commands.json', 'root/proc/cpuinfo']) {
      expect(fs.existsSync(path.join(out, file)), file).toBe(true);
    }
    expect(fs.existsSync(path.join(out, 'root/etc/shadow'))).toBe(false);

    const live = JSON.parse(nixstrap(['detect', '--json']).stdout);
    const replayed = JSON.parse(nixstrap(['detect', '--fixture', out, '--json']).stdout);
    expect(replayed).toEqual(live);
  });

  it('refuses to write into a folder that holds something', () => {
    const out = tempDir('capture-full');
    fs.writeFileSync(path.join(out, 'keep.txt'), 'mine');
    const run = nixstrap(['capture', '--out', out]);
    expectOneSentenceError(run, 2);
    expect(fs.readFileSync(path.join(out, 'keep.txt'), 'utf8')).toBe('mine');
  });
});

describe('nixstrap capture into a place nothing can be written', () => {
  it('fails at once with one sentence', () => {
    const run = nixstrap(['capture', '--out', '/proc/nixstrap-capture']);
    expectOneSentenceError(run);
    expect(run.stderr).toMatch(/Could not write the capture to \/proc\/nixstrap-capture/);
  });
});

describe('usage errors are told as usage, with exit code 2 and a hint for users', () => {
  const answers = 'test/fixtures/answers/workstation.json';

  it.each([
    [
      'a flag given twice',
      ['hosts', '--repo', '/tmp/a', '--repo', '/tmp/b'],
      /--repo is given more than once/,
    ],
    ['a switch given twice', ['detect', '--json', '--json'], /--json is given more than once/],
    ['an empty value', ['hosts', '--repo', ''], /--repo needs a value/],
    [
      'a flag whose value is missing before the next flag',
      ['plan', '--repo', '--answers', answers],
      /--repo has no value: the word after it starts with "-"/,
    ],
    [
      'a rebuild action outside its choices',
      ['rebuild', '--repo', '/tmp/r', '--host', 'h', '--action', 'explode'],
      /--action must be one of build, dry-build/,
    ],
    [
      'a generation that is not a number',
      ['rollback', '--to', 'abc'],
      /--to must be a generation number/,
    ],
    [
      'a hex port',
      ['serve', '--port', '0x10'],
      /--port must be a whole number from 0 to 65535, not "0x10"/,
    ],
    ['a port in exponent form', ['serve', '--port', '1e3'], /not "1e3"/],
    ['an empty port', ['serve', '--port', ''], /--port needs a value/],
    ['a port beyond 65535', ['serve', '--port', '65536'], /not "65536"/],
    ['an empty bind address', ['serve', '--bind', ''], /--bind needs a value/],
    [
      'a bind address that is no host name',
      ['serve', '--bind', 'not a host'],
      /--bind must be an IP address or a host name/,
    ],
    [
      'a bind name that does not resolve',
      ['serve', '--bind', 'no-such-host.invalid'],
      /--bind no-such-host\.invalid does not resolve/,
    ],
    [
      'a bind address of another machine',
      ['serve', '--bind', '192.0.2.1'],
      /192\.0\.2\.1 is not an address of this machine/,
    ],
  ])('refuses %s', (_what, args, sentence) => {
    const run = nixstrap(args);
    expectOneSentenceError(run, 2);
    expect(run.stderr).toMatch(sentence);
    expect(run.stderr).not.toMatch(/common\/api\.ts|unexpected problem/);
  });

  it('writes into neither folder when --repo is given twice', () => {
    const a = path.join(tempDir('dup-a'), 'repo');
    const b = path.join(tempDir('dup-b'), 'repo');
    const run = nixstrap([
      'init',
      '--repo',
      a,
      '--repo',
      b,
      '--answers',
      answers,
      '--fixture',
      qemu,
    ]);
    expectOneSentenceError(run, 2);
    expect(fs.existsSync(a) || fs.existsSync(b)).toBe(false);
  });

  it('refuses a port that is taken, naming it', async () => {
    const { createServer } = await import('node:net');
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      const run = nixstrap(['serve', '--port', String(port)]);
      expectOneSentenceError(run, 2);
      expect(run.stderr).toContain(`Port ${port} is already in use`);
    } finally {
      taken.close();
    }
  });

  it('refuses to serve a fixture it cannot read, before listening (exit 1, as detect does)', () => {
    const run = nixstrap(['serve', '--port', '0', '--fixture', '/nonexistent/machine']);
    expectOneSentenceError(run, 1);
    expect(run.stderr).toMatch(
      /^nixstrap: The fixture folder \/nonexistent\/machine does not exist\./,
    );
  });

  it('refuses capture into a file, leaving the file alone', () => {
    const file = path.join(tempDir('capture-file'), 'notes.txt');
    fs.writeFileSync(file, 'mine');
    const run = nixstrap(['capture', '--out', file]);
    expectOneSentenceError(run, 2);
    expect(run.stderr).toContain(`${file} is a file`);
    expect(fs.readFileSync(file, 'utf8')).toBe('mine');
  });

  it('refuses capture into a link to nothing, in one sentence that names the link', () => {
    const link = path.join(tempDir('capture-link'), 'machine');
    fs.symlinkSync('elsewhere', link);
    const run = nixstrap(['capture', '--out', link]);
    expectOneSentenceError(run, 2);
    expect(run.stderr).toContain(`${link} is a link to elsewhere, which does not exist`);
  });

  it('stops reading an endless answers file at 1 MiB', () => {
    const repo = path.join(tempDir('zero'), 'repo');
    const run = nixstrap(['plan', '--repo', repo, '--answers', '/dev/zero', '--fixture', qemu]);
    expectOneSentenceError(run);
    expect(run.stderr).toMatch(/answers file \/dev\/zero cannot be used: it is larger than 1 MiB/);
  });

  it('reads answers from standard input with -', () => {
    const repo = path.join(tempDir('stdin'), 'repo');
    const run = nixstrap(['plan', '--repo', repo, '--answers', '-', '--fixture', qemu, '--json'], {
      input: fs.readFileSync(path.join(repoRoot, answers), 'utf8'),
    });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout).journey).toBe('init');
  });

  it('says a folder given as answers is a folder', () => {
    const run = nixstrap(['plan', '--repo', '/tmp/r', '--answers', tempDir('answers-dir')]);
    expectOneSentenceError(run);
    expect(run.stderr).toMatch(/cannot be used: it is a folder/);
  });
});
