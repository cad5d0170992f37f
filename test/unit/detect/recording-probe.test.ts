import {
  existsSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createLiveProbe,
  createRecordingProbe,
  detectFacts,
  isSecretPath,
  openFixture,
} from '../../../main/core/detect/index';
import type { Probe } from '../../../main/core/detect/probe';

const MACHINES = join(import.meta.dirname, '../../fixtures/machines');
const fixtureNames = readdirSync(MACHINES).filter((name) =>
  existsSync(join(MACHINES, name, 'machine.json')),
);

function tempDir(): string {
  return join(mkdtempSync(join(tmpdir(), 'nixstrap-capture-')), 'fixture');
}

function machinePathsOf(written: string[], dir: string): string[] {
  const root = join(dir, 'root');
  return written.filter((path) => path.startsWith(root)).map((path) => `/${relative(root, path)}`);
}

describe('a capture replays to the same facts', () => {
  it.each(fixtureNames)('%s survives record → write → replay', (name) => {
    const original = openFixture(join(MACHINES, name));
    const recorder = createRecordingProbe(original);
    const recorded = detectFacts(recorder);
    const dir = tempDir();
    const written = recorder.writeFixture(dir);
    expect(written).toContain(join(dir, 'machine.json'));
    expect(detectFacts(openFixture(dir))).toEqual(recorded);
    expect(recorded).toEqual(detectFacts(openFixture(join(MACHINES, name))));
  });

  it('keeps sysfs symlinks as symlinks with their original targets', () => {
    const recorder = createRecordingProbe(openFixture(join(MACHINES, 'thinkpad-t480-luks')));
    detectFacts(recorder);
    const dir = tempDir();
    recorder.writeFixture(dir);
    const link = join(dir, 'root/sys/bus/pci/devices/0000:00:14.0');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe('../../../devices/pci0000:00/0000:00:14.0');
  });

  it('keeps a binary file detection read as hex text, and replays its bytes', () => {
    const fixture = openFixture(join(MACHINES, 'zfs-raid-server'));
    // The live machine's /etc/hostid: four raw bytes, which no text file could hold as they are.
    const raw = new Uint8Array([0x49, 0xe3, 0x25, 0x84]);
    const live: Probe = {
      machine: () => fixture.machine(),
      env: (name) => fixture.env(name),
      readFile: (path) => fixture.readFile(path),
      readBytes: (path) => (path === '/etc/hostid' ? raw : fixture.readBytes(path)),
      readDir: (path) => fixture.readDir(path),
      readLink: (path) => fixture.readLink(path),
      exists: (path) => fixture.exists(path),
      run: (argv) => fixture.run(argv),
    };
    const recorder = createRecordingProbe(live);
    expect(detectFacts(recorder).hostId).toBe('8425e349');
    const dir = tempDir();
    recorder.writeFixture(dir);
    expect(readFileSync(join(dir, 'root/etc/hostid'), 'utf8')).toBe('49e32584\n');
    expect([...(openFixture(dir).readBytes('/etc/hostid') ?? [])]).toEqual([...raw]);
    expect(detectFacts(openFixture(dir)).hostId).toBe('8425e349');
  });

  it('refuses to write into a folder that already holds files', () => {
    const recorder = createRecordingProbe(openFixture(join(MACHINES, 'wsl2')));
    detectFacts(recorder);
    const dir = tempDir();
    recorder.writeFixture(dir);
    expect(() => recorder.writeFixture(dir)).toThrow(/not empty/);
  });
});

describe('a capture never holds a secret', () => {
  const secrets = [
    '/etc/shadow',
    '/root/.bash_history',
    '/home/alice/.ssh/id_ed25519',
    '/etc/ssh/ssh_host_ed25519_key',
  ];

  it('refuses secret paths even when detection asks for them', () => {
    const fixture = openFixture(join(MACHINES, 'hetzner-cx22'));
    const inner: Probe = {
      machine: () => fixture.machine(),
      env: (name) => `value of ${name}`,
      readFile: (path) => fixture.readFile(path) ?? `secret content of ${path}`,
      readBytes: (path) => fixture.readBytes(path),
      readDir: (path) => fixture.readDir(path),
      readLink: (path) => fixture.readLink(path),
      exists: () => true,
      run: (argv) => fixture.run(argv),
    };
    const recorder = createRecordingProbe(inner);
    for (const path of secrets) {
      expect(recorder.readFile(path)).toBeNull();
      expect(recorder.exists(path)).toBe(false);
      expect(recorder.readDir(path)).toBeNull();
    }
    expect(recorder.env('AWS_SECRET_ACCESS_KEY')).toBeUndefined();
    expect(recorder.env('WSL_DISTRO_NAME')).toBe('value of WSL_DISTRO_NAME');
    detectFacts(recorder);
    const dir = tempDir();
    const paths = machinePathsOf(recorder.writeFixture(dir), dir);
    expect(paths).toContain('/proc/cpuinfo');
    expect(paths.filter((path) => isSecretPath(path))).toEqual([]);
    expect(openFixture(dir).env('AWS_SECRET_ACCESS_KEY')).toBeUndefined();
  });

  it('captures this machine without any secret path or foreign environment variable', () => {
    const recorder = createRecordingProbe(createLiveProbe());
    const live = detectFacts(recorder);
    const dir = tempDir();
    const written = recorder.writeFixture(dir);
    const paths = machinePathsOf(written, dir);
    expect(paths.length).toBeGreaterThan(0);
    expect(paths.filter((path) => isSecretPath(path))).toEqual([]);
    const machine = openFixture(dir);
    expect(machine.env('PATH')).toBeUndefined();
    const replayed = detectFacts(machine);
    expect(replayed).toEqual(live);
  });
});
