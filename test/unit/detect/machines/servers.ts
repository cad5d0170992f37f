import { MachineBuilder } from '../fixture-builder';
import { nixosRelease, SWAPS_HEADER, systemMounts } from './common';
import { amdZen3 } from './cpus';

const PCI = '/sys/devices/pci0000:00';
const MD_UUID = '3a9d2c1e:8b7f6a5d:4c3b2a19:0f1e2d3c';

/**
 * A home server on an ASRock X570 board (a Ryzen 7 5800X): NixOS on ZFS (rpool/root, rpool/nix,
 * rpool/home, mounted legacy), swap on an md RAID1 over both SATA disks, and the host id ZFS
 * imported the pool with in /etc/hostid: `hostid` prints 8425e349, the file holds its four bytes
 * last first, kept in the fixture as hex text.
 */
export function zfsRaidServer(): MachineBuilder {
  const b = new MachineBuilder('linux', 'x64', '6.12.41', 'vault', 'admin');
  b.kernel('6.12.41').command('systemd-detect-virt', 'none\n', 1).command('uname -m', 'x86_64\n');
  b.cpuinfo(16, (i) => amdZen3(i, 16));
  b.meminfo(32795096);
  b.dmi({
    sys_vendor: 'To Be Filled By O.E.M.',
    product_name: 'To Be Filled By O.E.M.',
    product_version: 'To Be Filled By O.E.M.',
    bios_vendor: 'American Megatrends International, LLC.',
    bios_version: 'P5.60',
    board_vendor: 'ASRock',
    board_name: 'X570M Pro4',
    chassis_type: '3',
    chassis_vendor: 'To Be Filled By O.E.M.',
  });
  b.efi();
  b.pci({ address: '0000:00:00.0', vendor: '0x1022', device: '0x1480', cls: '0x060000' });
  const bridge = b.pci({
    address: '0000:00:01.2',
    vendor: '0x1022',
    device: '0x1483',
    cls: '0x060400',
    driver: 'pcieport',
  });
  const sata = b.pci({
    address: '0000:02:00.1',
    vendor: '0x1022',
    device: '0x43c8',
    cls: '0x010601',
    driver: 'ahci',
    module: 'ahci',
    parent: bridge,
  });
  b.pci({
    address: '0000:05:00.0',
    vendor: '0x8086',
    device: '0x1539',
    cls: '0x020000',
    driver: 'igb',
    module: 'igb',
    parent: bridge,
  });
  b.pci({
    address: '0000:0b:00.3',
    vendor: '0x1022',
    device: '0x149c',
    cls: '0x0c0330',
    driver: 'xhci_hcd',
    module: 'xhci_pci',
    parent: bridge,
  });
  for (const [port, name] of [
    ['ata1', 'sda'],
    ['ata2', 'sdb'],
  ] as const) {
    const host = port === 'ata1' ? 'host0' : 'host1';
    const target = port === 'ata1' ? '0:0:0' : '1:0:0';
    const owner = `${sata}/${port}/${host}/target${target}/${target}:0`;
    b.block({
      name,
      disk: `${owner}/block/${name}`,
      owner,
      bus: 'scsi',
      driver: 'sd',
      module: 'sd_mod',
      partitions: [`${name}1`, `${name}2`, `${name}3`],
    });
  }
  const md = '/sys/devices/virtual/block/md0';
  b.file(`${md}/md/uuid`, `${MD_UUID}\n`);
  b.file(`${md}/md/level`, 'raid1\n');
  b.link(`${md}/slaves/sda2`, `${sata}/ata1/host0/target0:0:0/0:0:0:0/block/sda/sda2`);
  b.link(`${md}/slaves/sdb2`, `${sata}/ata2/host1/target1:0:0/1:0:0:0/block/sdb/sdb2`);
  b.link('/sys/class/block/md0', md);
  b.file('/dev/md0', '');
  b.byUuid('7c1e3a5b-9d2f-4b6a-8e0c-2a4c6e8f0b1d', 'md0');
  b.byUuid('3F1A-9C2E', 'sda1');
  b.net(['enp5s0'], `${PCI}/0000:00:01.2/0000:05:00.0/net`);
  const zfs = 'rw,xattr,posixacl,casesensitive';
  b.file(
    '/proc/self/mountinfo',
    [
      `25 1 0:26 / / rw,relatime shared:1 - zfs rpool/root ${zfs}`,
      ...systemMounts(25),
      `41 25 0:41 / /nix rw,relatime shared:20 - zfs rpool/nix ${zfs}`,
      `42 41 0:41 /store /nix/store ro,relatime shared:21 - zfs rpool/nix ${zfs}`,
      `43 25 0:42 / /home rw,relatime shared:22 - zfs rpool/home ${zfs}`,
      '44 25 8:1 / /boot rw,relatime shared:23 - vfat /dev/sda1 rw,fmask=0022,dmask=0022,codepage=437,iocharset=iso8859-1,shortname=mixed,errors=remount-ro',
      '',
    ].join('\n'),
  );
  b.file(
    '/proc/swaps',
    `${SWAPS_HEADER}/dev/md0                                partition\t8387580\t0\t\t-2\n`,
  );
  b.file('/etc/hostid', '49e32584\n');
  b.osRelease(nixosRelease('25.05', 'Warbler', '25.05.20250706.3ff0e34'));
  b.command('nix --version', 'nix (Nix) 2.28.4\n');
  b.file('/nix/var/nix/daemon-socket/socket', '');
  b.expected = {
    system: 'x86_64-linux',
    kind: 'bare-metal',
    virtualisation: 'none',
    kernelModules: {
      initrdAvailable: ['ahci', 'xhci_pci', 'sd_mod'],
      initrd: [],
      kernel: ['kvm-amd'],
    },
    hardwareImports: ['installer/scan/not-detected.nix'],
    hardwareSettings: ['amd-microcode', 'swraid'],
    fileSystems: {
      '/': { device: 'rpool/root', fsType: 'zfs', options: [] },
      '/nix': { device: 'rpool/nix', fsType: 'zfs', options: [] },
      '/home': { device: 'rpool/home', fsType: 'zfs', options: [] },
      '/boot': {
        device: '/dev/disk/by-uuid/3F1A-9C2E',
        fsType: 'vfat',
        options: ['fmask=0022', 'dmask=0022'],
      },
    },
    swapDevices: [{ device: '/dev/disk/by-uuid/7c1e3a5b-9d2f-4b6a-8e0c-2a4c6e8f0b1d' }],
    luksDevices: {},
    hostId: '8425e349',
  };
  return b;
}
