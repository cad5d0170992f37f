import { MachineBuilder } from '../fixture-builder';
import { nixosRelease, SWAPS_HEADER, systemMounts } from './common';
import { appleM1, cortexA72 } from './cpus';

const DT = '/sys/firmware/devicetree/base';

/** Raspberry Pi 4 Model B booted from the nixpkgs SD image: VL805 USB, SD card, extlinux. */
export function raspberryPi4(): MachineBuilder {
  const b = new MachineBuilder('linux', 'arm64', '6.6.51', 'pi', 'nixos');
  b.kernel('6.6.51').command('systemd-detect-virt', 'none\n', 1).command('uname -m', 'aarch64\n');
  b.file(
    '/proc/cpuinfo',
    `${[0, 1, 2, 3].map(cortexA72).join('\n')}
Revision\t: c03114
Serial\t\t: 10000000a1b2c3d4
Model\t\t: Raspberry Pi 4 Model B Rev 1.4
`,
  );
  b.meminfo(3880392);
  b.link('/proc/device-tree', DT);
  b.file(`${DT}/compatible`, 'raspberrypi,4-model-b\0brcm,bcm2711\0');
  b.file(`${DT}/model`, 'Raspberry Pi 4 Model B Rev 1.4\0');
  const host = '/sys/devices/platform/scb/fd500000.pcie/pci0000:00';
  b.pci({
    address: '0000:00:00.0',
    vendor: '0x14e4',
    device: '0x2711',
    cls: '0x060400',
    driver: 'pcieport',
    parent: host,
  });
  const xhci = b.pci({
    address: '0000:01:00.0',
    vendor: '0x1106',
    device: '0x3483',
    cls: '0x0c0330',
    driver: 'xhci_hcd',
    module: 'xhci_pci',
    parent: `${host}/0000:00:00.0`,
  });
  b.usbInterface(xhci, '1-1', { cls: '09', sub: '00', proto: '01', driver: 'hub' });
  b.usbInterface(xhci, '1-1.3', {
    cls: '03',
    sub: '01',
    proto: '01',
    driver: 'usbhid',
    module: 'usbhid',
  });
  const emmc2 = '/sys/devices/platform/emmc2bus/fe340000.mmc';
  b.link(`${emmc2}/driver`, b.driver('platform', 'sdhci-iproc'));
  b.link(`${emmc2}/mmc_host/mmc0/device`, emmc2);
  b.link('/sys/class/mmc_host/mmc0', `${emmc2}/mmc_host/mmc0`);
  const card = `${emmc2}/mmc_host/mmc0/mmc0:aaaa`;
  b.block({
    name: 'mmcblk0',
    disk: `${card}/block/mmcblk0`,
    owner: card,
    bus: 'mmc',
    driver: 'mmcblk',
    partitions: ['mmcblk0p1', 'mmcblk0p2'],
  });
  b.byUuid('2178-694E', 'mmcblk0p1').byLabel('FIRMWARE', 'mmcblk0p1');
  b.byUuid('44444444-4444-4444-8888-888888888888', 'mmcblk0p2').byLabel('NIXOS_SD', 'mmcblk0p2');
  const v3d = '/sys/devices/platform/v3dbus/fec00000.v3d';
  b.link(`${v3d}/driver`, b.driver('platform', 'v3d', 'v3d'));
  b.link(`${v3d}/drm/card0/device`, v3d);
  b.link('/sys/class/drm/card0', `${v3d}/drm/card0`);
  b.net(['end0'], '/sys/devices/platform/scb/fd580000.ethernet/net');
  b.net(
    ['wlan0'],
    '/sys/devices/platform/emmc2bus/fe300000.mmcnr/mmc_host/mmc1/mmc1:0001/mmc1:0001:1/net',
  );
  b.file('/sys/class/bluetooth/hci0/type', 'Primary\n');
  b.file(
    '/boot/extlinux/extlinux.conf',
    '# Generated file, all changes will be lost on nixos-rebuild!\nDEFAULT nixos-default\n',
  );
  b.file(
    '/proc/self/mountinfo',
    [
      '24 1 179:2 / / rw,noatime shared:1 - ext4 /dev/mmcblk0p2 rw',
      '25 24 179:2 /nix/store /nix/store ro,noatime shared:2 - ext4 /dev/mmcblk0p2 rw',
      ...systemMounts(25).filter((line) => !line.includes('efivars')),
      '41 24 179:1 / /boot/firmware rw,relatime shared:30 - vfat /dev/mmcblk0p1 rw,fmask=0022,dmask=0022,codepage=437,iocharset=ascii,shortname=mixed,errors=remount-ro',
      '',
    ].join('\n'),
  );
  b.file('/proc/swaps', SWAPS_HEADER);
  b.osRelease(nixosRelease('25.05', 'Warbler', '25.05.20250706.3ff0e34'));
  b.expected = {
    system: 'aarch64-linux',
    kind: 'raspberry-pi',
    virtualisation: 'none',
    vmVendor: null,
    model: 'Raspberry Pi 4 Model B Rev 1.4',
    cpu: { vendor: 'ARM', model: 'Cortex-A72', cores: 4, virtualisationExtensions: null },
    boot: { firmware: 'device-tree', loader: 'extlinux', canTouchEfiVariables: false },
    kernelModules: { initrdAvailable: ['xhci_pci', 'usbhid'], initrd: [], kernel: [] },
    hardwareImports: ['installer/scan/not-detected.nix'],
    hardwareSettings: [],
    fileSystems: {
      '/': {
        device: '/dev/disk/by-uuid/44444444-4444-4444-8888-888888888888',
        fsType: 'ext4',
        options: [],
      },
      '/boot/firmware': {
        device: '/dev/disk/by-uuid/2178-694E',
        fsType: 'vfat',
        options: ['fmask=0022', 'dmask=0022'],
      },
    },
    swapDevices: [],
    board: { compatible: ['raspberrypi,4-model-b', 'brcm,bcm2711'], family: 'raspberry-pi-4' },
    gpus: [
      {
        vendor: 'broadcom',
        pciId: '',
        busId: null,
        driver: 'v3d',
        nvidiaOpen: null,
        name: 'Broadcom VideoCore',
      },
    ],
    networkInterfaces: ['end0', 'wlan0'],
    isLaptop: false,
    bluetooth: true,
    warnings: [],
  };
  return b;
}

