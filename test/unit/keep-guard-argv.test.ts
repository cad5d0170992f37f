import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { guardArgv, guardDir, pruneGuards } from '../../main/core/rebuild/keep-guard';

const launch = (uid: number, pid1: string | null) => ({
  dataDir: '/home/alice/.local/share/nixstrap',
  runId: '20261127032704-78cbe1',
  runDir: '/run',
  profile: '/nix/var/nix/profiles/system',
  generation: 43,
  trialPath: '/nix/store/aaa-nixos-system-box-25.05',
  request: {
    revertTo: 42,
    revertPath: '/nix/store/bbb-nixos-system-box-25.05',
    revertAction: 'switch' as const,
    keepSeconds: 60,
  },
  platform: { uid, pid1, wsl: false },
  env: process.env,
});

describe('the keep guard is started', () => {
  it('as a transient unit of its own where systemd is PID 1, through sudo unless root', () => {
    const argv = guardArgv(launch(1000, 'systemd')) as string[];
    expect(argv.slice(0, 3)).toEqual([
      'sudo',
      'systemd-run',
      '--unit=nixstrap-keep-guard-20261127032704-78cbe1',
    ]);
    expect(argv).toContain('--collect');
    const script = argv.indexOf('/bin/sh');
    expect(argv.slice(script + 4, script + 14)).toEqual([
      guardDir('/home/alice/.local/share/nixstrap', '20261127032704-78cbe1'),
      '/run',
      '/nix/var/nix/profiles/system',
      '43',
      '/nix/store/aaa-nixos-system-box-25.05',
      '42',
      '/nix/store/bbb-nixos-system-box-25.05',
      'switch',
      '60',
      '30',
    ]);
    // systemd gives a unit a PATH without NixOS's tools: the guard is given its own.
    expect(argv.at(-2)).toContain('/run/current-system/sw/bin');
    // What the guard writes goes under /run, root's, never into the user's data folder.
    expect(argv.at(-1)).toBe('/run/nixstrap/keep-guards/20261127032704-78cbe1');
  });

  it('in a session of its own that ignores the terminal hanging up, elsewhere', () => {
    const argv = guardArgv(launch(0, 'init')) as string[];
    expect(argv.slice(0, 3)).toEqual([
      '/bin/sh',
      '-c',
      'trap "" HUP; exec setsid -f "$@" </dev/null >/dev/null 2>&1',
    ]);
    expect(argv).not.toContain('sudo');
  });

  it('not at all without nix-env to put the profile back with', () => {
    expect(guardArgv({ ...launch(0, 'init'), env: { PATH: '/nonexistent' } })).toBeNull();
  });
});

describe('old guard folders', () => {
  it('go a week after their guard started; recent ones stay', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nixstrap-guards-'));
    const made = (id: string, ended: number | null) => {
      const dir = guardDir(dataDir, id);
      fs.mkdirSync(dir, { recursive: true });
      if (ended === null) return;
      const started = path.join(dir, 'started');
      fs.writeFileSync(started, '');
      const when = new Date(Date.now() - ended * 24 * 3600_000);
      fs.utimesSync(started, when, when);
    };
    made('old', 8);
    made('recent', 1);
    made('never-started', null);
    pruneGuards(dataDir);
    expect(fs.readdirSync(path.join(dataDir, 'keep-guards')).sort()).toEqual([
      'never-started',
      'recent',
    ]);
  });
});
