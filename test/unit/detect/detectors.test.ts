import { describe, expect, it } from 'vitest';
import { primeBusId } from '../../../main/core/detect/detectors/gpu';
import { boardFamily } from '../../../main/core/detect/detectors/machine-kind';
import {
  parseMountinfoLine,
  unescapeKernelPath,
} from '../../../main/core/detect/detectors/mountinfo';
import { parseOsRelease } from '../../../main/core/detect/detectors/os';
import { isAllowedCommand, isSecretPath } from '../../../main/core/detect/index';

describe('NVIDIA PRIME bus ids are decimal', () => {
  it('converts hex sysfs addresses', () => {
    expect(primeBusId('0000:01:00.0')).toBe('PCI:1:0:0');
    expect(primeBusId('0000:0a:1f.3')).toBe('PCI:10:31:3');
    expect(primeBusId('0001:c1:00.0')).toBe('PCI:193@1:0:0');
    expect(primeBusId('garbage')).toBeNull();
  });
});

describe('device-tree boards map to hardware module families', () => {
  it.each([
    [['raspberrypi,5-model-b', 'brcm,bcm2712'], 'raspberry-pi-5'],
    [['raspberrypi,4-model-b', 'brcm,bcm2711'], 'raspberry-pi-4'],
    [['raspberrypi,400', 'brcm,bcm2711'], 'raspberry-pi-4'],
    [['raspberrypi,4-compute-module', 'brcm,bcm2711'], 'raspberry-pi-4'],
    [['raspberrypi,3-model-b-plus', 'brcm,bcm2837'], 'raspberry-pi-3'],
    [['raspberrypi,model-zero-2-w', 'brcm,bcm2837'], 'raspberry-pi-3'],
    [['apple,j313', 'apple,t8103', 'apple,arm-platform'], 'apple-t8103'],
    [['apple,j413', 'apple,t8112', 'apple,arm-platform'], 'apple-t8112'],
    [['apple,j314s', 'apple,t6000', 'apple,arm-platform'], 'apple-t6000'],
    [['pine64,pinebook-pro', 'rockchip,rk3399'], 'pine64-pinebook-pro'],
  ])('%j → %s', (compatible, family) => {
    expect(boardFamily(compatible)).toBe(family);
  });

  it('has no board without a device tree', () => {
    expect(boardFamily([])).toBeNull();
  });
});

describe('mountinfo lines are read as nixos-generate-config reads them', () => {
  it('unescapes spaces and tabs and skips optional fields', () => {
    const mount = parseMountinfoLine(
      '52 26 8:1 / /mnt/Game\\040Library rw,relatime shared:33 master:2 - ntfs3 /dev/sda1 rw,uid=1000',
    );
    expect(mount).toMatchObject({
      majorMinor: '8:1',
      mountPoint: '/mnt/Game Library',
      fsType: 'ntfs3',
      source: '/dev/sda1',
      superOptions: ['rw', 'uid=1000'],
    });
  });

  it('unescapes every octal escape the kernel writes, not only spaces and tabs', () => {
    // The kernel escapes space, tab, line break and backslash in the mount point, root and source.
    const mount = parseMountinfoLine(
      '60 26 0:41 /snap\\134a /srv/back\\134slash\\012two\\011tab rw shared:40 - ext4 /dev/disk/by-label/a\\134b rw',
    );
    expect(mount).toMatchObject({
      root: '/snap\\a',
      mountPoint: '/srv/back\\slash\ntwo\ttab',
      source: '/dev/disk/by-label/a\\b',
    });
    // A backslash the kernel wrote as \134, followed by digits that are part of the name.
    expect(unescapeKernelPath('/srv/a\\134040')).toBe('/srv/a\\040');
    // A run of escapes is bytes: the UTF-8 of ü comes back as one character.
    expect(unescapeKernelPath('/srv/m\\303\\274sli')).toBe('/srv/müsli');
  });

  it('rejects truncated lines', () => {
    expect(parseMountinfoLine('27 26 8:2 / /data rw,relat')).toBeNull();
    expect(parseMountinfoLine('')).toBeNull();
  });
});

describe('os-release values are unquoted', () => {
  it('reads NixOS version ids', () => {
    const values = parseOsRelease(
      'ID=nixos\nVERSION_ID="25.11"\nPRETTY_NAME="NixOS 25.11 (Xantusia)"\n',
    );
    expect(values.get('ID')).toBe('nixos');
    expect(values.get('VERSION_ID')).toBe('25.11');
  });
});

describe('probe rules', () => {
  it('allows exactly the commands FIXTURES.md lists', () => {
    expect(isAllowedCommand(['systemd-detect-virt'])).toBe(true);
    expect(isAllowedCommand(['btrfs', 'subvol', 'show', '/home'])).toBe(true);
    expect(isAllowedCommand(['sysctl', '-n', 'hw.model'])).toBe(true);
    expect(isAllowedCommand(['sysctl', '-w', 'hw.model=1'])).toBe(false);
    expect(isAllowedCommand(['sysctl', '-n', 'a;rm'])).toBe(false);
    expect(isAllowedCommand(['lsblk', '-o', 'TYPE'])).toBe(false);
  });

  it('knows where secrets live', () => {
    for (const path of [
      '/etc/shadow',
      '/root',
      '/home/a/x',
      '/etc/ssh/ssh_host_rsa_key',
      '/x/.ssh/config',
    ]) {
      expect(isSecretPath(path)).toBe(true);
    }
    for (const path of [
      '/proc/cpuinfo',
      '/etc/ssh/ssh_host_rsa_key.pub',
      '/sys/class/dmi/id/sys_vendor',
    ]) {
      expect(isSecretPath(path)).toBe(false);
    }
  });
});