/** MacBook Air (M1, 2020), j313 / t8103, running NixOS with nixos-apple-silicon. */
export function asahiM1Air(): MachineBuilder {
  const b = new MachineBuilder('linux', 'arm64', '6.14.8-asahi', 'air', 'alice');
  b.kernel('6.14.8-asahi')
    .command('systemd-detect-virt', 'none\n', 1)
    .command('uname -m', 'aarch64\n');
  b.file('/proc/cpuinfo', `${[0, 1, 2, 3, 4, 5, 6, 7].map(appleM1).join('\n')}`);
  b.meminfo(7898544);
  b.link('/proc/device-tree', DT);
  b.file(`${DT}/compatible`, 'apple,j313\0apple,t8103\0apple,arm-platform\0');
  b.file(`${DT}/model`, 'Apple MacBook Air (M1, 2020)\0');
  b.file(`${DT}/chosen/asahi,efi-system-partition`, '6f3a2c1d-8e4b-4a5c-9d7e-0b1f2a3c4d5e\0');
  b.file(
    '/sys/firmware/efi/efivars/OsIndicationsSupported-8be4df61-93ca-11d2-aa0d-00e098032b8c',
    '\u0006\u0000\u0000\u0000\u0004\u0000\u0000\u0000\u0000\u0000\u0000\u0000',
  );
  const host = '/sys/devices/platform/soc/690000000.pcie/pci0000:00';
  b.pci({
    address: '0000:00:00.0',
    vendor: '0x106b',
    device: '0x100c',
    cls: '0x060400',
    driver: 'pcieport',
    parent: host,
  });
  b.pci({
    address: '0000:01:00.0',
    vendor: '0x14e4',
    device: '0x4425',
    cls: '0x028000',
    driver: 'brcmfmac',
    module: 'brcmfmac',
    parent: `${host}/0000:00:00.0`,
  });
  const sd = b.pci({
    address: '0000:03:00.0',
    vendor: '0x17a0',
    device: '0x9755',
    cls: '0x080501',
    driver: 'sdhci-pci',
    module: 'sdhci_pci',
    parent: `${host}/0000:00:02.0`,
  });
  b.link(`${sd}/mmc_host/mmc0/device`, sd);
  b.link('/sys/class/mmc_host/mmc0', `${sd}/mmc_host/mmc0`);
  const dwc3 = '/sys/devices/platform/soc/382280000.usb/xhci-hcd.2.auto';
  b.usbInterface(dwc3, '1-1', {
    cls: '08',
    sub: '06',
    proto: '50',
    driver: 'usb-storage',
    module: 'usb_storage',
  });
  b.usbInterface(dwc3, '1-2', {
    cls: '03',
    sub: '01',
    proto: '01',
    driver: 'usbhid',
    module: 'usbhid',
  });
  const ans = '/sys/devices/platform/soc/27bcc0000.nvme';
  b.link(`${ans}/driver`, b.driver('platform', 'nvme-apple', 'nvme_apple'));
  b.block({
    name: 'nvme0n1',
    disk: `${ans}/nvme/nvme0/nvme0n1`,
    owner: `${ans}/nvme/nvme0`,
    partitions: ['nvme0n1p1', 'nvme0n1p2', 'nvme0n1p3', 'nvme0n1p4', 'nvme0n1p5', 'nvme0n1p6'],
  });
  b.byUuid('1A2B-3C4D', 'nvme0n1p4').byUuid('d1b5c3a7-9e2f-4b6d-8a0c-3e5f7a9b1c2d', 'nvme0n1p5');
  const gpu = '/sys/devices/platform/soc/206400000.gpu';
  b.link(`${gpu}/driver`, b.driver('platform', 'asahi', 'asahi'));
  b.link(`${gpu}/drm/card1/device`, gpu);
  b.link('/sys/class/drm/card1', `${gpu}/drm/card1`);
  const dcp = '/sys/devices/platform/display-subsystem';
  b.link(`${dcp}/driver`, b.driver('platform', 'apple-drm', 'appledrm'));
  b.link(`${dcp}/drm/card0/device`, dcp);
  b.link('/sys/class/drm/card0', `${dcp}/drm/card0`);
  b.net(['wlan0'], `${host}/0000:00:00.0/0000:01:00.0/net`);
  b.file('/sys/class/power_supply/macsmc-battery/type', 'Battery\n');
  b.file('/sys/class/power_supply/macsmc-battery/scope', 'System\n');
  b.file('/sys/class/power_supply/macsmc-ac/type', 'Mains\n');
  b.file('/sys/class/bluetooth/hci0/type', 'Primary\n');
  b.file(
    '/proc/self/mountinfo',
    [
      '24 1 259:5 / / rw,relatime shared:1 - ext4 /dev/nvme0n1p5 rw',
      '25 24 259:5 /nix/store /nix/store ro,relatime shared:2 - ext4 /dev/nvme0n1p5 rw',
      ...systemMounts(25),
      '44 24 259:4 / /boot rw,relatime shared:30 - vfat /dev/nvme0n1p4 rw,fmask=0022,dmask=0022,codepage=437,iocharset=iso8859-1,shortname=mixed,errors=remount-ro',
      '',
    ].join('\n'),
  );
  b.file('/proc/swaps', SWAPS_HEADER);
  b.osRelease(nixosRelease('25.05', 'Warbler', '25.05.20250706.3ff0e34'));
  b.expected = {
    system: 'aarch64-linux',
    kind: 'apple-silicon-linux',
    virtualisation: 'none',
    model: 'Apple MacBook Air (M1, 2020)',
    cpu: { vendor: 'Apple', model: 'Apple M1', cores: 8, virtualisationExtensions: null },
    boot: { firmware: 'uefi', loader: 'systemd-boot', canTouchEfiVariables: false },
    kernelModules: {
      initrdAvailable: ['usb_storage', 'usbhid', 'sdhci_pci'],
      initrd: [],
      kernel: [],
    },
    hardwareImports: ['installer/scan/not-detected.nix'],
    hardwareSettings: [],
    fileSystems: {
      '/': {
        device: '/dev/disk/by-uuid/d1b5c3a7-9e2f-4b6d-8a0c-3e5f7a9b1c2d',
        fsType: 'ext4',
        options: [],
      },
      '/boot': {
        device: '/dev/disk/by-uuid/1A2B-3C4D',
        fsType: 'vfat',
        options: ['fmask=0022', 'dmask=0022'],
      },
    },
    swapDevices: [],
    board: {
      compatible: ['apple,j313', 'apple,t8103', 'apple,arm-platform'],
      family: 'apple-t8103',
    },
    gpus: [
      {
        vendor: 'apple',
        pciId: '',
        busId: null,
        driver: 'asahi',
        nvidiaOpen: null,
        name: 'Apple AGX',
      },
    ],
    isLaptop: true,
    bluetooth: true,
    warnings: [],
  };
  return b;
}
