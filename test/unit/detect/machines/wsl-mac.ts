import { MachineBuilder } from '../fixture-builder';
import { nixosRelease } from './common';
import { intelGuest } from './cpus';

const WSL1_WARNING =
  'WSL1 is not supported: NixOS-WSL needs WSL2, so convert this distribution with `wsl --set-version <distro> 2` in Windows and run Nixstrap again.';
const ROSETTA_WARNING =
  'Nixstrap is running translated by Rosetta on an Apple Silicon Mac: the configuration targets aarch64-darwin; install the native Apple Silicon build of Nixstrap for a faster, safer run.';

const NO_HARDWARE_FILE = {
  kernelModules: { initrdAvailable: [], initrd: [], kernel: [] },
  hardwareImports: [],
  hardwareSettings: [],
  fileSystems: {},
  swapDevices: [],
  luksDevices: {},
};

/** NixOS-WSL on WSL 2.5 with systemd as PID 1. */
export function wsl2(): MachineBuilder {
  const release = '6.6.87.2-microsoft-standard-WSL2';
  const b = new MachineBuilder('linux', 'x64', release, 'nixos', 'nixos');
  b.env('WSL_DISTRO_NAME', 'NixOS').env('WSL_INTEROP', '/run/WSL/1_interop');
  b.kernel(release).command('systemd-detect-virt', 'wsl\n').command('uname -m', 'x86_64\n');
  b.cpuinfo(8, (i) => intelGuest(i, 8, '12th Gen Intel(R) Core(TM) i7-1260P'));
  b.meminfo(16303772);
  b.file('/proc/1/comm', 'systemd\n');
  b.file(
    '/proc/sys/fs/binfmt_misc/WSLInterop',
    'enabled\ninterpreter /init\nflags: PF\noffset 0\nmagic 4d5a\n',
  );
  b.file(
    '/proc/self/mountinfo',
    [
      '60 54 8:48 / / rw,relatime - ext4 /dev/sdd rw,discard,errors=remount-ro,data=ordered',
      '61 60 0:46 / /mnt/wsl rw,relatime shared:1 - tmpfs none rw',
      '62 60 0:50 /usr/lib/wsl/drivers /usr/lib/wsl/drivers ro,nosuid,nodev,noatime - 9p none ro,dirsync,aname=drivers;fmask=222;dmask=222,mmap,access=client,msize=65536,trans=fd,rfd=7,wfd=7',
      '70 60 0:58 / /mnt/c rw,noatime - 9p C:\\134 rw,dirsync,aname=drvfs;path=C:\\;uid=1000;gid=100;symlinkroot=/mnt/,mmap,access=client,msize=65536,trans=fd,rfd=5,wfd=5',
      '',
    ].join('\n'),
  );
  b.file(
    '/proc/swaps',
    'Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n/dev/sdc                                partition\t4194304\t\t0\t\t-2\n',
  );
  b.net(['eth0']);
  b.osRelease(nixosRelease('25.05', 'Warbler', '25.05.20250706.3ff0e34'));
  b.command('nix --version', 'nix (Nix) 2.28.4\n');
  b.file('/nix/var/nix/daemon-socket/socket', '');
  b.expected = {
    system: 'x86_64-linux',
    kind: 'wsl',
    virtualisation: 'wsl',
    vmVendor: null,
    boot: { firmware: 'none', loader: 'none', canTouchEfiVariables: false },
    ...NO_HARDWARE_FILE,
    gpus: [],
    wsl: { version: 2, distroName: 'NixOS', systemd: true },
    os: { id: 'nixos', version: '25.05', prettyName: 'NixOS 25.05 (Warbler)' },
    nix: { installed: true, version: '2.28.4', daemon: true, determinate: false },
    warnings: [],
  };
  return b;
}

