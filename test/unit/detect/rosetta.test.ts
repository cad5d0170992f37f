import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderHardwareConfiguration } from '../../../main/core/generate/hardware-configuration';
import { detectChanged } from './detect-changed';

/**
 * The UEFI QEMU guest made an arm64 guest of Apple's Virtualization framework (UTM's Apple
 * backend, Lima's vz, Tart), its DMI as such guests report it; `rosetta` shares Rosetta.
 */
function appleGuest(rosetta: 'tag' | 'mount' | 'none', arch: 'arm64' | 'x64' = 'arm64') {
  return detectChanged('qemu-kvm-uefi', (dir) => {
    const json = (file: string, change: (value: Record<string, unknown>) => void) => {
      const value = JSON.parse(readFileSync(join(dir, file), 'utf8'));
      change(value);
      writeFileSync(join(dir, file), JSON.stringify(value));
    };
    json('machine.json', (machine) => {
      machine.arch = arch;
    });
    json('commands.json', (commands) => {
      commands['systemd-detect-virt'] = { stdout: 'apple\n', exitCode: 0 };
      commands['uname -m'] = { stdout: arch === 'arm64' ? 'aarch64\n' : 'x86_64\n', exitCode: 0 };
    });
    const dmi = join(dir, 'root/sys/class/dmi/id');
    writeFileSync(join(dmi, 'sys_vendor'), 'Apple Inc.\n');
    writeFileSync(join(dmi, 'product_name'), 'Apple Virtualization Generic Platform\n');
    if (rosetta === 'tag') {
      mkdirSync(join(dir, 'root/sys/fs/virtiofs/0'), { recursive: true });
      writeFileSync(join(dir, 'root/sys/fs/virtiofs/0/tag'), 'rosetta\n');
    }
    if (rosetta === 'mount') {
      appendFileSync(
        join(dir, 'root/proc/self/mountinfo'),
        '61 1 0:52 / /media/rosetta rw,relatime shared:30 - virtiofs rosetta rw\n',
      );
      mkdirSync(join(dir, 'root/media/rosetta'), { recursive: true });
    }
  });
}

describe('an arm64 guest on a Mac that shares Rosetta', () => {
  it('runs x86_64 programs through it, found by the share’s tag', () => {
    const facts = appleGuest('tag');
    expect(facts.system).toBe('aarch64-linux');
    expect(facts.hardwareSettings).toContain('rosetta');
    expect(renderHardwareConfiguration(facts)).toContain('virtualisation.rosetta.enable = true;');
  });

  it('is found by its mount too, which the rosetta module then makes itself', () => {
    const facts = appleGuest('mount');
    expect(facts.hardwareSettings).toContain('rosetta');
    expect(facts.fileSystems['/media/rosetta']).toMatchObject({ fsType: 'virtiofs' });
    expect(renderHardwareConfiguration(facts)).not.toContain('/media/rosetta');
  });

  it('gets nothing without the share, or on an Intel Mac', () => {
    expect(appleGuest('none').hardwareSettings).not.toContain('rosetta');
    expect(appleGuest('tag', 'x64').hardwareSettings).not.toContain('rosetta');
  });
});
