import { MachineBuilder } from '../fixture-builder';
import { btrfsSubvolShow, nixosRelease, SWAPS_HEADER, systemMounts } from './common';
import { amdZen3, intelKabyLakeR } from './cpus';

const PCI = '/sys/devices/pci0000:00';
const LUKS_UUID = '4e3c1b2a-8d6f-4f0e-9a7b-5c3d2e1f0a9b';

/** ThinkPad T480 (20L5): i5-8350U, NVMe with LUKS2 root, swap partition, Realtek card reader. */
export function thinkpadT480Luks(): MachineBuilder {
  const b = new MachineBuilder('linux', 'x64', '6.12.41', 't480', 'alice');
  b.kernel('6.12.41').command('systemd-detect-virt', 'none\n', 1).command('uname -m', 'x86_64\n');
  b.cpuinfo(8, (i) => intelKabyLakeR(i, 8));
  b.meminfo(16206032);
  b.dmi({
    sys_vendor: 'LENOVO',
    product_name: '20L5CTO1WW',
    product_version: 'ThinkPad T480',
    product_family: 'ThinkPad T480',
    bios_vendor: 'LENOVO',
    bios_version: 'N24ET76W (1.51 )',
    board_vendor: 'LENOVO',
    board_name: '20L5CTO1WW',
    chassis_type: '10',
    chassis_vendor: 'LENOVO',
  });
  b.efi();
  b.pci({
    address: '0000:00:00.0',
    vendor: '0x8086',
    device: '0x5914',
    cls: '0x060000',
    driver: 'skl_uncore',
  });
  b.pci({
    address: '0000:00:02.0',
    vendor: '0x8086',
    device: '0x5917',
    cls: '0x030000',
    driver: 'i915',
    module: 'i915',
  });
  b.pci({ address: '0000:00:08.0', vendor: '0x8086', device: '0x1911', cls: '0x088000' });
  const xhci = b.pci({
    address: '0000:00:14.0',
    vendor: '0x8086',
    device: '0x9d2f',
    cls: '0x0c0330',
    driver: 'xhci_hcd',
    module: 'xhci_pci',
  });
  b.pci({
    address: '0000:00:14.2',
    vendor: '0x8086',
    device: '0x9d31',
    cls: '0x118000',
    driver: 'intel_pch_thermal',
    module: 'intel_pch_thermal',
  });
  b.pci({
    address: '0000:00:16.0',
    vendor: '0x8086',
    device: '0x9d3a',
    cls: '0x078000',
    driver: 'mei_me',
    module: 'mei_me',
  });
  const rp1 = b.pci({
    address: '0000:00:1c.0',
    vendor: '0x8086',
    device: '0x9d10',
    cls: '0x060400',
    driver: 'pcieport',
  });
  const rp3 = b.pci({
    address: '0000:00:1c.2',
    vendor: '0x8086',
    device: '0x9d12',
    cls: '0x060400',
    driver: 'pcieport',
  });
  const rp9 = b.pci({
    address: '0000:00:1d.0',
    vendor: '0x8086',
    device: '0x9d18',
    cls: '0x060400',
    driver: 'pcieport',
  });
  b.pci({ address: '0000:00:1f.0', vendor: '0x8086', device: '0x9d4e', cls: '0x060100' });
  b.pci({
    address: '0000:00:1f.3',
    vendor: '0x8086',
    device: '0x9d71',
    cls: '0x040380',
    driver: 'snd_hda_intel',
    module: 'snd_hda_intel',
  });
  b.pci({
    address: '0000:00:1f.4',
    vendor: '0x8086',
    device: '0x9d23',
    cls: '0x0c0500',
    driver: 'i801_smbus',
    module: 'i2c_i801',
  });
  b.pci({
    address: '0000:00:1f.6',
    vendor: '0x8086',
    device: '0x15d7',
    cls: '0x020000',
    driver: 'e1000e',
    module: 'e1000e',
  });
  b.pci({
    address: '0000:03:00.0',
    vendor: '0x8086',
    device: '0x24fd',
    cls: '0x028000',
    driver: 'iwlwifi',
    module: 'iwlwifi',
    parent: rp3,
  });
  const reader = b.pci({
    address: '0000:3c:00.0',
    vendor: '0x10ec',
    device: '0x525a',
    cls: '0xff0000',
    driver: 'rtsx_pci',
    module: 'rtsx_pci',
    parent: rp1,
  });
  const nvme = b.pci({
    address: '0000:3d:00.0',
    vendor: '0x144d',
    device: '0xa808',
    cls: '0x010802',
    driver: 'nvme',
    module: 'nvme',
    parent: rp9,
  });
  b.usbInterface(xhci, '1-1', {
    cls: '08',
    sub: '06',
    proto: '50',
    driver: 'usb-storage',
    module: 'usb_storage',
  });
  b.usbInterface(xhci, '1-7', {
    cls: 'e0',
    sub: '01',
    proto: '01',
    driver: 'btusb',
    module: 'btusb',
  });
  b.usbInterface(xhci, '1-8', {
    cls: '0e',
    sub: '01',
    proto: '00',
    driver: 'uvcvideo',
    module: 'uvcvideo',
  });
  const nvmeDisk = `${nvme}/nvme/nvme0/nvme0n1`;
  b.block({
    name: 'nvme0n1',
    disk: nvmeDisk,
    owner: `${nvme}/nvme/nvme0`,
    partitions: ['nvme0n1p1', 'nvme0n1p2', 'nvme0n1p3'],
  });
  const stick = `${xhci}/usb1/1-1/1-1:1.0/host0/target0:0:0/0:0:0:0`;
  b.block({
    name: 'sda',
    disk: `${stick}/block/sda`,
    owner: stick,
    bus: 'scsi',
    driver: 'sd',
    module: 'sd_mod',
    partitions: ['sda1'],
  });
  b.dm(0, `luks-${LUKS_UUID}`, `CRYPT-LUKS2-${LUKS_UUID.replaceAll('-', '')}-luks-${LUKS_UUID}`, {
    nvme0n1p2: `${nvmeDisk}/nvme0n1p2`,
  });
  const sdmmc = `${reader}/rtsx_pci_sdmmc.0`;
  b.file(`${sdmmc}/modalias`, 'platform:rtsx_pci_sdmmc\n');
  b.link(`${sdmmc}/driver`, b.driver('platform', 'rtsx_pci_sdmmc', 'rtsx_pci_sdmmc'));
  b.file(`${sdmmc}/mmc_host/mmc0/uevent`, '');
  b.link(`${sdmmc}/mmc_host/mmc0/device`, sdmmc);
  b.link('/sys/class/mmc_host/mmc0', `${sdmmc}/mmc_host/mmc0`);
  b.byUuid('b2f0a7c1-3d4e-4f5a-8b6c-7d8e9f0a1b2c', 'dm-0');
  b.byUuid('5A1E-2C3F', 'nvme0n1p1');
  b.byUuid(LUKS_UUID, 'nvme0n1p2');
  b.byUuid('e7a1d3c5-9b2f-4e6a-8c0d-1f3b5d7e9a2c', 'nvme0n1p3');
  b.byUuid('2024-11-19-10-03-34-00', 'sda1').byLabel('nixos-minimal-25.05-x86_64', 'sda1');
  b.file('/dev/mapper/control', '');
  b.net(['enp0s31f6'], `${PCI}/0000:00:1f.6/net`);
  b.net(['wlp3s0'], `${PCI}/0000:00:1c.2/0000:03:00.0/net`);
  b.file('/sys/class/power_supply/BAT0/type', 'Battery\n');
  b.file('/sys/class/power_supply/AC/type', 'Mains\n');
  b.file('/sys/class/bluetooth/hci0/type', 'Primary\n');
  b.file(
    '/proc/self/mountinfo',
    [
      `26 1 254:0 / / rw,relatime shared:1 - ext4 /dev/mapper/luks-${LUKS_UUID} rw`,
      `27 26 254:0 /nix/store /nix/store ro,relatime shared:2 - ext4 /dev/mapper/luks-${LUKS_UUID} rw`,
      ...systemMounts(27),
      '48 26 259:1 / /boot rw,relatime shared:30 - vfat /dev/nvme0n1p1 rw,fmask=0077,dmask=0077,codepage=437,iocharset=iso8859-1,shortname=mixed,errors=remount-ro',
      '52 42 0:48 / /run/user/1000 rw,nosuid,nodev,relatime shared:498 - tmpfs tmpfs rw,size=1620600k,nr_inodes=405150,mode=700,uid=1000,gid=100',
      '',
    ].join('\n'),
  );
  b.file(
    '/proc/swaps',
    `${SWAPS_HEADER}/dev/nvme0n1p3                          partition\t16777212\t0\t\t-2\n`,
  );
  b.osRelease(nixosRelease('25.05', 'Warbler', '25.05.20250706.3ff0e34'));
  b.command('nix --version', 'nix (Nix) 2.28.4\n');
  b.file('/nix/var/nix/daemon-socket/socket', '');
  // A host key made with ssh-keygen for this fixture (public half only; the private one was discarded).
  b.file(
    '/etc/ssh/ssh_host_ed25519_key.pub',
    'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPPjRYQI6f9bDGhgL4tjCnV5Xjxl2Usqdp45eu1xSepQ root@t480\n',
  );
  // As NixOS writes them for time.timeZone, i18n.defaultLocale (with extraLocaleSettings) and
  // console.keyMap: the zone link into /etc/zoneinfo, which links on into the store.
  b.rawLink('/etc/localtime', '/etc/zoneinfo/Europe/Berlin');
  b.file('/etc/locale.conf', 'LANG=de_DE.UTF-8\nLC_MESSAGES=en_US.UTF-8\nLC_TIME=de_DE.UTF-8\n');
  b.file('/etc/vconsole.conf', 'KEYMAP=de-latin1-nodeadkeys\nFONT=eurlatgr\n');
  b.expected = {
    system: 'x86_64-linux',
    kind: 'bare-metal',
    virtualisation: 'none',
    vmVendor: null,
    model: 'ThinkPad T480',
    timeZone: 'Europe/Berlin',
    locale: 'de_DE.UTF-8',
    keyboard: { layout: 'de', variant: 'nodeadkeys' },
    cpu: {
      vendor: 'Intel',
      model: 'Intel(R) Core(TM) i5-8350U CPU @ 1.70GHz',
      cores: 8,
      virtualisationExtensions: 'vmx',
    },
    memoryBytes: 16206032 * 1024,
    boot: { firmware: 'uefi', loader: 'systemd-boot', canTouchEfiVariables: true },
    kernelModules: {
      initrdAvailable: ['xhci_pci', 'nvme', 'usb_storage', 'sd_mod', 'rtsx_pci_sdmmc'],
      initrd: [],
      kernel: ['kvm-intel'],
    },
    hardwareImports: ['installer/scan/not-detected.nix'],
    hardwareSettings: ['intel-microcode'],
    fileSystems: {
      '/': {
        device: '/dev/disk/by-uuid/b2f0a7c1-3d4e-4f5a-8b6c-7d8e9f0a1b2c',
        fsType: 'ext4',
        options: [],
      },
      '/boot': {
        device: '/dev/disk/by-uuid/5A1E-2C3F',
        fsType: 'vfat',
        options: ['fmask=0077', 'dmask=0077'],
      },
    },
    swapDevices: [{ device: '/dev/disk/by-uuid/e7a1d3c5-9b2f-4e6a-8c0d-1f3b5d7e9a2c' }],
    luksDevices: { [`luks-${LUKS_UUID}`]: { device: `/dev/disk/by-uuid/${LUKS_UUID}` } },
    networkInterfaces: ['enp0s31f6', 'wlp3s0'],
    gpus: [
      {
        vendor: 'intel',
        pciId: '8086:5917',
        busId: 'PCI:0:2:0',
        driver: 'i915',
        nvidiaOpen: null,
        name: 'Intel graphics [8086:5917]',
      },
    ],
    isLaptop: true,
    bluetooth: true,
    board: null,
    wsl: null,
    mac: null,
    os: { id: 'nixos', version: '25.05', prettyName: 'NixOS 25.05 (Warbler)' },
    hostName: 't480',
    userName: 'alice',
    warnings: [],
    sshHostKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPPjRYQI6f9bDGhgL4tjCnV5Xjxl2Usqdp45eu1xSepQ',
  };
  return b;
}