/** Ubuntu on WSL1: no real Linux kernel, no systemd-detect-virt answer; Nixstrap refuses with a warning. */
export function wsl1(): MachineBuilder {
  const release = '4.4.0-22621-Microsoft';
  const b = new MachineBuilder('linux', 'x64', release, 'DESKTOP-7Q2K9LM', 'alice');
  b.env('WSL_DISTRO_NAME', 'Ubuntu');
  b.kernel(release).command('uname -m', 'x86_64\n');
  b.cpuinfo(4, (i) => intelGuest(i, 4, 'Intel(R) Core(TM) i5-10210U CPU @ 1.60GHz'));
  b.meminfo(8263508);
  b.file('/proc/1/comm', 'init\n');
  b.file(
    '/proc/self/mountinfo',
    [
      '3 0 0:1 / / rw,noatime - lxfs rootfs rw',
      '8 3 0:6 / /mnt/c rw,noatime - drvfs C:\\134 rw,uid=1000,gid=1000,case=off',
      '',
    ].join('\n'),
  );
  b.osRelease(
    'PRETTY_NAME="Ubuntu 22.04.5 LTS"\nNAME="Ubuntu"\nVERSION_ID="22.04"\nVERSION="22.04.5 LTS (Jammy Jellyfish)"\nVERSION_CODENAME=jammy\nID=ubuntu\nID_LIKE=debian\n',
  );
  // As tzdata, update-locale and keyboard-configuration leave them after `dpkg-reconfigure`.
  b.rawLink('/etc/localtime', '/usr/share/zoneinfo/Europe/Berlin');
  b.file('/etc/timezone', 'Europe/Berlin\n');
  b.file('/etc/default/locale', 'LANG=de_DE.UTF-8\n');
  b.file(
    '/etc/default/keyboard',
    [
      '# KEYBOARD CONFIGURATION FILE',
      '',
      '# Consult the keyboard(5) manual page.',
      '',
      'XKBMODEL="pc105"',
      'XKBLAYOUT="de"',
      'XKBVARIANT=""',
      'XKBOPTIONS=""',
      '',
      'BACKSPACE="guess"',
      '',
    ].join('\n'),
  );
  b.expected = {
    system: 'x86_64-linux',
    kind: 'wsl',
    virtualisation: 'wsl',
    boot: { firmware: 'none', loader: 'none', canTouchEfiVariables: false },
    ...NO_HARDWARE_FILE,
    wsl: { version: 1, distroName: 'Ubuntu', systemd: false },
    os: { id: 'ubuntu', version: '22.04', prettyName: 'Ubuntu 22.04.5 LTS' },
    timeZone: 'Europe/Berlin',
    locale: 'de_DE.UTF-8',
    keyboard: { layout: 'de', variant: '' },
    nix: { installed: false, version: null, daemon: false, determinate: false },
    warnings: [WSL1_WARNING],
  };
  return b;
}

function mac(
  arch: string,
  hostName: string,
  sysctl: Record<string, string | null>,
  macosVersion: string,
): MachineBuilder {
  const b = new MachineBuilder(
    'darwin',
    arch,
    macosVersion.startsWith('15') ? '24.5.0' : '23.6.0',
    hostName,
    'alice',
  );
  b.command('sw_vers -productVersion', `${macosVersion}\n`);
  b.command('uname -m', arch === 'arm64' ? 'arm64\n' : 'x86_64\n');
  for (const [key, value] of Object.entries(sysctl)) {
    if (value === null) b.command(`sysctl -n ${key}`, '', 1);
    else b.command(`sysctl -n ${key}`, `${value}\n`);
  }
  return b;
}

