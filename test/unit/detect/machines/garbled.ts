import { MachineBuilder } from '../fixture-builder';

/** Everything that can be broken is: detection must still answer, with warnings. */
export function garbled(): MachineBuilder {
  const b = new MachineBuilder('linux', 'x64', '6.1.0-garbled', 'broken', 'nobody');
  b.command('systemd-detect-virt', '\u0000\u00ff?? garbage\n', 3);
  b.command('uname -m', '', 1);
  b.file('/proc/cpuinfo', '');
  b.file('/proc/meminfo', 'MemTotal: lots\n\u0000\u0000');
  b.file('/proc/sys/kernel/osrelease', '\u00ff\u00fe\n');
  b.file('/proc/sys/kernel/arch', '');
  b.file('/sys/devices/virtual/dmi/id/sys_vendor', '\u00ff\u00fe\u0000\n');
  b.file('/sys/devices/virtual/dmi/id/chassis_type', 'not-a-number\n');
  b.file('/sys/devices/virtual/dmi/id/product_name/oops', 'a folder where a file belongs\n');
  b.link('/sys/class/dmi/id', '/sys/devices/virtual/dmi/id');
  b.rawLink('/sys/bus/pci/devices/0000:00:02.0', '../../../devices/pci0000:00/0000:00:02.0');
  b.file('/sys/devices/pci0000:00/0000:00:02.0/class', 'zzzz\n');
  b.file('/sys/devices/pci0000:00/0000:00:02.0/device', '\n');
  b.rawLink('/sys/devices/pci0000:00/0000:00:02.0/driver', 'driver');
  b.rawLink('/sys/bus/pci/devices/0000:00:03.0', '../../../devices/pci0000:00/0000:00:03.0');
  b.file('/sys/devices/pci0000:00/0000:00:03.0/vendor', '0x10de\n');
  b.file('/sys/devices/pci0000:00/0000:00:03.0/class', '0x030000\n');
  b.file('/sys/devices/pci0000:00/0000:00:03.0/device', 'garbage\n');
  b.rawLink('/sys/bus/pci/devices/0000:00:1f.2', '/nowhere/at/all');
  b.rawLink('/sys/class/block/sda', '../../devices/does/not/exist/sda');
  b.rawLink('/sys/class/block/loopy', 'loopy');
  b.file('/sys/bus/usb/devices/1-1:1.0/bInterfaceClass', '\u0000\n');
  b.rawLink('/dev/disk/by-uuid/dead-beef', '../../sdz9');
  b.rawLink('/proc/device-tree', '/sys/firmware/devicetree/base');
  b.file('/sys/firmware/devicetree/base/compatible', '\u0000\u0000\u0000');
  b.file(
    '/proc/self/mountinfo',
    [
      '26 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw',
      '27 26 8:2 / /data rw,relat',
      'complete nonsense',
      '',
      '28 26 0:40 / /tmp rw - tmpfs tmpfs rw',
      '29 26 8:3 / /srv rw,relatime - btrfs /dev/sda3 rw\n',
    ].join('\n'),
  );
  b.file(
    '/proc/swaps',
    'Filename\tType\n/dev/sda2 weird 100 0 -2\n/missing/swap partition 1 0 -1\n',
  );
  b.file('/dev/sda1', '');
  b.file('/dev/sda2', '');
  b.file('/etc/os-release', '\u0000\u0001garbage without equals\n=novalue\n');
  b.file('/proc/1/comm', '');
  b.expected = {
    system: 'x86_64-linux',
    virtualisation: 'none',
    cpu: { vendor: 'unknown', model: 'unknown', cores: 0, virtualisationExtensions: null },
    memoryBytes: 0,
    kernelModules: { initrdAvailable: [], initrd: [], kernel: [] },
    fileSystems: {
      '/': { device: '/dev/sda1', fsType: 'ext4', options: [] },
      '/srv': { device: '/dev/sda3', fsType: 'btrfs', options: [] },
    },
    swapDevices: [],
    luksDevices: {},
    board: null,
    isLaptop: false,
    os: { id: 'linux', version: null, prettyName: null },
  };
  return b;
}
