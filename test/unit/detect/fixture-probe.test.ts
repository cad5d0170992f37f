import { mkdirSync, mkdtempSync, rmdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NixstrapFailure } from '../../../common/result';
import { detectFacts, openFixture } from '../../../main/core/detect/index';

function fixtureDir(
  machine: unknown = {
    platform: 'linux',
    arch: 'x64',
    release: '6.12.10',
    hostName: 'h',
    userName: 'u',
    env: {},
  },
): string {
  const dir = mkdtempSync(join(tmpdir(), 'nixstrap-fixture-'));
  if (machine !== undefined) writeFileSync(join(dir, 'machine.json'), JSON.stringify(machine));
  mkdirSync(join(dir, 'root'));
  return dir;
}

function put(dir: string, path: string, content: string): void {
  const host = join(dir, 'root', path);
  mkdirSync(join(host, '..'), { recursive: true });
  writeFileSync(host, content);
}

function link(dir: string, path: string, target: string): void {
  const host = join(dir, 'root', path);
  mkdirSync(join(host, '..'), { recursive: true });
  symlinkSync(target, host);
}

function failureCode(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof NixstrapFailure) {
      expect(error.error.message.length).toBeGreaterThan(10);
      expect(error.error.hint.length).toBeGreaterThan(10);
      return error.error.code;
    }
    throw error;
  }
  return undefined;
}

describe('a malformed fixture is refused with FIXTURE_INVALID', () => {
  it('refuses a folder that does not exist', () => {
    expect(failureCode(() => openFixture('/nonexistent/nixstrap/fixture'))).toBe('FIXTURE_INVALID');
  });

  it('refuses a fixture without machine.json', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nixstrap-fixture-'));
    expect(failureCode(() => openFixture(dir))).toBe('FIXTURE_INVALID');
  });

  it('refuses garbled machine.json, naming the file', () => {
    const dir = fixtureDir();
    writeFileSync(join(dir, 'machine.json'), '{"platform": "linux", ');
    try {
      openFixture(dir);
      expect.unreachable();
    } catch (error) {
      expect((error as NixstrapFailure).error.code).toBe('FIXTURE_INVALID');
      expect((error as NixstrapFailure).error.message).toContain('machine.json');
    }
  });

  it('refuses machine.json with the wrong shape', () => {
    expect(failureCode(() => openFixture(fixtureDir({ platform: 'linux', arch: 7 })))).toBe(
      'FIXTURE_INVALID',
    );
  });

  it('refuses a fixture without its root/ folder, which would read as a machine with nothing', () => {
    const dir = fixtureDir();
    rmdirSync(join(dir, 'root'));
    expect(failureCode(() => openFixture(dir))).toBe('FIXTURE_INVALID');
    writeFileSync(join(dir, 'root'), 'not a folder');
    expect(failureCode(() => openFixture(dir))).toBe('FIXTURE_INVALID');
  });

  it('refuses commands.json that is not an object of results', () => {
    const dir = fixtureDir();
    writeFileSync(join(dir, 'commands.json'), '["uname -m"]');
    expect(failureCode(() => openFixture(dir))).toBe('FIXTURE_INVALID');
  });
});

describe('a fixture replays its machine and nothing outside it', () => {
  it('re-roots absolute symlinks inside root/ instead of reading the host', () => {
    const dir = fixtureDir();
    put(dir, '/etc/hostname', 'captured-host\n');
    link(dir, '/sys/escape', '/etc/hostname');
    link(dir, '/sys/up', '../../../../../../../../etc/hostname');
    const probe = openFixture(dir);
    expect(probe.readFile('/sys/escape')).toBe('captured-host\n');
    expect(probe.readFile('/sys/up')).toBe('captured-host\n');
    expect(probe.readFile('/../../../etc/hostname')).toBe('captured-host\n');
    expect(probe.readFile('/etc/passwd')).toBeNull();
  });

  it('answers absent for broken links, loops and missing paths without throwing', () => {
    const dir = fixtureDir();
    link(dir, '/sys/broken', '../nowhere');
    link(dir, '/sys/loop', 'loop');
    const probe = openFixture(dir);
    expect(probe.readFile('/sys/broken')).toBeNull();
    expect(probe.exists('/sys/broken')).toBe(false);
    expect(probe.readLink('/sys/broken')).toBe('../nowhere');
    expect(probe.readFile('/sys/loop/x')).toBeNull();
    expect(probe.readDir('/sys/loop')).toBeNull();
    expect(probe.readDir('/missing')).toBeNull();
    expect(probe.run(['systemd-detect-virt'])).toBeNull();
  });

  it('treats a file holding link text as the symlink a flattened capture lost', () => {
    const dir = fixtureDir();
    put(dir, '/sys/devices/pci0000:00/0000:00:02.0/class', '0x0c0330\n');
    put(dir, '/sys/bus/pci/devices/0000:00:02.0', '../../../devices/pci0000:00/0000:00:02.0');
    const probe = openFixture(dir);
    expect(probe.readLink('/sys/bus/pci/devices/0000:00:02.0')).toBe(
      '../../../devices/pci0000:00/0000:00:02.0',
    );
    expect(probe.readFile('/sys/bus/pci/devices/0000:00:02.0/class')).toBe('0x0c0330\n');
    expect(probe.readDir('/sys/bus/pci/devices/0000:00:02.0')).toEqual(['class']);
  });

  it('tells folders from files for `path/.`, as the kernel does', () => {
    const dir = fixtureDir();
    put(dir, '/etc/hosts', '127.0.0.1 localhost\n');
    put(dir, '/boot/loader/loader.conf', 'timeout 3\n');
    const probe = openFixture(dir);
    expect(probe.exists('/etc/hosts')).toBe(true);
    expect(probe.exists('/etc/hosts/.')).toBe(false);
    expect(probe.exists('/boot/.')).toBe(true);
  });

  it('gives only the recorded environment and commands', () => {
    const dir = fixtureDir({
      platform: 'linux',
      arch: 'x64',
      release: '6.6.87.2-microsoft-standard-WSL2',
      hostName: 'h',
      userName: 'u',
      env: { WSL_DISTRO_NAME: 'NixOS' },
    });
    writeFileSync(
      join(dir, 'commands.json'),
      JSON.stringify({ 'uname -m': { stdout: 'x86_64\n', exitCode: 0 } }),
    );
    const probe = openFixture(dir);
    expect(probe.env('WSL_DISTRO_NAME')).toBe('NixOS');
    expect(probe.env('PATH')).toBeUndefined();
    expect(probe.run(['uname', '-m'])).toEqual({ stdout: 'x86_64\n', exitCode: 0 });
    expect(probe.machine().release).toBe('6.6.87.2-microsoft-standard-WSL2');
  });

  it('detects an empty machine as valid facts', () => {
    const facts = detectFacts(openFixture(fixtureDir()));
    expect(facts.system).toBe('x86_64-linux');
    expect(facts.warnings.length).toBeGreaterThan(0);
  });
});