/** Ryzen 7 5800X on a B550 board, RTX 4090, btrfs subvolumes, an NTFS game disk, zram + swap file. */
export function amdDesktopNvidia(): MachineBuilder {
  const b = new MachineBuilder('linux', 'x64', '6.17.7', 'tower', 'sam');
  b.kernel('6.17.7').command('systemd-detect-virt', 'none\n', 1).command('uname -m', 'x86_64\n');
  b.cpuinfo(16, (i) => amdZen3(i, 16));
  b.meminfo(32787400);
  b.dmi({
    sys_vendor: 'System manufacturer',
    product_name: 'System Product Name',
    product_version: 'System Version',
    bios_vendor: 'American Megatrends Inc.',
    bios_version: '3621',
    board_vendor: 'ASUSTeK COMPUTER INC.',
    board_name: 'ROG STRIX B550-F GAMING',
    chassis_type: '3',
    chassis_vendor: 'Default string',
  });
  b.efi();
  b.pci({ address: '0000:00:00.0', vendor: '0x1022', device: '0x1480', cls: '0x060000' });
  const gpp = b.pci({
    address: '0000:00:01.2',
    vendor: '0x1022',
    device: '0x1483',
    cls: '0x060400',
    driver: 'pcieport',
  });
  const chipset = b.pci({
    address: '0000:00:02.1',
    vendor: '0x1022',
    device: '0x1483',
    cls: '0x060400',
    driver: 'pcieport',
  });
  const gfx = b.pci({
    address: '0000:00:03.1',
    vendor: '0x1022',
    device: '0x1483',
    cls: '0x060400',
    driver: 'pcieport',
  });
  const internal = b.pci({
    address: '0000:00:08.1',
    vendor: '0x1022',
    device: '0x1484',
    cls: '0x060400',
    driver: 'pcieport',
  });
  const xhci = b.pci({
    address: '0000:02:00.0',
    vendor: '0x1022',
    device: '0x43ee',
    cls: '0x0c0330',
    driver: 'xhci_hcd',
    module: 'xhci_pci',
    parent: chipset,
  });
  const ahci = b.pci({
    address: '0000:02:00.1',
    vendor: '0x1022',
    device: '0x43eb',
    cls: '0x010601',
    driver: 'ahci',
    module: 'ahci',
    parent: chipset,
  });
  const nvme = b.pci({
    address: '0000:04:00.0',
    vendor: '0x144d',
    device: '0xa80a',
    cls: '0x010802',
    driver: 'nvme',
    module: 'nvme',
    parent: gpp,
  });
  b.pci({
    address: '0000:06:00.0',
    vendor: '0x8086',
    device: '0x15f3',
    cls: '0x020000',
    driver: 'igc',
    module: 'igc',
    parent: chipset,
  });
  b.pci({
    address: '0000:0a:00.0',
    vendor: '0x10de',
    device: '0x2684',
    cls: '0x030000',
    driver: 'nvidia',
    module: 'nvidia',
    parent: gfx,
  });
  b.pci({
    address: '0000:0a:00.1',
    vendor: '0x10de',
    device: '0x22ba',
    cls: '0x040300',
    driver: 'snd_hda_intel',
    module: 'snd_hda_intel',
    parent: gfx,
  });
  b.pci({
    address: '0000:0c:00.3',
    vendor: '0x1022',
    device: '0x149c',
    cls: '0x0c0330',
    driver: 'xhci_hcd',
    module: 'xhci_pci',
    parent: internal,
  });
  b.usbInterface(xhci, '1-2', {
    cls: '03',
    sub: '01',
    proto: '01',
    driver: 'usbhid',
    module: 'usbhid',
  });
  b.usbInterface(xhci, '1-3', {
    cls: '03',
    sub: '01',
    proto: '02',
    driver: 'usbhid',
    module: 'usbhid',
  });
  b.usbInterface(xhci, '1-4', {
    cls: '08',
    sub: '06',
    proto: '50',
    driver: 'usb-storage',
    module: 'usb_storage',
  });
  const nvmeDisk = `${nvme}/nvme/nvme0/nvme0n1`;
  b.block({
    name: 'nvme0n1',
    disk: nvmeDisk,
    owner: `${nvme}/nvme/nvme0`,
    partitions: ['nvme0n1p1', 'nvme0n1p2', 'nvme0n1p3'],
  });
  const hdd = `${ahci}/ata1/host0/target0:0:0/0:0:0:0`;
  b.block({
    name: 'sda',
    disk: `${hdd}/block/sda`,
    owner: hdd,
    bus: 'scsi',
    driver: 'sd',
    module: 'sd_mod',
    partitions: ['sda1'],
  });
  const dvd = `${ahci}/ata2/host1/target1:0:0/1:0:0:0`;
  b.block({
    name: 'sr0',
    disk: `${dvd}/block/sr0`,
    owner: dvd,
    bus: 'scsi',
    driver: 'sr',
    module: 'sr_mod',
  });
  b.file('/sys/devices/virtual/block/zram0/size', '8589934592\n');
  b.link('/sys/class/block/zram0', '/sys/devices/virtual/block/zram0');
  b.file('/dev/zram0', '');
  b.byUuid('C2E5-1A7B', 'nvme0n1p1');
  b.byUuid('8d4b2f6e-1c3a-4e5b-9f7d-2a6c8e0b4d13', 'nvme0n1p2').byLabel('nixos', 'nvme0n1p2');
  b.byUuid('3f9a7c5e-2b4d-4f6a-8e0c-1d3f5b7a9c2e', 'nvme0n1p3');
  b.byUuid('0A1B2C3D4E5F6071', 'sda1').byLabel('Games', 'sda1');
  b.net(['enp6s0'], `${PCI}/0000:00:02.1/0000:06:00.0/net`);
  b.net(['docker0']);
  b.file('/sys/class/bluetooth/hci0/type', 'Primary\n');
  b.file('/sys/class/power_supply/hidpp_battery_0/type', 'Battery\n');
  b.file('/sys/class/power_supply/hidpp_battery_0/scope', 'Device\n');
  b.file(
    '/proc/self/mountinfo',
    [
      '26 1 0:31 /@ / rw,noatime shared:1 - btrfs /dev/nvme0n1p2 rw,compress=zstd:3,ssd,discard=async,space_cache=v2,subvolid=256,subvol=/@',
      '27 26 0:31 /@nix /nix rw,noatime shared:2 - btrfs /dev/nvme0n1p2 rw,compress=zstd:3,ssd,discard=async,space_cache=v2,subvolid=258,subvol=/@nix',
      '28 27 0:31 /@nix/store /nix/store ro,noatime shared:3 - btrfs /dev/nvme0n1p2 rw,compress=zstd:3,ssd,discard=async,space_cache=v2,subvolid=258,subvol=/@nix',
      ...systemMounts(28),
      '50 26 0:31 /@home /home rw,noatime shared:31 - btrfs /dev/nvme0n1p2 rw,compress=zstd:3,ssd,discard=async,space_cache=v2,subvolid=257,subvol=/@home',
      '51 26 259:1 / /boot rw,relatime shared:32 - vfat /dev/nvme0n1p1 rw,fmask=0022,dmask=0022,codepage=437,iocharset=iso8859-1,shortname=mixed,errors=remount-ro',
      '52 26 8:1 / /mnt/Game\\040Library rw,nosuid,nodev,relatime shared:33 - ntfs3 /dev/sda1 rw,uid=1000,gid=100,iocharset=utf8',
      '53 26 8:1 /Mods /srv/mods rw,nosuid,nodev,relatime shared:33 - ntfs3 /dev/sda1 rw,uid=1000,gid=100,iocharset=utf8',
      '60 26 0:55 / /var/lib/docker/overlay2/5f1c3e/merged rw,relatime - overlay overlay rw,lowerdir=/var/lib/docker/overlay2/l/ABC:/var/lib/docker/overlay2/l/DEF,upperdir=/var/lib/docker/overlay2/5f1c3e/diff,workdir=/var/lib/docker/overlay2/5f1c3e/work',
      '61 26 8:17 / /mnt/Backup rw,nosuid,nodev,relatime shared:40 - fuseblk /dev/sdb1 rw,user_id=0,group_id=0,allow_other,blksize=4096',
      '',
    ].join('\n'),
  );
  b.command('btrfs subvol show /', btrfsSubvolShow('@', 256));
  b.command('btrfs subvol show /nix', btrfsSubvolShow('@nix', 258));
  b.command('btrfs subvol show /home', btrfsSubvolShow('@home', 257));
  b.file(
    '/proc/swaps',
    [
      SWAPS_HEADER.trimEnd(),
      '/dev/nvme0n1p3                          partition\t33554428\t0\t\t-2',
      '/dev/zram0                              partition\t8388604\t\t0\t\t100',
      '/var/swap/swapfile                      file\t\t4194300\t\t0\t\t-3',
      '',
    ].join('\n'),
  );
  b.file('/var/swap/swapfile', '');
  b.osRelease(nixosRelease('25.11', 'Xantusia', '25.11.20251115.1d4c883'));
  b.command('nix --version', 'nix (Nix) 2.31.2\n');
  b.file('/nix/var/nix/daemon-socket/socket', '');
  const subvol = (name: string) => ({
    device: '/dev/disk/by-uuid/8d4b2f6e-1c3a-4e5b-9f7d-2a6c8e0b4d13',
    fsType: 'btrfs',
    options: [`subvol=${name}`],
  });
  b.expected = {
    system: 'x86_64-linux',
    kind: 'bare-metal',
    virtualisation: 'none',
    vmVendor: null,
    model: 'ASUSTeK COMPUTER INC. ROG STRIX B550-F GAMING',
    cpu: {
      vendor: 'AMD',
      model: 'AMD Ryzen 7 5800X 8-Core Processor',
      cores: 16,
      virtualisationExtensions: 'svm',
    },
    boot: { firmware: 'uefi', loader: 'systemd-boot', canTouchEfiVariables: true },
    kernelModules: {
      initrdAvailable: ['xhci_pci', 'ahci', 'nvme', 'usbhid', 'usb_storage', 'sd_mod', 'sr_mod'],
      initrd: [],
      kernel: ['kvm-amd'],
    },
    hardwareImports: ['installer/scan/not-detected.nix'],
    hardwareSettings: ['amd-microcode'],
    fileSystems: {
      '/': subvol('@'),
      '/nix': subvol('@nix'),
      '/home': subvol('@home'),
      '/boot': {
        device: '/dev/disk/by-uuid/C2E5-1A7B',
        fsType: 'vfat',
        options: ['fmask=0022', 'dmask=0022'],
      },
      '/mnt/Game Library': {
        device: '/dev/disk/by-uuid/0A1B2C3D4E5F6071',
        fsType: 'ntfs3',
        options: [],
      },
      '/srv/mods': { device: '/mnt/Game Library/Mods', fsType: 'none', options: ['bind'] },
      '/var/lib/docker/overlay2/5f1c3e/merged': {
        device: 'overlay',
        fsType: 'overlay',
        options: [],
      },
    },
    swapDevices: [{ device: '/dev/disk/by-uuid/3f9a7c5e-2b4d-4f6a-8e0c-1d3f5b7a9c2e' }],
    luksDevices: {},
    networkInterfaces: ['docker0', 'enp6s0'],
    gpus: [
      {
        vendor: 'nvidia',
        pciId: '10de:2684',
        busId: 'PCI:10:0:0',
        driver: 'nvidia',
        nvidiaOpen: true,
        name: 'NVIDIA graphics [10de:2684]',
      },
    ],
    isLaptop: false,
    bluetooth: true,
    os: { id: 'nixos', version: '25.11', prettyName: 'NixOS 25.11 (Xantusia)' },
    nix: { installed: true, version: '2.31.2', daemon: true, determinate: false },
    warnings: [
      'The compressed swap in memory, /dev/zram0, is not a disk the hardware file lists: add zramSwap.enable = true; to the host to keep it.',
      'The swap file /var/swap/swapfile is left out of the hardware file, as nixos-generate-config leaves it: add swapDevices = [ { device = "/var/swap/swapfile"; } ]; to the host to keep it.',
      'The FUSE file system at /mnt/Backup cannot be described for NixOS; it was left out.',
    ],
  };
  return b;
}