/** MacBook Air (M2, 2022) with Determinate Nix. */
export function macosM2(): MachineBuilder {
  const b = mac(
    'arm64',
    'Alices-MacBook-Air',
    {
      'machdep.cpu.brand_string': 'Apple M2',
      'hw.ncpu': '8',
      'hw.memsize': '17179869184',
      'hw.model': 'Mac14,2',
    },
    '15.5',
  );
  b.command('nix --version', 'nix (Determinate Nix 3.6.2) 2.29.0\n');
  b.file('/nix/var/nix/daemon-socket/socket', '');
  b.file('/usr/local/bin/determinate-nixd', '');
  b.file(
    '/nix/receipt.json',
    '{"version":"1.0","planner":{"planner":"macos","settings":{"determinate_nix":true}}}\n',
  );
  // A host key made with ssh-keygen for this fixture (public half only; the private one was discarded).
  b.file(
    '/etc/ssh/ssh_host_ed25519_key.pub',
    'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMbMSqI63i5NXeA3FHzK1mMOq1xJ6jjgCN1Tuf/9tfHc root@macbook\n',
  );
  // macOS links the zone into its own copy of the tz database; the locale is only in LANG.
  b.rawLink('/etc/localtime', '/var/db/timezone/zoneinfo/Europe/Berlin');
  b.env('LANG', 'de_DE.UTF-8');
  b.expected = {
    system: 'aarch64-darwin',
    kind: 'apple-silicon-mac',
    virtualisation: 'none',
    vmVendor: null,
    model: 'Mac14,2',
    cpu: { vendor: 'Apple', model: 'Apple M2', cores: 8, virtualisationExtensions: null },
    memoryBytes: 17179869184,
    boot: { firmware: 'none', loader: 'none', canTouchEfiVariables: false },
    ...NO_HARDWARE_FILE,
    isLaptop: true,
    mac: { translated: false, hardwareModel: 'Mac14,2', macosVersion: '15.5' },
    nix: { installed: true, version: '2.29.0', daemon: true, determinate: true },
    os: { id: 'macos', version: '15.5', prettyName: 'macOS 15.5' },
    hostName: 'Alices-MacBook-Air',
    userName: 'alice',
    warnings: [],
    sshHostKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMbMSqI63i5NXeA3FHzK1mMOq1xJ6jjgCN1Tuf/9tfHc',
    timeZone: 'Europe/Berlin',
    locale: 'de_DE.UTF-8',
    keyboard: null,
  };
  return b;
}

/** An x64 build of Nixstrap under Rosetta on a MacBook Pro (M1, 2020): still aarch64-darwin. */
export function macosM1Rosetta(): MachineBuilder {
  const b = mac(
    'x64',
    'studio-mbp',
    {
      'sysctl.proc_translated': '1',
      'hw.optional.arm64': '1',
      'machdep.cpu.brand_string': 'Apple M1',
      'hw.ncpu': '8',
      'hw.memsize': '8589934592',
      'hw.model': 'MacBookPro17,1',
    },
    '14.6.1',
  );
  b.expected = {
    system: 'aarch64-darwin',
    kind: 'apple-silicon-mac',
    virtualisation: 'none',
    model: 'MacBookPro17,1',
    boot: { firmware: 'none', loader: 'none', canTouchEfiVariables: false },
    ...NO_HARDWARE_FILE,
    isLaptop: true,
    mac: { translated: true, hardwareModel: 'MacBookPro17,1', macosVersion: '14.6.1' },
    nix: { installed: false, version: null, daemon: false, determinate: false },
    os: { id: 'macos', version: '14.6.1', prettyName: 'macOS 14.6.1' },
    warnings: [ROSETTA_WARNING],
  };
  return b;
}

/** An Intel iMac: `sysctl.proc_translated` does not exist there, which is no error. */
export function macosIntel(): MachineBuilder {
  const b = mac(
    'x64',
    'imac',
    {
      'sysctl.proc_translated': null,
      'hw.optional.arm64': null,
      'machdep.cpu.brand_string': 'Intel(R) Core(TM) i5-10600 CPU @ 3.30GHz',
      'hw.ncpu': '12',
      'hw.memsize': '34359738368',
      'hw.model': 'iMac20,1',
    },
    '14.6.1',
  );
  b.command('nix --version', 'nix (Nix) 2.24.10\n');
  b.file('/nix/var/nix/daemon-socket/socket', '');
  b.expected = {
    system: 'x86_64-darwin',
    kind: 'intel-mac',
    virtualisation: 'none',
    model: 'iMac20,1',
    cpu: {
      vendor: 'Intel',
      model: 'Intel(R) Core(TM) i5-10600 CPU @ 3.30GHz',
      cores: 12,
      virtualisationExtensions: null,
    },
    boot: { firmware: 'none', loader: 'none', canTouchEfiVariables: false },
    ...NO_HARDWARE_FILE,
    isLaptop: false,
    mac: { translated: false, hardwareModel: 'iMac20,1', macosVersion: '14.6.1' },
    nix: { installed: true, version: '2.24.10', daemon: true, determinate: false },
    os: { id: 'macos', version: '14.6.1', prettyName: 'macOS 14.6.1' },
    warnings: [],
  };
  return b;
}
