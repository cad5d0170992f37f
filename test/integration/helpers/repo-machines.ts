import type { Answers } from '../../../common/answers';
import type { Facts } from '../../../common/facts';
import { fitAnswers, PASSWORD_HASH } from '../../helpers/golden-cases';

/** A plain UEFI x86_64 laptop with no nixos-hardware profile, as detection would describe it. */
export function pcFacts(hostName = 'desk'): Facts {
  return {
    system: 'x86_64-linux',
    kind: 'bare-metal',
    virtualisation: 'none',
    vmVendor: null,
    model: 'Latitude 7400',
    cpu: {
      vendor: 'GenuineIntel',
      model: 'Intel Core i5-8250U',
      cores: 8,
      virtualisationExtensions: 'vmx',
    },
    memoryBytes: 16 * 1024 ** 3,
    boot: { firmware: 'uefi', loader: 'systemd-boot', canTouchEfiVariables: true },
    kernelModules: {
      initrdAvailable: ['xhci_pci', 'nvme', 'usb_storage', 'sd_mod'],
      initrd: [],
      kernel: ['kvm-intel'],
    },
    hardwareImports: ['installer/scan/not-detected.nix'],
    hardwareSettings: ['intel-microcode'],
    fileSystems: {
      '/': {
        device: '/dev/disk/by-uuid/0a1b2c3d-1111-2222-3333-444455556666',
        fsType: 'ext4',
        options: [],
      },
      '/boot': {
        device: '/dev/disk/by-uuid/ABCD-1234',
        fsType: 'vfat',
        options: ['fmask=0077', 'dmask=0077'],
      },
    },
    swapDevices: [],
    luksDevices: {},
    networkInterfaces: ['wlp3s0'],
    gpus: [],
    isLaptop: true,
    bluetooth: false,
    board: null,
    wsl: null,
    mac: null,
    nix: { installed: true, version: '2.24.0', daemon: true, determinate: false },
    os: { id: 'nixos', version: '25.05', prettyName: 'NixOS 25.05' },
    hostName,
    userName: 'alice',
    sshHostKey: null,
    remoteSession: false,
    warnings: [],
  };
}

/** A WSL2 distribution with systemd: needs the nixos-wsl input. */
export function wslFacts(hostName = 'wsl-box'): Facts {
  return {
    ...pcFacts(hostName),
    kind: 'wsl',
    virtualisation: 'wsl',
    model: 'WSL2',
    boot: { firmware: 'none', loader: 'none', canTouchEfiVariables: false },
    kernelModules: { initrdAvailable: [], initrd: [], kernel: [] },
    hardwareImports: [],
    hardwareSettings: [],
    fileSystems: {},
    isLaptop: false,
    wsl: { version: 2, distroName: 'NixOS', systemd: true },
  };
}

export function answersFor(facts: Facts, overrides: Partial<Answers> = {}): Answers {
  return fitAnswers(facts, {
    hostName: facts.hostName,
    userName: 'alice',
    fullName: 'Alice Example',
    timeZone: 'Europe/Berlin',
    locale: 'en_US.UTF-8',
    keyboardLayout: 'us',
    keyboardVariant: '',
    profile: 'essential',
    desktop: 'none',
    services: ['openssh'],
    toolchains: [],
    editor: 'neovim',
    shell: 'bash',
    sshAuthorizedKeys: [],
    git: { name: 'Alice Example', email: 'alice@example.org' },
    channel: 'stable',
    passwordHash: PASSWORD_HASH,
    sshPasswordLogin: false,
    allowUnfree: false,
    // These journeys are about the repo; secrets have their own (test/integration/secrets-*).
    secrets: false,
    ...overrides,
  });
}
