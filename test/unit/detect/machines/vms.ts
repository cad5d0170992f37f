import { MachineBuilder } from '../fixture-builder';
import { nixosRelease, SWAPS_HEADER, systemMounts } from './common';
import { intelGuest } from './cpus';

const PCI = '/sys/devices/pci0000:00';

/** Hetzner Cloud CX22: i440FX + PIIX, SeaBIOS, virtio-scsi disk, NixOS on ext4. */
export function hetznerCx22(): MachineBuilder {
  const b = new MachineBuilder('linux', 'x64', '6.12.34', 'web-1', 'deploy');
  b.kernel('6.12.34').command('systemd-detect-virt', 'kvm\n').command('uname -m', 'x86_64\n');
  b.cpuinfo(2, (i) => intelGuest(i, 2, 'Intel Xeon Processor (Skylake, IBRS, no TSX)'));
  b.meminfo(3911356);
  b.dmi({
    sys_vendor: 'Hetzner',
    product_name: 'vServer',
    product_version: '20171111',
    bios_vendor: 'Hetzner',
    bios_version: '20171111',
    board_vendor: 'KVM',
    board_name: 'Standard PC (i440FX + PIIX, 1996)',
    chassis_type: '1',
    chassis_vendor: 'QEMU',
  });
  b.pci({ address: '0000:00:00.0', vendor: '0x8086', device: '0x1237', cls: '0x060000' });
  b.pci({ address: '0000:00:01.0', vendor: '0x8086', device: '0x7000', cls: '0x060100' });
  const ide = b.pci({
    address: '0000:00:01.1',
    vendor: '0x8086',
    device: '0x7010',
    cls: '0x010180',
    driver: 'ata_piix',
    module: 'ata_piix',
  });
  b.pci({
    address: '0000:00:01.2',
    vendor: '0x8086',
    device: '0x7020',
    cls: '0x0c0300',
    driver: 'uhci_hcd',
    module: 'uhci_hcd',
  });
  b.pci({
    address: '0000:00:01.3',
    vendor: '0x8086',
    device: '0x7113',
    cls: '0x068000',
    driver: 'piix4_smbus',
    module: 'i2c_piix4',
  });
  b.pci({
    address: '0000:00:02.0',
    vendor: '0x1af4',
    device: '0x1050',
    cls: '0x030000',
    driver: 'virtio-pci',
    module: 'virtio_pci',
  });
  b.pci({
    address: '0000:00:03.0',
    vendor: '0x1af4',
    device: '0x1000',
    cls: '0x020000',
    driver: 'virtio-pci',
    module: 'virtio_pci',
  });
  const scsi = b.pci({
    address: '0000:00:05.0',
    vendor: '0x1af4',
    device: '0x1004',
    cls: '0x010000',
    driver: 'virtio-pci',
    module: 'virtio_pci',
  });
  const disk = `${scsi}/virtio2/host0/target0:0:0/0:0:0:0`;
  b.block({
    name: 'sda',
    disk: `${disk}/block/sda`,
    owner: disk,
    bus: 'scsi',
    driver: 'sd',
    module: 'sd_mod',
    partitions: ['sda1', 'sda14', 'sda15'],
  });
  const cd = `${ide}/ata2/host1/target1:0:0/1:0:0:0`;
  b.block({
    name: 'sr0',
    disk: `${cd}/block/sr0`,
    owner: cd,
    bus: 'scsi',
    driver: 'sr',
    module: 'sr_mod',
  });
  b.byUuid('f3a1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d', 'sda1').byLabel('nixos', 'sda1');
  b.byUuid('9C1B-2A3D', 'sda15');
  b.net(['enp1s0'], `${PCI}/0000:00:03.0/virtio0/net`);
  b.file(
    '/proc/self/mountinfo',
    [
      '26 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw',
      '27 26 8:1 /nix/store /nix/store ro,relatime shared:2 - ext4 /dev/sda1 rw',
      ...systemMounts(27).filter((line) => !line.includes('efivars')),
      '45 26 0:40 / /tmp rw,nosuid,nodev shared:20 - tmpfs tmpfs rw,size=1955680k',
      '',
    ].join('\n'),
  );
  b.file('/proc/swaps', SWAPS_HEADER);
  b.osRelease(nixosRelease('25.05', 'Warbler', '25.05.20250706.3ff0e34'));
  b.command('nix --version', 'nix (Nix) 2.28.4\n');
  b.file('/nix/var/nix/daemon-socket/socket', '');
  // A host key made with ssh-keygen for this fixture (public half only; the private one was discarded).
  b.file(
    '/etc/ssh/ssh_host_ed25519_key.pub',
    'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHka9ednQ5UsFl8cYgvhL7CwaTdGyoIwjP+vtWbVsBaO root@web-1\n',
  );
  b.expected = {
    system: 'x86_64-linux',
    kind: 'vm',
    virtualisation: 'kvm',
    vmVendor: 'hetzner',
    model: 'vServer',
    boot: { firmware: 'bios', loader: 'grub', canTouchEfiVariables: false },
    kernelModules: {
      initrdAvailable: ['ata_piix', 'uhci_hcd', 'virtio_pci', 'virtio_scsi', 'sd_mod', 'sr_mod'],
      initrd: [],
      kernel: [],
    },
    hardwareImports: ['profiles/qemu-guest.nix'],
    hardwareSettings: [],
    fileSystems: {
      '/': {
        device: '/dev/disk/by-uuid/f3a1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
        fsType: 'ext4',
        options: [],
      },
    },
    swapDevices: [],
    luksDevices: {},
    networkInterfaces: ['enp1s0'],
    isLaptop: false,
    nix: { installed: true, version: '2.28.4', daemon: true, determinate: false },
    os: { id: 'nixos', version: '25.05', prettyName: 'NixOS 25.05 (Warbler)' },
    warnings: [],
    sshHostKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHka9ednQ5UsFl8cYgvhL7CwaTdGyoIwjP+vtWbVsBaO',
  };
  return b;
}

