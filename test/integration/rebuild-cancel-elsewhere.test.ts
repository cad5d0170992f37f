import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { spawn as spawnPty } from 'node-pty';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { RunSummarySchema } from '../../common';
import { createApi } from '../../main/api';
import { openLedger } from '../../main/core/ledger';
import { getRun } from '../../main/core/rebuild';
import { stripAnsi } from '../../main/core/rebuild/text';
import { startServe } from '../e2e/serve';
import { makeStandInFlake, type StandInFlake, standInEnv } from '../helpers/stand-in-flake';
import { type CliRun, nixstrap, repoRoot } from './helpers/cli';
import { rebuildDirs, standInRun, terminalText, waitForEvent } from './helpers/rebuild';

const env = standInEnv();
const bin = path.join(repoRoot, 'bin/nixstrap.js');

function slowFlake(): StandInFlake {
  return makeStandInFlake({
    demo: { steps: [{ name: 'slow-1.0', lines: ['started the slow part'], sleepSeconds: 120 }] },
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function runsOf(dataDir: string) {
  const run = nixstrap(['runs', '--json', '--data-dir', dataDir], { env });
  expect(run.code).toBe(0);
  return RunSummarySchema.array().parse(JSON.parse(run.stdout));
}

const stopAfterTest: (() => void)[] = [];
afterEach(() => {
  for (const stop of stopAfterTest.splice(0)) stop();
});

/**
 * `nixstrap rebuild` in a terminal of its own, as a user starts it over SSH: `until` waits for
 * its screen to show a text, `exit` gives its exit code once the process ends.
 */
function rebuildInTerminal(args: string[]) {
  const term = spawnPty(process.execPath, [bin, 'rebuild', ...args], {
    cols: 120,
    rows: 30,
    env: env as Record<string, string>,
  });
  let screen = '';
  let running = true;
  const exit = new Promise<number>((resolve) =>
    term.onExit(({ exitCode }) => {
      running = false;
      resolve(exitCode);
    }),
  );
  // A failed test leaves no build behind: SIGTERM is the CLI's own cancel.
  stopAfterTest.push(() => running && term.kill('SIGTERM'));
  term.onData((data) => {
    screen += data;
  });
  const until = (text: string) =>
    new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (!screen.includes(text)) return;
        clearInterval(timer);
        resolve();
      }, 50);
      void exit.then(() => {
        clearInterval(timer);
        reject(new Error(`the rebuild ended before "${text}": ${screen}`));
      });
    });
  return { pid: term.pid, until, exit, screen: () => screen };
}

/** The CLI in a process of its own, not blocking this one (which reads the owner's terminal). */
function nixstrapAsync(args: string[]): Promise<CliRun> {
  const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, ...env } });
  const run = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => {
    run.stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    run.stderr += chunk.toString();
  });
  return new Promise((resolve) =>
    child.once('exit', (code) => resolve({ ...run, code: code ?? -1 })),
  );
}

async function runningId(dataDir: string): Promise<string> {
  const [run] = runsOf(dataDir);
  expect(run?.status).toBe('running');
  return String(run?.id);
}

