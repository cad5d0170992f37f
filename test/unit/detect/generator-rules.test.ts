// biome-ignore-all lint/suspicious/noTemplateCurlyInString: hostile mount points contain ${ on purpose.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Facts, FactsSchema } from '../../../common/facts';
import { detectFacts, openFixture } from '../../../main/core/detect/index';
import { defaultAnswers, hostNotices } from '../../../main/core/generate';
import { renderHardwareConfiguration } from '../../../main/core/generate/hardware-configuration';
import { bootChoice } from '../../../main/core/generate/machine';
import { MachineBuilder } from './fixture-builder';
import { SWAPS_HEADER } from './machines/common';

function detect(build: (b: MachineBuilder) => void): Facts {
  const b = new MachineBuilder('linux', 'x64', '6.12.10', 'host', 'user');
  b.command('uname -m', 'x86_64\n');
  b.file('/proc/cpuinfo', 'processor\t: 0\nvendor_id\t: GenuineIntel\nflags\t\t: fpu vmx sse2\n');
  b.file('/proc/swaps', SWAPS_HEADER);
  build(b);
  const dir = join(mkdtempSync(join(tmpdir(), 'nixstrap-rules-')), 'machine');
  b.write(dir);
  return detectFacts(openFixture(dir));
}

function mounts(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

/** A Raspberry Pi's board as Raspberry Pi OS shows it: its kernel's machine, CPU part, model. */
function piBoard(machine: string, cpuPart: string, compatible: string) {
  return (b: MachineBuilder) => {
    b.command('uname -m', `${machine}\n`);
    b.command('systemd-detect-virt', 'none\n', 1);
    b.file('/proc/cpuinfo', `processor\t: 0\nCPU implementer\t: 0x41\nCPU part\t: ${cpuPart}\n`);
    b.file('/proc/device-tree/compatible', compatible);
    b.file('/proc/self/mountinfo', mounts('1 0 179:2 / / rw - ext4 /dev/mmcblk0p2 rw'));
  };
}

describe('storage rules of nixos-generate-config', () => {
  it('adds dm-snapshot for LVM and names the root by uuid', () => {
    const facts = detect((b) => {
      b.command('systemd-detect-virt', 'none\n', 1);
      b.dm(0, 'vg-root', 'LVM-Xg1Rk2f0aZ9wq8Y7LVM3hJ4kP5mN6bV7cX8zA9sD0fG1hJ2kL3qW4eR5tY6uI7o', {});
      b.byUuid('11111111-2222-4333-8444-555555555555', 'dm-0');
      b.file('/proc/self/mountinfo', mounts('1 0 254:0 / / rw - ext4 /dev/mapper/vg-root rw'));
    });
    expect(facts.kernelModules.initrd).toEqual(['dm-snapshot']);
    expect(facts.fileSystems['/']?.device).toBe(
      '/dev/disk/by-uuid/11111111-2222-4333-8444-555555555555',
    );
    expect(facts.hardwareSettings).toEqual(['intel-microcode']);
  });

  it('unlocks the LUKS device under LVM, which nixos-generate-config misses (nixpkgs #490144)', () => {
    const crypt = 'CRYPT-LUKS2-4e3c1b2a8d6f4f0e9a7b5c3d2e1f0a9b-cryptroot';
    const lv = (n: string) =>
      `LVM-Xg1Rk2f0aZ9wq8Y7LVM3hJ4kP5mN6bV7c${n}zA9sD0fG1hJ2kL3qW4eR5tY6uI7o`;
    const facts = detect((b) => {
      b.command('systemd-detect-virt', 'none\n', 1);
      b.file('/dev/nvme0n1p2', '');
      b.dm(0, 'cryptroot', crypt, { nvme0n1p2: '/sys/devices/pci/nvme0n1/nvme0n1p2' });
      b.dm(1, 'vg-root', lv('1'), { 'dm-0': '/sys/devices/virtual/block/dm-0' });
      b.dm(2, 'vg-swap', lv('2'), { 'dm-0': '/sys/devices/virtual/block/dm-0' });
      b.byUuid('4e3c1b2a-8d6f-4f0e-9a7b-5c3d2e1f0a9b', 'nvme0n1p2');
      b.byUuid('11111111-2222-4333-8444-555555555555', 'dm-1');
      b.file('/proc/swaps', `${SWAPS_HEADER}/dev/dm-2 partition 8388604 0 -2\n`);
      b.file('/proc/self/mountinfo', mounts('1 0 254:1 / / rw - ext4 /dev/mapper/vg-root rw'));
    });
    expect(facts.luksDevices).toEqual({
      cryptroot: { device: '/dev/disk/by-uuid/4e3c1b2a-8d6f-4f0e-9a7b-5c3d2e1f0a9b' },
    });
    expect(facts.kernelModules.initrd).toEqual(['dm-snapshot']);
  });

  it('opens LUKS on an LVM volume after LVM is scanned, as stage 1 otherwise fails to find it', () => {
    const facts = detect((b) => {
      b.command('systemd-detect-virt', 'none\n', 1);
      b.file('/dev/nvme0n1p2', '');
      b.dm(
        0,
        'vg0-cryptroot',
        'LVM-Xg1Rk2f0aZ9wq8Y7LVM3hJ4kP5mN6bV7cX8zA9sD0fG1hJ2kL3qW4eR5tY6uI7o',
        {
          nvme0n1p2: '/sys/devices/pci/nvme0n1/nvme0n1p2',
        },
      );
      b.dm(1, 'root', 'CRYPT-LUKS2-4e3c1b2a8d6f4f0e9a7b5c3d2e1f0a9b-root', {
        'dm-0': '/sys/devices/virtual/block/dm-0',
      });
      b.byUuid('4e3c1b2a-8d6f-4f0e-9a7b-5c3d2e1f0a9b', 'dm-0');
      b.byUuid('11111111-2222-4333-8444-555555555555', 'dm-1');
      b.file('/proc/self/mountinfo', mounts('1 0 254:1 / / rw - ext4 /dev/mapper/root rw'));
    });
    expect(facts.luksDevices).toEqual({
      root: { device: '/dev/disk/by-uuid/4e3c1b2a-8d6f-4f0e-9a7b-5c3d2e1f0a9b', insideLvm: true },
    });
    expect(facts.kernelModules.initrd).toEqual(['dm-snapshot']);
    expect(renderHardwareConfiguration(facts)).toContain(
      'boot.initrd.luks.devices.root.preLVM = lib.mkIf (!config.boot.initrd.systemd.enable) false;',
    );
  });

  it('boots a root on an LVM thin volume, with the thin tools in stage 1', () => {
    const lv = (n: string) =>
      `LVM-Xg1Rk2f0aZ9wq8Y7LVM3hJ4kP5mN6bV7c${n}zA9sD0fG1hJ2kL3qW4eR5tY6uI7o`;
    const facts = detect((b) => {
      b.command('systemd-detect-virt', 'none\n', 1);
      b.dm(0, 'vg-pool_tmeta', `${lv('0')}-tmeta`, {});
      b.dm(1, 'vg-pool_tdata', `${lv('1')}-tdata`, {});
      b.dm(2, 'vg-pool-tpool', `${lv('2')}-tpool`, {
        'dm-0': '/sys/devices/virtual/block/dm-0',
        'dm-1': '/sys/devices/virtual/block/dm-1',
      });
      b.dm(3, 'vg-root', lv('3'), { 'dm-2': '/sys/devices/virtual/block/dm-2' });
      b.file('/proc/self/mountinfo', mounts('1 0 254:3 / / rw - ext4 /dev/mapper/vg-root rw'));
    });
    expect(facts.kernelModules.initrd).toEqual(['dm-snapshot']);
    expect(renderHardwareConfiguration(facts)).toContain('services.lvm.boot.thin.enable = true;');
  });

  describe('LVM volumes whose kernel target stage 1 must load', () => {
    const lv = (n: number) =>
      `LVM-Xg1Rk2f0aZ9wq8Y7LVM3hJ4kP5mN6bV7c${n}zA9sD0fG1hJ2kL3qW4eR5tY6uI7o`;
    /** Each device-mapper table as `lsblk` lists it, the root volume last. */
    const lvmRoot = (names: string[], uuids: Record<string, string> = {}) =>
      detect((b) => {
        b.command('systemd-detect-virt', 'none\n', 1);
        names.forEach((name, i) => {
          b.dm(i, name, uuids[name] ?? lv(i), {});
        });
        const root = names.length - 1;
        b.file(
          '/proc/self/mountinfo',
          mounts(`1 0 254:${root} / / rw - ext4 /dev/mapper/${names[root]} rw`),
        );
      });

    it('loads dm-cache and its policy, and the cache tools, for a cached volume (lvmcache)', () => {
      const facts = lvmRoot([
        'vg-cachepool_cpool_cdata',
        'vg-cachepool_cpool_cmeta',
        'vg-root_corig',
        'vg-root',
      ]);
      expect(facts.kernelModules.initrd).toEqual(['dm-snapshot', 'dm-cache', 'dm-cache-smq']);
      expect(facts.hardwareSettings).toContain('lvm-thin');
      expect(renderHardwareConfiguration(facts)).toContain('services.lvm.boot.thin.enable = true;');
    });

    it('loads dm-raid and the RAID levels for an LVM RAID volume', () => {
      const facts = lvmRoot([
        'vg-root_rmeta_0',
        'vg-root_rimage_0',
        'vg-root_rmeta_1',
        'vg-root_rimage_1',
        'vg-root',
      ]);
      expect(facts.kernelModules.initrd).toEqual(['dm-snapshot', 'dm-raid']);
      expect(facts.kernelModules.initrdAvailable).toEqual(['raid0', 'raid1', 'raid10', 'raid456']);
      expect(facts.hardwareSettings).toEqual(['intel-microcode']);
    });

    it('loads dm-mirror, dm-writecache and dm-integrity for mirrored, write-cached and integrity-checked volumes', () => {
      expect(
        lvmRoot(['vg-root_mlog', 'vg-root_mimage_0', 'vg-root_mimage_1', 'vg-root']).kernelModules
          .initrd,
      ).toEqual(['dm-snapshot', 'dm-mirror']);
      expect(lvmRoot(['vg-fast_cvol', 'vg-root_wcorig', 'vg-root']).kernelModules.initrd).toEqual([
        'dm-snapshot',
        'dm-writecache',
      ]);
      const integrity = lvmRoot([
        'vg-root_rimage_0_imeta',
        'vg-root_rimage_0_iorig',
        'vg-root_rimage_0',
        'vg-root_rmeta_0',
        'vg-root',
      ]);
      expect(integrity.kernelModules.initrd).toEqual(['dm-snapshot', 'dm-raid', 'dm-integrity']);
    });

    it('turns on VDO support for a volume in a VDO pool', () => {
      const facts = lvmRoot(['vg-vpool0_vdata', 'vg-vpool0-vpool', 'vg-root'], {
        'vg-vpool0-vpool': `${lv(1)}-vpool`,
      });
      expect(facts.hardwareSettings).toContain('lvm-vdo');
      expect(renderHardwareConfiguration(facts)).toContain('services.lvm.boot.vdo.enable = true;');
    });

    it('adds nothing beyond dm-snapshot for plain volumes whose names only look alike', () => {
      const facts = lvmRoot(['vg-my_corig_backup', 'vg-rimage', 'vg-mlogs', 'vg-root']);
      expect(facts.kernelModules.initrd).toEqual(['dm-snapshot']);
      expect(facts.kernelModules.initrdAvailable).toEqual([]);
      expect(facts.hardwareSettings).toEqual(['intel-microcode']);
    });
  });

  it('unlocks every LUKS device of a btrfs RAID, though the mount names only one', () => {
    const facts = detect((b) => {
      b.command('systemd-detect-virt', 'none\n', 1);
      b.command('btrfs subvol show /', 'ERROR: not a subvolume\n', 1);
      b.file('/dev/nvme0n1p2', '');
      b.file('/dev/nvme1n1p2', '');
      b.dm(0, 'crypt0', 'CRYPT-LUKS2-0a0a-crypt0', { nvme0n1p2: '/sys/nvme0/nvme0n1p2' });
      b.dm(1, 'crypt1', 'CRYPT-LUKS2-0b0b-crypt1', { nvme1n1p2: '/sys/nvme1/nvme1n1p2' });
      const fs = '/sys/fs/btrfs/5c7f7a1e-2b3d-4e5f-8a9b-0c1d2e3f4a5b/devices';
      b.link(`${fs}/dm-0`, '/sys/devices/virtual/block/dm-0');
      b.link(`${fs}/dm-1`, '/sys/devices/virtual/block/dm-1');
      b.file('/proc/self/mountinfo', mounts('1 0 0:31 / / rw - btrfs /dev/mapper/crypt0 rw'));
    });
    expect(facts.luksDevices).toEqual({
      crypt0: { device: '/dev/nvme0n1p2' },
      crypt1: { device: '/dev/nvme1n1p2' },
    });
  });

  it('unlocks the LUKS device a swap partition sits on, after those of the file systems', () => {
    const facts = detect((b) => {
      b.command('systemd-detect-virt', 'none\n', 1);
      b.file('/dev/nvme0n1p2', '');
      b.file('/dev/nvme0n1p3', '');
      b.dm(0, 'cryptroot', 'CRYPT-LUKS2-0a0a-cryptroot', { nvme0n1p2: '/sys/nvme/nvme0n1p2' });
      b.dm(1, 'cryptswap', 'CRYPT-LUKS2-0b0b-cryptswap', { nvme0n1p3: '/sys/nvme/nvme0n1p3' });
      b.file('/proc/swaps', `${SWAPS_HEADER}/dev/dm-1 partition 8388604 0 -2\n`);
      b.file('/proc/self/mountinfo', mounts('1 0 254:0 / / rw - ext4 /dev/mapper/cryptroot rw'));
    });
    expect(Object.entries(facts.luksDevices)).toEqual([
      ['cryptroot', { device: '/dev/nvme0n1p2' }],
      ['cryptswap', { device: '/dev/nvme0n1p3' }],
    ]);
  });

  it('names a root mounted as /dev/root by its disk, since no /dev/root exists at boot', () => {
    // A kernel booted with root= and no initrd (older Raspberry Pi OS, Firecracker) says /dev/root.
    const mmc = '/sys/devices/platform/emmc2bus/fe340000.mmc/mmc_host/mmc0/mmc0:aaaa/block/mmcblk0';
    const facts = detect((b) => {
      b.command('systemd-detect-virt', 'none\n', 1);
      b.file(`${mmc}/mmcblk0p2/dev`, '179:2\n');
      b.link('/sys/dev/block/179:2', `${mmc}/mmcblk0p2`);
      b.file('/dev/mmcblk0p2', '');
      b.byUuid('2ab3f8e1-4b6d-4c9a-8f0e-1d2c3b4a5968', 'mmcblk0p2');
      b.file('/proc/self/mountinfo', mounts('1 0 179:2 / / rw - ext4 /dev/root rw'));
    });
    expect(facts.fileSystems['/']?.device).toBe(
      '/dev/disk/by-uuid/2ab3f8e1-4b6d-4c9a-8f0e-1d2c3b4a5968',
    );
    const unknown = detect((b) => {
      b.command('systemd-detect-virt', 'none\n', 1);
      b.file('/proc/self/mountinfo', mounts('1 0 254:0 / / rw - ext4 /dev/root rw'));
    });
    expect(unknown.fileSystems['/']?.device).toBe('/dev/root');
    expect(unknown.warnings).toContainEqual(
      expect.stringMatching(/^The file system at \/ is mounted from \/dev\/root/),
    );
  });

  it('leaves out swap encrypted with a key made at each boot, naming its partition', () => {
    // NixOS's randomEncryption (and crypttab's /dev/urandom swap): mkswap runs at every boot, so
    // the swap's by-uuid path changes and a swapDevices entry for it is waited for in vain.
    const facts = detect((b) => {
      b.command('systemd-detect-virt', 'none\n', 1);
      b.file('/dev/nvme0n1p3', '');
      b.dm(0, 'nvme0n1p3', 'CRYPT-PLAIN-nvme0n1p3', { nvme0n1p3: '/sys/nvme/nvme0n1p3' });
      b.byUuid('9d7c0f3e-1111-4222-8333-444455556666', 'dm-0');
      // Ciphertext has no file system UUID; the partition table's PARTUUID stays.
      b.link('/dev/disk/by-partuuid/5e1f0a2b-03', '/dev/nvme0n1p3');
      b.file('/proc/swaps', `${SWAPS_HEADER}/dev/dm-0 partition 8388604 0 -2\n`);
      b.file('/proc/self/mountinfo', mounts('1 0 8:1 / / rw - ext4 /dev/sda1 rw'));
    });
    expect(facts.swapDevices).toEqual([]);
    expect(facts.luksDevices).toEqual({});
    expect(facts.warnings).toContain(
      'The swap on /dev/dm-0 is encrypted with a key made at each boot, so it was left out: add swapDevices = [ { device = "/dev/disk/by-partuuid/5e1f0a2b-03"; randomEncryption.enable = true; } ] to the host to keep it.',
    );
  });

  it('enables swraid for a file system on md, after the microcode setting', () => {
    const facts = detect((b) => {
      b.command('systemd-detect-virt', 'none\n', 1);
      b.file('/sys/devices/virtual/block/md127/md/uuid', '3a9d2c1e:8b7f6a5d:4c3b2a19:0f1e2d3c\n');
      b.link('/sys/class/block/md127', '/sys/devices/virtual/block/md127');
      b.file('/dev/md127', '');
      b.file('/proc/self/mountinfo', mounts('1 0 9:127 / / rw - ext4 /dev/md127 rw'));
    });
    expect(facts.hardwareSettings).toEqual(['intel-microcode', 'swraid']);
    // Without MAILADDR or PROGRAM in mdadm.conf, NixOS warns and mdmonitor.service exits.
    expect(renderHardwareConfiguration(facts)).toContain(
      '  boot.swraid.enable = true;\n  boot.swraid.mdadmConf = "MAILADDR root";\n',
    );
  });

  it('enables swraid for LUKS on md and for swap on md, which nixos-generate-config misses', () => {
    const md = (b: MachineBuilder, name: string) => {
      b.file(`/sys/devices/virtual/block/${name}/md/uuid`, '3a9d2c1e:8b7f6a5d:4c3b2a19:0f1e2d3c\n');
      b.link(`/sys/class/block/${name}`, `/sys/devices/virtual/block/${name}`);
      b.file(`/dev/${name}`, '');
    };
    const luksOnMd = detect((b) => {
      b.command('systemd-detect-virt', 'none\n', 1);
      md(b, 'md127');
      b.dm(0, 'cryptroot', 'CRYPT-LUKS2-0a0a-cryptroot', {
        md127: '/sys/devices/virtual/block/md127',
      });
      b.file('/proc/self/mountinfo', mounts('1 0 254:0 / / rw - ext4 /dev/mapper/cryptroot rw'));
    });
    expect(luksOnMd.luksDevices).toEqual({ cryptroot: { device: '/dev/md127' } });
    expect(luksOnMd.hardwareSettings).toEqual(['intel-microcode', 'swraid']);
    const swapOnMd = detect((b) => {
      b.command('systemd-detect-virt', 'none\n', 1);
      md(b, 'md1');
      b.file('/proc/swaps', `${SWAPS_HEADER}/dev/md1 partition 8388604 0 -2\n`);
      b.file('/proc/self/mountinfo', mounts('1 0 8:1 / / rw - ext4 /dev/sda1 rw'));
    });
    expect(swapOnMd.hardwareSettings).toEqual(['intel-microcode', 'swraid']);
  });

  it('adds bcache, loop backing files, and skips file bind mounts', () => {
    const facts = detect((b) => {
      b.command('systemd-detect-virt', 'none\n', 1);
      b.file('/sys/devices/virtual/block/bcache0/size', '100\n');
      b.link('/sys/class/block/bcache0', '/sys/devices/virtual/block/bcache0');
      b.file('/sys/block/loop0/loop/backing_file', '/var/lib/images/data.img\n');
      b.file('/etc/hosts', '127.0.0.1 localhost\n');
      b.file(
        '/proc/self/mountinfo',
        mounts(
          '1 0 8:1 / / rw - ext4 /dev/sda1 rw',
          '2 1 7:0 / /srv/data rw - ext4 /dev/loop0 rw',
          '3 1 8:1 /var/lib/docker/containers/abc/hosts /etc/hosts rw - ext4 /dev/sda1 rw',
        ),
      );
    });
    expect(facts.kernelModules.initrdAvailable).toEqual(['bcache']);
    expect(facts.fileSystems['/srv/data']).toEqual({
      device: '/var/lib/images/data.img',
      fsType: 'ext4',
      options: ['loop'],
    });
    expect(Object.keys(facts.fileSystems)).toEqual(['/', '/srv/data']);
  });

  it('describes the system mounted at /mnt from the NixOS installer, not the installer itself', () => {
    // The manual's install steps: the installer runs from memory off the ISO or USB stick, and
    // the new system is mounted at /mnt, for nixos-generate-config --root /mnt.
    const installer = (b: MachineBuilder) => {
      b.command('systemd-detect-virt', 'none\n', 1);
      b.file('/dev/nvme0n1p2', '');
      b.byUuid('11111111-2222-4333-8444-555555555555', 'nvme0n1p2');
      b.file('/sys/block/loop0/loop/backing_file', '/iso/nix-store.squashfs\n');
    };
    const live = [
      '22 1 0:20 / / rw,relatime - tmpfs tmpfs rw,mode=755',
      '23 22 8:1 / /iso ro,relatime - iso9660 /dev/sda1 ro,nojoliet,check=s,map=n,blocksize=2048',
      '24 22 7:0 / /nix/.ro-store ro,relatime - squashfs /dev/loop0 ro,errors=continue',
      '25 22 0:31 / /nix/.rw-store rw,relatime - tmpfs tmpfs rw,mode=755',
      '26 22 0:32 / /nix/store ro,relatime - overlay overlay rw,lowerdir=/nix/.ro-store,upperdir=/nix/.rw-store/store,workdir=/nix/.rw-store/work',
    ];
    const facts = detect((b) => {
      installer(b);
      b.file(
        '/proc/self/mountinfo',
        mounts(
          ...live,
          '60 22 259:2 / /mnt rw,relatime - ext4 /dev/nvme0n1p2 rw',
          '61 60 259:1 / /mnt/boot rw,relatime - vfat /dev/nvme0n1p1 rw,fmask=0077,dmask=0077',
          '62 60 259:2 /persist/srv /mnt/srv rw,relatime - ext4 /dev/nvme0n1p2 rw',
        ),
      );
    });
    expect(facts.fileSystems).toEqual({
      '/': {
        device: '/dev/disk/by-uuid/11111111-2222-4333-8444-555555555555',
        fsType: 'ext4',
        options: [],
      },
      '/boot': { device: '/dev/nvme0n1p1', fsType: 'vfat', options: ['fmask=0077', 'dmask=0077'] },
      '/srv': { device: '/persist/srv', fsType: 'none', options: ['bind'] },
    });
    expect(facts.warnings).toContainEqual(
      expect.stringMatching(
        /^This is the NixOS installer: .* Install it with `nixos-install --flake/,
      ),
    );
    expect(facts.installer).toBe(true);
    expect(
      hostNotices(facts, defaultAnswers(facts), 'hosts/nixos/box', '/home/alice/nixos-config')
        .steps,
    ).toContainEqual(
      expect.stringMatching(
        /^This is the NixOS installer: install the system mounted at \/mnt with `sudo nixos-install --flake \/home\/alice\/nixos-config#/,
      ),
    );
    const unmounted = detect((b) => {
      installer(b);
      b.file('/proc/self/mountinfo', mounts(...live));
    });
    expect(unmounted.fileSystems).toEqual({});
    expect(unmounted.warnings).toContainEqual(
      expect.stringMatching(/^This is the NixOS installer, and nothing is mounted at \/mnt: /),
    );
  });

  it('keeps a memory root (impermanence) with its mode, and its persisted binds', () => {
    const facts = detect((b) => {
      b.command('systemd-detect-virt', 'none\n', 1);
      b.file('/dev/nvme0n1p2', '');
      b.file(
        '/proc/self/mountinfo',
        mounts(
          '26 1 0:30 / / rw,relatime - tmpfs none rw,size=2097152k,mode=755',
          '27 26 259:2 / /nix rw,relatime - ext4 /dev/nvme0n1p2 rw',
          '29 26 259:2 /persist/etc/nixos /etc/nixos rw,relatime - ext4 /dev/nvme0n1p2 rw',
          '32 26 0:32 / /var/cache rw - tmpfs tmpfs rw,size=1g,mode=750',
        ),
      );
    });
    const file = renderHardwareConfiguration(facts);
    expect(file).toContain(
      'fileSystems."/" = {\n    device = "none";\n    fsType = "tmpfs";\n    options = [\n      "size=2097152k"\n      "mode=755"\n    ];\n  };',
    );
    expect(file).toContain('device = "/nix/persist/etc/nixos";');
    expect(file).not.toContain('/var/cache');
  });

  it("leaves out a FUSE program's own mounts, which fail at boot without the program", () => {
    // A running AppImage, sshfs and gocryptfs: fsType `fuse.<program>`, mounted by a user.
    const facts = detect((b) => {
      b.command('systemd-detect-virt', 'none\n', 1);
      b.file(
        '/proc/self/mountinfo',
        mounts(
          '1 0 8:1 / / rw - ext4 /dev/sda1 rw',
          '2 1 0:50 / /tmp/.mount_ObsidiAb12Cd ro,nosuid,nodev,relatime - fuse.Obsidian-1.8.10.AppImage Obsidian-1.8.10.AppImage ro,user_id=1000,group_id=100',
          '3 1 0:51 / /home/alice/nas rw,nosuid,nodev,relatime - fuse.sshfs alice@nas:/srv rw,user_id=1000,group_id=100',
          '4 1 0:52 / /home/alice/Private rw,nosuid,nodev,relatime - fuse.gocryptfs /home/alice/.cipher rw,user_id=1000,group_id=100,max_read=131072',
        ),
      );
    });
    expect(Object.keys(facts.fileSystems)).toEqual(['/']);
    expect(facts.warnings).toContain(
      'The FUSE file system at /home/alice/nas cannot be described for NixOS; it was left out.',
    );
  });
});

describe('mount points as the kernel escapes them', () => {
  it('names a backslash, quote and ${ as they are on the machine, and leaves out a line break', () => {
    const facts = detect((b) => {
      b.command('systemd-detect-virt', 'none\n', 1);
      b.file(
        '/proc/self/mountinfo',
        mounts(
          '1 0 8:1 / / rw - ext4 /dev/sda1 rw',
          '60 1 8:2 / /srv/a\\134b"c${d} rw shared:40 - ext4 /dev/sda2 rw',
          '61 1 8:3 / /srv/one\\012two rw shared:41 - ext4 /dev/sda3 rw',
        ),
      );
      b.file('/swap\\file', '');
      b.file('/proc/swaps', `${SWAPS_HEADER}/swap\\134file file 8388604 0 -3\n`);
    });
    expect(Object.keys(facts.fileSystems)).toEqual(['/', '/srv/a\\b"c${d}']);
    expect(facts.warnings).toContain(
      'The file system mounted at "/srv/one\\ntwo" has a line break in its mount point, which no fileSystems entry can name; it was left out: mount it at a path without one.',
    );
    expect(facts.warnings).toContainEqual(expect.stringContaining('The swap file /swap\\file is'));
    // Written as one escaped Nix string: the quote and ${ are text, not code.
    expect(renderHardwareConfiguration(facts)).toContain('fileSystems."/srv/a\\\\b\\"c\\${d}" = {');
  });
});

describe('ZFS host id', () => {
  const zfsRoot = (b: MachineBuilder) => {
    b.command('systemd-detect-virt', 'none\n', 1);
    b.file('/proc/self/mountinfo', mounts('1 0 0:26 / / rw - zfs rpool/root rw,xattr,posixacl'));
  };

  it('writes networking.hostId from the four bytes of /etc/hostid, as `hostid` prints them', () => {
    // `hostid` prints 8425e349; the file holds the integer little-endian: 49 e3 25 84.
    const facts = detect((b) => {
      zfsRoot(b);
      b.file('/etc/hostid', '49e32584\n');
    });
    expect(facts.hostId).toBe('8425e349');
    expect(renderHardwareConfiguration(facts)).toContain(
      '  networking.hostId = lib.mkDefault "8425e349";\n',
    );
    const steps = hostNotices(
      facts,
      defaultAnswers(facts),
      'hosts/nixos/host',
      '/home/alice/nixos-config',
    ).steps;
    expect(steps.join('\n')).not.toContain('networking.hostId');
    expect(steps).toContainEqual(
      expect.stringMatching(/^ZFS holds file systems of this machine: /),
    );
  });

  it('asks for the id by hand when /etc/hostid is absent or not four bytes', () => {
    const absent = detect(zfsRoot);
    expect(absent.hostId).toBeUndefined();
    expect(renderHardwareConfiguration(absent)).not.toContain('hostId');
    expect(
      hostNotices(absent, defaultAnswers(absent), 'hosts/nixos/host', '/home/alice/nixos-config')
        .steps,
    ).toContainEqual(expect.stringMatching(/add networking\.hostId = "<id>";/));
    const short = detect((b) => {
      zfsRoot(b);
      b.file('/etc/hostid', '49e325\n');
    });
    expect(short.hostId).toBeUndefined();
    expect(short.warnings).toContainEqual(
      expect.stringMatching(/^\/etc\/hostid holds 3 bytes, not the four of a host id/),
    );
  });

  it('does not read /etc/hostid where no file system is ZFS', () => {
    const facts = detect((b) => {
      b.command('systemd-detect-virt', 'none\n', 1);
      b.file('/proc/self/mountinfo', mounts('1 0 8:1 / / rw - ext4 /dev/sda1 rw'));
      b.file('/etc/hostid', '49e32584\n');
    });
    expect(facts.hostId).toBeUndefined();
  });

  it('lets nothing but eight hex digits through to the hardware file', () => {
    const facts = detect((b) => {
      zfsRoot(b);
      b.file('/etc/hostid', '49e32584\n');
    });
    const hostile = { ...facts, hostId: '"; users.users.root.password = "x' };
    expect(FactsSchema.safeParse(hostile).success).toBe(false);
    expect(renderHardwareConfiguration(hostile)).not.toContain('hostId');
  });
});

describe('PCI id rules of nixos-generate-config', () => {
  it('emits Broadcom STA, Broadcom FullMAC, Intel firmware and NPU settings', () => {
    const facts = detect((b) => {
      b.command('systemd-detect-virt', 'none\n', 1);
      b.pci({
        address: '0000:00:0b.0',
        vendor: '0x8086',
        device: '0x7d1d',
        cls: '0x120000',
        driver: 'intel_vpu',
        module: 'intel_vpu',
      });
      b.pci({ address: '0000:02:00.0', vendor: '0x14e4', device: '0x4331', cls: '0x028000' });
      b.pci({ address: '0000:03:00.0', vendor: '0x14e4', device: '0x43a3', cls: '0x028000' });
      b.pci({ address: '0000:04:00.0', vendor: '0x8086', device: '0x4222', cls: '0x028000' });
      b.pci({ address: '0000:05:00.0', vendor: '0x8086', device: '0x1043', cls: '0x028000' });
      b.file('/proc/self/mountinfo', '');
    });
    expect(facts.kernelModules.kernel).toEqual(['kvm-intel', 'wl']);
    expect(facts.hardwareImports).toEqual([
      'hardware/cpu/intel-npu.nix',
      'hardware/network/broadcom-43xx.nix',
      'installer/scan/not-detected.nix',
    ]);
    expect(facts.hardwareSettings).toEqual([
      'intel-npu',
      'broadcom-sta',
      'intel-3945abg-firmware',
      'intel-2200bg-firmware',
      'intel-microcode',
    ]);
  });

  it('marks Pascal cards as needing the proprietary modules', () => {
    const facts = detect((b) => {
      b.command('systemd-detect-virt', 'none\n', 1);
      b.pci({
        address: '0000:01:00.0',
        vendor: '0x10de',
        device: '0x1b80',
        cls: '0x030000',
        driver: 'nouveau',
        module: 'nouveau',
      });
      b.pci({
        address: '0000:00:02.0',
        vendor: '0x8086',
        device: '0x3e9b',
        cls: '0x030000',
        driver: 'i915',
        module: 'i915',
      });
    });
    expect(facts.gpus.map((gpu) => [gpu.vendor, gpu.busId, gpu.driver, gpu.nvidiaOpen])).toEqual([
      ['intel', 'PCI:0:2:0', 'i915', null],
      ['nvidia', 'PCI:1:0:0', 'nouveau', false],
    ]);
  });
});

describe('virtualisation rules', () => {
  it('treats systemd-nspawn as a container without a boot loader', () => {
    const facts = detect((b) => b.command('systemd-detect-virt', 'systemd-nspawn\n'));
    expect(facts.kind).toBe('container');
    expect(facts.hardwareSettings).toEqual(['container']);
    expect(facts.boot).toEqual({ firmware: 'none', loader: 'none', canTouchEfiVariables: false });
  });

  it('sees an EC2 .metal instance as bare metal without systemd', () => {
    const facts = detect((b) => b.dmi({ sys_vendor: 'Amazon EC2', product_name: 'c5.metal' }));
    expect(facts.virtualisation).toBe('none');
    expect(facts.kind).toBe('bare-metal');
  });

  it('tells Azure from plain Hyper-V by its asset tag', () => {
    const facts = detect((b) => {
      b.command('systemd-detect-virt', 'microsoft\n');
      b.dmi({
        sys_vendor: 'Microsoft Corporation',
        product_name: 'Virtual Machine',
        chassis_asset_tag: '7783-7084-3265-9085-8269-3286-77',
      });
    });
    expect(facts.vmVendor).toBe('azure');
    expect(facts.hardwareSettings).toEqual(['hyperv-guest']);
  });

  it('recognises VMware and Parallels from DMI when systemd is missing', () => {
    const vmware = detect((b) => b.dmi({ sys_vendor: 'VMware, Inc.', product_name: 'VMware20,1' }));
    expect([vmware.virtualisation, vmware.vmVendor, vmware.hardwareSettings]).toEqual([
      'vmware',
      'vmware',
      ['vmware-guest'],
    ]);
    const parallels = detect((b) =>
      b.dmi({
        sys_vendor: 'Parallels International GmbH.',
        product_name: 'Parallels ARM Virtual Machine',
      }),
    );
    expect([parallels.virtualisation, parallels.vmVendor, parallels.hardwareSettings]).toEqual([
      'parallels',
      'parallels',
      ['parallels-guest'],
    ]);
  });
});

describe('rules found in review', () => {
  it('recognises Hyper-V from its DMI strings when systemd-detect-virt is missing', () => {
    const facts = detect((b) => {
      b.file(
        '/proc/cpuinfo',
        'processor\t: 0\nvendor_id\t: GenuineIntel\nflags\t\t: fpu sse2 hypervisor\n',
      );
      b.file('/sys/class/dmi/id/sys_vendor', 'Microsoft Corporation\n');
      b.file('/sys/class/dmi/id/product_name', 'Virtual Machine\n');
      b.file('/proc/self/mountinfo', mounts('1 0 8:1 / / rw - ext4 /dev/sda1 rw'));
    });
    expect(facts.virtualisation).toBe('microsoft');
    expect(facts.hardwareSettings).toEqual(['hyperv-guest']);
    expect(facts.hardwareImports).toEqual([]);
  });

  it('boots an ARM board without EFI by extlinux even before /boot/extlinux exists', () => {
    // Raspberry Pi OS, or a card flashed by hand: GRUB's BIOS flavour exists only on x86.
    const facts = detect(piBoard('aarch64', '0xd08', 'raspberrypi,4-model-b\0brcm,bcm2711\0'));
    expect(facts.kind).toBe('raspberry-pi');
    expect(facts.boot).toEqual({
      firmware: 'device-tree',
      loader: 'extlinux',
      canTouchEfiVariables: false,
    });
  });

  it("does not take upstream Nix put in by Determinate's installer for Determinate Nix", () => {
    // That installer writes a receipt for upstream Nix too, saying determinate_nix: false.
    const receipt = (determinate: boolean) =>
      JSON.stringify({
        version: '1.0',
        planner: { planner: 'linux', settings: { determinate_nix: determinate } },
      });
    const facts = (determinate: boolean) =>
      detect((b) => {
        b.command('systemd-detect-virt', 'none\n', 1);
        b.command('nix --version', 'nix (Nix) 2.24.10\n');
        b.file('/nix/receipt.json', receipt(determinate));
      }).nix.determinate;
    expect(facts(false)).toBe(false);
    expect(facts(true)).toBe(true);
  });

  it('configures a 64-bit Raspberry Pi running a 32-bit kernel as aarch64-linux', () => {
    // Raspberry Pi OS 32-bit runs an armv7l kernel on a Pi 3; NixOS has no armv7l binary cache.
    const facts = detect(piBoard('armv7l', '0xd03', 'raspberrypi,3-model-b\0brcm,bcm2837\0'));
    expect(facts.system).toBe('aarch64-linux');
    expect(facts.warnings).toContainEqual(
      expect.stringMatching(/^This Raspberry Pi runs a 32-bit/),
    );
    const pi2 = detect((b) => {
      b.command('uname -m', 'armv7l\n');
      b.command('systemd-detect-virt', 'none\n', 1);
      b.file('/proc/device-tree/compatible', 'raspberrypi,2-model-b\0brcm,bcm2836\0');
    });
    expect(pi2.system).toBe('armv7l-linux');
  });

  it('puts GRUB on the disk that holds /, by its id, on a BIOS machine', () => {
    // An NVMe disk booted by a legacy BIOS: /dev/sda does not exist there.
    const nvme = '/sys/devices/pci0000:00/0000:00:1d.0/0000:3d:00.0/nvme/nvme0';
    const facts = detect((b) => {
      b.command('systemd-detect-virt', 'none\n', 1);
      b.block({
        name: 'nvme0n1',
        disk: `${nvme}/nvme0n1`,
        owner: nvme,
        partitions: ['nvme0n1p1', 'nvme0n1p2'],
      });
      b.byUuid('3c5e7a9b-1111-4222-8333-444455556666', 'nvme0n1p2');
      b.link('/dev/disk/by-id/nvme-eui.0025385b71b0f2a4', '/dev/nvme0n1');
      b.link('/dev/disk/by-id/nvme-Samsung_SSD_970_EVO_Plus_1TB_S4EWNX0R123456', '/dev/nvme0n1');
      b.link(
        '/dev/disk/by-id/nvme-Samsung_SSD_970_EVO_Plus_1TB_S4EWNX0R123456-part2',
        '/dev/nvme0n1p2',
      );
      b.file('/proc/self/mountinfo', mounts('1 0 259:2 / / rw - ext4 /dev/nvme0n1p2 rw'));
    });
    expect(facts.boot).toEqual({
      firmware: 'bios',
      loader: 'grub',
      canTouchEfiVariables: false,
      disk: '/dev/disk/by-id/nvme-Samsung_SSD_970_EVO_Plus_1TB_S4EWNX0R123456',
    });
    expect(bootChoice(facts)).toEqual({
      loader: 'grub',
      device: '/dev/disk/by-id/nvme-Samsung_SSD_970_EVO_Plus_1TB_S4EWNX0R123456',
    });
  });

  it('reads a pre-release Nix version and counts it as installed', () => {
    const facts = detect((b) => {
      b.command('systemd-detect-virt', 'none\n', 1);
      b.command('nix --version', 'nix (Nix) 2.30.0pre20250624_e8d1ff2\n');
      b.file('/proc/self/mountinfo', mounts('1 0 8:1 / / rw - ext4 /dev/sda1 rw'));
    });
    expect(facts.nix).toMatchObject({ installed: true, version: '2.30.0pre20250624_e8d1ff2' });
  });
});

describe('what detection cannot learn is said, not guessed', () => {
  it('asks for the UUID of a bcachefs file system instead of keeping its device list silently', () => {
    const facts = detect((b) => {
      b.command('systemd-detect-virt', 'none\n', 1);
      b.file(
        '/proc/self/mountinfo',
        mounts(
          '1 0 8:1 / / rw - ext4 /dev/sda1 rw',
          '80 1 0:60 / /data rw,relatime shared:50 - bcachefs /dev/sda2:/dev/nvme0n1p3 rw,compression=zstd',
        ),
      );
    });
    expect(facts.warnings).toContain(
      'The bcachefs file system at /data needs device = "UUID=<its uuid>" (see `bcachefs fs usage /data`); set it by hand.',
    );
  });
});