/** VirtualBox 7 guest: PIIX IDE CD-ROM, OHCI/EHCI, AHCI disk, VMSVGA graphics, BIOS. */
export function virtualbox(): MachineBuilder {
  const b = new MachineBuilder('linux', 'x64', '6.12.41', 'nixos-vbox', 'alice');
  b.kernel('6.12.41').command('systemd-detect-virt', 'oracle\n').command('uname -m', 'x86_64\n');
  b.cpuinfo(4, (i) => intelGuest(i, 4, 'Intel(R) Core(TM) i7-8700 CPU @ 3.20GHz'));
  b.meminfo(8148024);
  b.dmi({
    sys_vendor: 'innotek GmbH',
    product_name: 'VirtualBox',
    product_version: '1.2',
    bios_vendor: 'innotek GmbH',
    bios_version: 'VirtualBox',
    board_vendor: 'Oracle Corporation',
    board_name: 'VirtualBox',
    chassis_type: '1',
    chassis_vendor: 'Oracle Corporation',
  });
  b.pci({ address: '0000:00:00.0', vendor: '0x8086', device: '0x1237', cls: '0x060000' });
  b.pci({ address: '0000:00:01.0', vendor: '0x8086', device: '0x7000', cls: '0x060100' });
  const ide = b.pci({
    address: '0000:00:01.1',
    vendor: '0x8086',
    device: '0x7111',
    cls: '0x01018a',
    driver: 'ata_piix',
    module: 'ata_piix',
  });
  b.pci({
    address: '0000:00:02.0',
    vendor: '0x15ad',
    device: '0x0405',
    cls: '0x030000',
    driver: 'vmwgfx',
    module: 'vmwgfx',
  });
  b.pci({
    address: '0000:00:03.0',
    vendor: '0x8086',
    device: '0x100e',
    cls: '0x020000',
    driver: 'e1000',
    module: 'e1000',
  });
  b.pci({
    address: '0000:00:04.0',
    vendor: '0x80ee',
    device: '0xcafe',
    cls: '0x088000',
    driver: 'vboxguest',
    module: 'vboxguest',
  });
  b.pci({
    address: '0000:00:05.0',
    vendor: '0x8086',
    device: '0x2415',
    cls: '0x040100',
    driver: 'snd_intel8x0',
    module: 'snd_intel8x0',
  });
  const ohci = b.pci({
    address: '0000:00:06.0',
    vendor: '0x106b',
    device: '0x003f',
    cls: '0x0c0310',
    driver: 'ohci-pci',
    module: 'ohci_pci',
  });
  b.pci({
    address: '0000:00:07.0',
    vendor: '0x8086',
    device: '0x7113',
    cls: '0x068000',
    driver: 'piix4_smbus',
    module: 'i2c_piix4',
  });
  b.pci({
    address: '0000:00:0b.0',
    vendor: '0x8086',
    device: '0x265c',
    cls: '0x0c0320',
    driver: 'ehci-pci',
    module: 'ehci_pci',
  });
  const ahci = b.pci({
    address: '0000:00:0d.0',
    vendor: '0x8086',
    device: '0x2829',
    cls: '0x010601',
    driver: 'ahci',
    module: 'ahci',
  });
  b.usbInterface(ohci, '2-1', {
    cls: '03',
    sub: '00',
    proto: '00',
    driver: 'usbhid',
    module: 'usbhid',
  });
  const sda = `${ahci}/ata3/host2/target2:0:0/2:0:0:0`;
  b.block({
    name: 'sda',
    disk: `${sda}/block/sda`,
    owner: sda,
    bus: 'scsi',
    driver: 'sd',
    module: 'sd_mod',
    partitions: ['sda1', 'sda2'],
  });
  const sr0 = `${ide}/ata2/host1/target1:0:0/1:0:0:0`;
  b.block({
    name: 'sr0',
    disk: `${sr0}/block/sr0`,
    owner: sr0,
    bus: 'scsi',
    driver: 'sr',
    module: 'sr_mod',
  });
  b.byUuid('0b6c3a0e-8a47-4d52-9a1c-5c0f7e2b9d41', 'sda1').byUuid(
    '27d4f7a2-1c3e-4b5a-9f8e-6d7c5b4a3f21',
    'sda2',
  );
  b.net(['enp0s3'], `${PCI}/0000:00:03.0/net`);
  b.file(
    '/proc/self/mountinfo',
    [
      '22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw',
      '23 22 8:1 /nix/store /nix/store ro,relatime shared:2 - ext4 /dev/sda1 rw',
      ...systemMounts(23).filter((line) => !line.includes('efivars')),
      '40 22 0:45 / /media/sf_shared rw,nodev,relatime shared:21 - vboxsf shared rw,iocharset=utf8,uid=0,gid=0',
      '',
    ].join('\n'),
  );
  b.file(
    '/proc/swaps',
    `${SWAPS_HEADER}/dev/sda2                               partition\t2097148\t\t0\t\t-2\n`,
  );
  b.osRelease(nixosRelease('25.05', 'Warbler', '25.05.20250706.3ff0e34'));
  b.expected = {
    system: 'x86_64-linux',
    kind: 'vm',
    virtualisation: 'oracle',
    vmVendor: 'virtualbox',
    model: 'VirtualBox',
    boot: { firmware: 'bios', loader: 'grub', canTouchEfiVariables: false },
    kernelModules: {
      initrdAvailable: ['ata_piix', 'ohci_pci', 'ehci_pci', 'ahci', 'sd_mod', 'sr_mod'],
      initrd: [],
      kernel: [],
    },
    hardwareImports: [],
    hardwareSettings: ['virtualbox-guest'],
    fileSystems: {
      '/': {
        device: '/dev/disk/by-uuid/0b6c3a0e-8a47-4d52-9a1c-5c0f7e2b9d41',
        fsType: 'ext4',
        options: [],
      },
      '/media/sf_shared': { device: 'shared', fsType: 'vboxsf', options: [] },
    },
    swapDevices: [{ device: '/dev/disk/by-uuid/27d4f7a2-1c3e-4b5a-9f8e-6d7c5b4a3f21' }],
    gpus: [
      {
        vendor: 'virtual',
        pciId: '15ad:0405',
        busId: 'PCI:0:2:0',
        driver: 'vmwgfx',
        nvidiaOpen: null,
        name: 'VMware graphics [15ad:0405]',
      },
    ],
    isLaptop: false,
    warnings: [],
  };
  return b;
}