describe('nixstrap cancel RUN, for a run another process owns', () => {
  it('cancels a rebuild waiting at its confirm in a terminal nobody answers: cancelled, profile untouched, log kept, lock free', async () => {
    const flake = makeStandInFlake({ demo: { steps: [{ name: 'hello-2.12', lines: ['hi'] }] } });
    const { dataDir, profile } = rebuildDirs('cancel-elsewhere-confirm');
    const owner = rebuildInTerminal([
      '--repo',
      flake.dir,
      '--host',
      'demo',
      '--profile',
      profile,
      '--data-dir',
      dataDir,
    ]);
    await owner.until('[y/N]');
    const runId = await runningId(dataDir);
    // Another start here is refused, with the command that cancels the run.
    const busy = await nixstrapAsync([
      'rebuild',
      '--repo',
      flake.dir,
      '--host',
      'demo',
      '--action',
      'build',
      '--data-dir',
      dataDir,
    ]);
    expect(busy.code).toBe(1);
    expect(busy.stderr).toBe(
      `nixstrap: Another rebuild (run ${runId}, process ${owner.pid}) is running with this data folder.\n` +
        `  hint: Wait for it to finish, or cancel it with \`nixstrap cancel ${runId}\` when the terminal or window that started it is gone.\n`,
    );

    const cancel = await nixstrapAsync(['cancel', runId, '--data-dir', dataDir]);
    expect(cancel.stderr).toBe('');
    expect(cancel.stdout).toBe(
      `Cancelled run ${runId}. Nothing was changed: the new configuration was built but not applied.\n` +
        `\`nixstrap log ${runId}\` shows its log.\n`,
    );
    expect(cancel.code).toBe(0);
    // The owner ended the run itself, and said so in its own terminal.
    expect(await owner.exit).toBe(1);
    expect(owner.screen()).toContain(`Cancelling… (asked by process `);

    expect(runsOf(dataDir)[0]).toMatchObject({ id: runId, status: 'cancelled', generation: null });
    expect(fs.existsSync(profile)).toBe(false);
    expect(flake.calls()).toEqual([]);
    const log = nixstrap(['log', runId, '--data-dir', dataDir], { env });
    expect(log.stdout).toContain('hello-2.12> hi');
    expect(log.stdout).toContain('Cancelling… (asked by process ');
    expect(fs.existsSync(path.join(dataDir, 'rebuild.lock'))).toBe(false);
    const next = nixstrap(
      [
        'rebuild',
        '--repo',
        flake.dir,
        '--host',
        'demo',
        '--action',
        'build',
        '--data-dir',
        dataDir,
      ],
      { env },
    );
    expect(next.code).toBe(0);
  });

  it('refuses a run past the start of activation in one sentence, and the run goes on', async () => {
    const flake = makeStandInFlake({
      demo: { activationLines: ['restarting units...'], activationSleepSeconds: 4 },
    });
    const { dataDir, profile } = rebuildDirs('cancel-elsewhere-activation');
    const owner = rebuildInTerminal([
      '--repo',
      flake.dir,
      '--host',
      'demo',
      '--profile',
      profile,
      '--yes',
      '--data-dir',
      dataDir,
    ]);
    await owner.until('restarting units...');
    const runId = await runningId(dataDir);

    const cancel = await nixstrapAsync(['cancel', runId, '--data-dir', dataDir]);
    expect(cancel.code).toBe(1);
    expect(cancel.stderr).toBe(
      `nixstrap: Run ${runId} is past the start of activation (it is activating the new configuration): stopping it now could leave this machine partly changed, so it was not cancelled.\n` +
        `  hint: Let it finish (\`nixstrap log ${runId}\` shows it so far), then roll back if you do not want it.\n`,
    );
    expect(await owner.exit).toBe(0);
    expect(runsOf(dataDir)[0]).toMatchObject({ id: runId, status: 'succeeded', generation: 1 });
  });

  it('never signals a run another machine sharing the data folder records, nor a pid recorded before a restart', async () => {
    const flake = slowFlake();
    const { dataDir } = rebuildDirs('cancel-elsewhere-machine');
    const owner = rebuildInTerminal([
      '--repo',
      flake.dir,
      '--host',
      'demo',
      '--action',
      'build',
      '--data-dir',
      dataDir,
    ]);
    await owner.until('started the slow part');
    const runId = await runningId(dataDir);
    const recordAs = (column: string, value: string) => {
      const ledger = openLedger(dataDir);
      ledger.db.prepare(`UPDATE runs SET ${column} = ? WHERE id = ?`).run(value, runId);
      ledger.close();
    };

    recordAs('machine', 'f'.repeat(32));
    const otherMachine = await nixstrapAsync(['cancel', runId, '--data-dir', dataDir]);
    expect(otherMachine.code).toBe(1);
    expect(otherMachine.stderr.split('\n')[0]).toBe(
      `nixstrap: Run ${runId} runs on another machine that shares this data folder, so it cannot be cancelled from here.`,
    );

    // The same pid in an earlier boot is some other process now: the run died with that boot.
    recordAs('machine', fs.readFileSync('/etc/machine-id', 'utf8').trim());
    recordAs('boot_id', '00000000-0000-0000-0000-000000000000');
    const earlierBoot = await nixstrapAsync(['cancel', runId, '--data-dir', dataDir]);
    expect(earlierBoot.code).toBe(1);
    expect(earlierBoot.stderr.split('\n')[0]).toBe(
      `nixstrap: Run ${runId} is not running: it ended interrupted.`,
    );

    // An older Nixstrap's lock does not say it answers: the signal would kill it, so none goes.
    recordAs('boot_id', fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim());
    recordAs('status', 'running');
    const lockFile = path.join(dataDir, 'rebuild.lock');
    const { answersCancel, ...olderLock } = JSON.parse(fs.readFileSync(lockFile, 'utf8'));
    expect(answersCancel).toBe(true);
    fs.writeFileSync(lockFile, JSON.stringify(olderLock));
    const older = await nixstrapAsync(['cancel', runId, '--data-dir', dataDir]);
    expect(older.code).toBe(1);
    expect(older.stderr.split('\n')[0]).toBe(
      `nixstrap: Process ${owner.pid} runs an older Nixstrap, which cannot be asked to cancel run ${runId}.`,
    );

    // None of them signalled the process that still builds.
    expect(owner.screen()).not.toContain('Cancelling');
    process.kill(owner.pid, 'SIGINT');
    expect(await owner.exit).toBe(1);
  });
});

describe('nixstrap cancel RUN, for a run of `nixstrap serve`', () => {
  it('is answered by the server, which cancels the run and goes on serving', async () => {
    const flake = slowFlake();
    const { dataDir, profile } = rebuildDirs('cancel-elsewhere-serve');
    const server = await startServe(['--data-dir', dataDir, '--profile', profile], {
      env: { NIX_CONFIG: env.NIX_CONFIG },
    });
    try {
      const token = new URL(server.url).hash.slice('#token='.length);
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const replies: { id: number; result: { ok: boolean; value?: { runId?: string } } }[] = [];
      ws.on('message', (data) => replies.push(JSON.parse(String(data))));
      await once(ws, 'open');
      const call = async (id: number, channel: string, request: unknown) => {
        ws.send(JSON.stringify({ id, channel, request }));
        while (!replies.some((reply) => reply.id === id)) await sleep(20);
        return replies.find((reply) => reply.id === id)?.result;
      };
      const started = await call(1, 'rebuild.start', {
        repo: flake.dir,
        host: 'demo',
        action: 'build',
      });
      const runId = String(started?.value?.runId);
      const log = path.join(dataDir, 'runs', runId, 'terminal.log');
      while (
        !(fs.existsSync(log) && fs.readFileSync(log, 'utf8').includes('started the slow part'))
      ) {
        await sleep(50);
      }

      const cancel = await nixstrapAsync(['cancel', runId, '--data-dir', dataDir]);
      expect(cancel.stderr).toBe('');
      expect(cancel.stdout.split('\n')[0]).toBe(
        `Cancelled run ${runId}. The run was cancelled before it changed anything on this machine.`,
      );
      expect(runsOf(dataDir)[0]).toMatchObject({ id: runId, status: 'cancelled' });
      expect(fs.readFileSync(log, 'utf8')).toContain('Cancelling… (asked by process ');
      // The signal that asked stopped nothing else: the server still answers.
      expect(await call(2, 'app.info', {})).toMatchObject({ ok: true });
      ws.close();
    } finally {
      await server.stop();
    }
  });
});