/** A Firecracker microVM: no DMI, no PCI, virtio-mmio devices, no systemd (detect-virt re-implemented). */
export function firecrackerMicrovm(): MachineBuilder {
  const b = new MachineBuilder('linux', 'x64', '6.1.141', 'fc-builder', 'root');
  b.kernel('6.1.141').command('uname -m', 'x86_64\n');
  b.cpuinfo(2, (i) => intelGuest(i, 2, 'Intel(R) Xeon(R) Platinum 8259CL CPU @ 2.50GHz'));
  b.meminfo(1015812);
  const mmio = '/sys/devices/virtio-mmio-cmdline/virtio-mmio.0';
  b.file(`${mmio}/uevent`, 'DRIVER=virtio-mmio\nOF_NAME=virtio_mmio\n');
  b.link('/sys/bus/platform/devices/virtio-mmio.0', mmio);
  b.driver('platform', 'virtio-mmio');
  const owner = `${mmio}/virtio0`;
  b.block({ name: 'vda', disk: `${owner}/block/vda`, owner, bus: 'virtio', driver: 'virtio_blk' });
  b.link('/sys/dev/block/254:0', `${owner}/block/vda`);
  b.net(['eth0'], '/sys/devices/virtio-mmio-cmdline/virtio-mmio.1/virtio1/net');
  b.file(
    '/proc/self/mountinfo',
    [
      '17 1 254:0 / / rw,relatime - ext4 /dev/root rw',
      '18 17 0:5 / /dev rw,relatime - devtmpfs devtmpfs rw,size=505040k,nr_inodes=126260,mode=755',
      '19 17 0:19 / /proc rw,relatime - proc proc rw',
      '20 17 0:20 / /sys rw,relatime - sysfs sysfs rw',
      '',
    ].join('\n'),
  );
  b.file('/proc/swaps', SWAPS_HEADER);
  b.osRelease(
    'PRETTY_NAME="Alpine Linux v3.20"\nNAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.20.3\nHOME_URL="https://alpinelinux.org/"\n',
  );
  b.expected = {
    system: 'x86_64-linux',
    kind: 'vm',
    virtualisation: 'kvm',
    vmVendor: 'firecracker',
    boot: { firmware: 'bios', loader: 'grub', canTouchEfiVariables: false },
    kernelModules: { initrdAvailable: [], initrd: [], kernel: [] },
    hardwareImports: ['profiles/qemu-guest.nix'],
    fileSystems: { '/': { device: '/dev/vda', fsType: 'ext4', options: [] } },
    swapDevices: [],
    os: { id: 'alpine', version: '3.20.3', prettyName: 'Alpine Linux v3.20' },
    warnings: [],
  };
  return b;
}