describe('nixstrap cancel RUN, for a run of another user', () => {
  // Root starts the run and hands the cancel to nobody: only root can do both.
  it.skipIf(process.getuid?.() !== 0)(
    'refuses in one sentence with a hint, and the run goes on',
    async () => {
      const flake = slowFlake();
      const { dataDir } = rebuildDirs('cancel-elsewhere-user');
      const owner = rebuildInTerminal([
        '--repo',
        flake.dir,
        '--host',
        'demo',
        '--action',
        'build',
        '--data-dir',
        dataDir,
      ]);
      await owner.until('started the slow part');
      const runId = await runningId(dataDir);
      // A data folder both may use; the run is root's (this test's), the cancel nobody's.
      execFileSync('chmod', ['-R', 'a+rwX', path.dirname(dataDir)]);
      const cancel = spawnSync(
        'setpriv',
        [
          '--reuid=65534',
          '--regid=65534',
          '--clear-groups',
          process.execPath,
          bin,
          'cancel',
          runId,
          '--data-dir',
          dataDir,
        ],
        { encoding: 'utf8', env },
      );
      expect(cancel.status).toBe(1);
      expect(cancel.stderr).toBe(
        `nixstrap: Run ${runId} belongs to process ${owner.pid} of root, and only that user may cancel it.\n` +
          `  hint: Cancel it as that user (\`sudo nixstrap cancel ${runId} --data-dir ${dataDir}\`), or where it was started.\n`,
      );
      expect(owner.screen()).not.toContain('Cancelling');
      process.kill(owner.pid, 'SIGINT');
      expect(await owner.exit).toBe(1);
    },
  );
});

describe('the owner of a run, asked to cancel it', () => {
  it('refuses once activation has started, even when the asker saw it before, and the run goes on', async () => {
    const flake = makeStandInFlake({
      demo: { activationLines: ['restarting units...'], activationSleepSeconds: 3 },
    });
    const dirs = rebuildDirs('cancel-elsewhere-owner');
    const run = await standInRun(flake, dirs);
    await waitForEvent(run, (e) => e.type === 'output' && e.text.includes('restarting units...'));
    // As an asker that checked just before activation started: its request arrives after.
    const dir = path.join(dirs.dataDir, 'runs', run.id);
    fs.writeFileSync(path.join(dir, 'cancel-0123456789abcdef.request'), '{"pid":1}');
    process.kill(process.pid, 'SIGUSR2');
    const answer = path.join(dir, 'cancel-0123456789abcdef.answer');
    while (!fs.existsSync(answer)) await sleep(20);
    expect(JSON.parse(fs.readFileSync(answer, 'utf8'))).toEqual({ answer: 'changing' });
    expect(await run.done).toMatchObject({ status: 'succeeded', generation: 1 });
    expect(stripAnsi(terminalText(run))).not.toContain('Cancelling');
  });
});

describe('the API, refused a start while another process runs a rebuild', () => {
  it('offers to cancel that run, and cancelling it there ends it as its owner would', async () => {
    const flake = slowFlake();
    const { dataDir, profile } = rebuildDirs('cancel-elsewhere-api');
    const owner = rebuildInTerminal([
      '--repo',
      flake.dir,
      '--host',
      'demo',
      '--profile',
      profile,
      '--yes',
      '--data-dir',
      dataDir,
    ]);
    await owner.until('started the slow part');
    const runId = await runningId(dataDir);
    // The API's own runs build with the environment's Nix settings, as the app's do.
    Object.assign(process.env, env);
    const api = createApi({ shell: 'browser', dataDir, profile });
    const start = { repo: flake.dir, host: 'demo', action: 'build' as const };

    const refused = await api.invoke('rebuild.start', start);
    expect(refused).toMatchObject({
      ok: false,
      error: {
        code: 'REBUILD_BUSY',
        message: `Another rebuild (run ${runId}, process ${owner.pid}) is running with this data folder.`,
        heldElsewhere: { runId, pid: owner.pid },
      },
    });

    expect(await api.invoke('rebuild.cancel', { runId })).toEqual({ ok: true, value: {} });
    expect(runsOf(dataDir)[0]).toMatchObject({
      id: runId,
      status: 'cancelled',
      error: {
        code: 'CANCELLED',
        message: 'The run was cancelled before it changed anything on this machine.',
      },
    });
    expect(await owner.exit).toBe(1);
    expect(fs.existsSync(profile)).toBe(false);
    expect(flake.calls()).toEqual([]);
    expect(nixstrap(['log', runId, '--data-dir', dataDir], { env }).stdout).toContain(
      'started the slow part',
    );

    // The lock is free: the start refused before now runs.
    flake.update({ demo: {} });
    const started = await api.invoke('rebuild.start', start);
    if (!started.ok) throw new Error(started.error.message);
    expect(await getRun(dataDir, started.value.runId)?.done).toMatchObject({ status: 'succeeded' });
  });
});