/** An EC2 Nitro instance (t3.medium): NVMe EBS root, DMI says Amazon EC2. */
export function ec2Nitro(): MachineBuilder {
  const b = new MachineBuilder('linux', 'x64', '6.12.34', 'ip-172-31-20-7', 'root');
  b.kernel('6.12.34').command('systemd-detect-virt', 'amazon\n').command('uname -m', 'x86_64\n');
  b.cpuinfo(2, (i) => intelGuest(i, 2, 'Intel(R) Xeon(R) Platinum 8259CL CPU @ 2.50GHz'));
  b.meminfo(3964772);
  b.dmi({
    sys_vendor: 'Amazon EC2',
    product_name: 't3.medium',
    bios_vendor: 'Amazon EC2',
    board_vendor: 'Amazon EC2',
    chassis_type: '1',
    chassis_asset_tag: 'Amazon EC2',
  });
  b.pci({ address: '0000:00:00.0', vendor: '0x8086', device: '0x1237', cls: '0x060000' });
  b.pci({ address: '0000:00:03.0', vendor: '0x1d0f', device: '0x1111', cls: '0x030000' });
  const nvme = b.pci({
    address: '0000:00:04.0',
    vendor: '0x1d0f',
    device: '0x8061',
    cls: '0x010802',
    driver: 'nvme',
    module: 'nvme',
  });
  b.pci({
    address: '0000:00:05.0',
    vendor: '0x1d0f',
    device: '0xec20',
    cls: '0x020000',
    driver: 'ena',
    module: 'ena',
  });
  b.block({
    name: 'nvme0n1',
    disk: `${nvme}/nvme/nvme0/nvme0n1`,
    owner: `${nvme}/nvme/nvme0`,
    partitions: ['nvme0n1p1'],
  });
  b.byLabel('nixos', 'nvme0n1p1');
  b.net(['ens5'], `${PCI}/0000:00:05.0/net`);
  b.file(
    '/proc/self/mountinfo',
    [
      '24 1 259:1 / / rw,relatime shared:1 - ext4 /dev/nvme0n1p1 rw',
      '25 24 259:1 /nix/store /nix/store ro,relatime shared:2 - ext4 /dev/nvme0n1p1 rw',
      ...systemMounts(25).filter((line) => !line.includes('efivars')),
      '',
    ].join('\n'),
  );
  b.file('/proc/swaps', SWAPS_HEADER);
  b.osRelease(nixosRelease('25.05', 'Warbler', '25.05.20250706.3ff0e34'));
  b.expected = {
    system: 'x86_64-linux',
    kind: 'vm',
    virtualisation: 'amazon',
    vmVendor: 'ec2',
    model: 't3.medium',
    boot: { firmware: 'bios', loader: 'grub', canTouchEfiVariables: false },
    kernelModules: { initrdAvailable: ['nvme'], initrd: [], kernel: [] },
    hardwareImports: ['virtualisation/amazon-image.nix'],
    hardwareSettings: [],
    fileSystems: { '/': { device: '/dev/disk/by-label/nixos', fsType: 'ext4', options: [] } },
    swapDevices: [],
    gpus: [
      {
        vendor: 'other',
        pciId: '1d0f:1111',
        busId: 'PCI:0:3:0',
        driver: null,
        nvidiaOpen: null,
        name: 'Unknown graphics [1d0f:1111]',
      },
    ],
    warnings: [],
  };
  return b;
}
