import type { DESKTOPS, SERVICES } from './answers';
import type { Facts, MachineKind } from './facts';

const HYPERVISORS: Record<string, string> = {
  kvm: 'KVM',
  qemu: 'QEMU',
  oracle: 'VirtualBox',
  vmware: 'VMware',
  microsoft: 'Hyper-V',
  parallels: 'Parallels',
  apple: 'Apple Virtualization',
  amazon: 'Amazon EC2',
  google: 'Google Compute Engine',
  xen: 'Xen',
  bochs: 'Bochs',
  bhyve: 'bhyve',
  docker: 'Docker',
  podman: 'Podman',
  lxc: 'LXC',
  'lxc-libvirt': 'LXC',
  'systemd-nspawn': 'systemd-nspawn',
  wsl: 'WSL',
};

const VM_VENDORS: Record<string, string> = {
  hetzner: 'Hetzner Cloud',
  ec2: 'Amazon EC2',
  amazon: 'Amazon EC2',
  gce: 'Google Cloud',
  google: 'Google Cloud',
  azure: 'Microsoft Azure',
  digitalocean: 'DigitalOcean',
  linode: 'Linode',
  vultr: 'Vultr',
  oracle: 'Oracle Cloud',
  ovh: 'OVHcloud',
  scaleway: 'Scaleway',
  utm: 'UTM',
  proxmox: 'Proxmox',
  qemu: 'QEMU',
  virtualbox: 'VirtualBox',
  vmware: 'VMware',
  parallels: 'Parallels',
};

export const KIND_NAMES: Record<MachineKind, string> = {
  'bare-metal': 'Physical machine',
  vm: 'Virtual machine',
  container: 'Container',
  wsl: 'Windows Subsystem for Linux',
  'raspberry-pi': 'Raspberry Pi',
  'apple-silicon-mac': 'Mac with Apple silicon',
  'intel-mac': 'Mac with an Intel processor',
  'apple-silicon-linux': 'Apple silicon Mac running Linux',
};

function titleCase(word: string): string {
  return word.length === 0 ? word : word[0]?.toUpperCase() + word.slice(1);
}

function hypervisorName(name: string): string {
  return HYPERVISORS[name] ?? titleCase(name);
}

function vendorName(name: string): string {
  return VM_VENDORS[name.toLowerCase()] ?? titleCase(name);
}

function raspberryPiName(facts: Facts): string {
  const generation = facts.board?.family.match(/^raspberry-pi-(\w+)$/)?.[1];
  if (generation) return `Raspberry Pi ${generation}`;
  const fromModel = facts.model.match(/^Raspberry Pi (\w+)/)?.[1];
  return fromModel ? `Raspberry Pi ${fromModel}` : 'Raspberry Pi';
}

/** A person's name for the machine, e.g. "Virtual machine (KVM, Hetzner Cloud)" or "Raspberry Pi 4". */
export function machineLabel(facts: Facts): string {
  switch (facts.kind) {
    case 'vm':
    case 'container': {
      const details = [
        facts.virtualisation !== 'none' ? hypervisorName(facts.virtualisation) : null,
        facts.vmVendor ? vendorName(facts.vmVendor) : null,
      ].filter((part, index, all): part is string => part !== null && all.indexOf(part) === index);
      return details.length
        ? `${KIND_NAMES[facts.kind]} (${details.join(', ')})`
        : KIND_NAMES[facts.kind];
    }
    case 'wsl':
      return facts.wsl ? `${KIND_NAMES.wsl} (WSL ${facts.wsl.version})` : KIND_NAMES.wsl;
    case 'raspberry-pi':
      return raspberryPiName(facts);
    case 'bare-metal':
      return facts.isLaptop ? 'Laptop' : KIND_NAMES['bare-metal'];
    default:
      return KIND_NAMES[facts.kind];
  }
}

export function formatMemory(bytes: number): string {
  return bytes > 0 ? `${(bytes / 1024 ** 3).toFixed(1)} GiB` : 'Unknown';
}

export function formatCpu(cpu: Facts['cpu']): string {
  const name = cpu.model.toLowerCase().includes(cpu.vendor.toLowerCase())
    ? cpu.model
    : `${cpu.vendor} ${cpu.model}`.trim();
  const cores =
    cpu.cores > 0 ? `${cpu.cores} ${cpu.cores === 1 ? 'core' : 'cores'}` : 'cores unknown';
  return `${name === 'unknown unknown' ? 'Unknown processor' : name} · ${cores}`;
}

const FIRMWARE: Record<Facts['boot']['firmware'], string> = {
  uefi: 'UEFI',
  bios: 'BIOS (legacy)',
  'device-tree': 'Device tree',
  none: 'None',
};

const LOADERS: Record<Facts['boot']['loader'], string> = {
  'systemd-boot': 'systemd-boot',
  grub: 'GRUB',
  extlinux: 'extlinux',
  none: 'no boot loader',
};

export function formatBoot(facts: Facts): string {
  const { boot } = facts;
  if (facts.kind === 'apple-silicon-mac' || facts.kind === 'intel-mac')
    return 'macOS starts itself';
  if (facts.kind === 'wsl') return 'Started by Windows';
  if (boot.firmware === 'none' && boot.loader === 'none') return 'None: started by its host';
  if (boot.loader === 'none') return `${FIRMWARE[boot.firmware]}, no boot loader`;
  return `${FIRMWARE[boot.firmware]} with ${LOADERS[boot.loader]}`;
}

export function formatOs(os: Facts['os']): string {
  return os.prettyName ?? [os.id, os.version].filter(Boolean).join(' ');
}

export function formatNix(nix: Facts['nix']): string {
  if (!nix.installed) return 'Not installed yet';
  const parts = [nix.version ? `Nix ${nix.version}` : 'Nix'];
  parts.push(nix.daemon ? 'multi-user (daemon)' : 'single-user');
  if (nix.determinate) parts.push('Determinate');
  return parts.join(', ');
}

/** A keyboard as people name it: the XKB layout, and its variant where there is one. */
export function formatKeyboard(keyboard: NonNullable<Facts['keyboard']>): string {
  return keyboard.variant ? `${keyboard.layout} (${keyboard.variant})` : keyboard.layout;
}

export const FIRMWARE_CHOICES = FIRMWARE;
export const LOADER_CHOICES = LOADERS;

/**
 * Why a machine has no disks or kernel modules to configure: macOS and WSL own those, so the
 * generated configuration has no hardware file. Null when the machine has them.
 */
export function hardwareNote(facts: Facts): string | null {
  if (facts.kind === 'apple-silicon-mac' || facts.kind === 'intel-mac') {
    return 'macOS manages the disks and drivers itself, so nix-darwin needs no hardware configuration.';
  }
  if (facts.kind === 'wsl') {
    return 'Windows provides the disks and the kernel, so NixOS-WSL needs no hardware configuration.';
  }
  return null;
}

/** How the wizard names each desktop and service. */
export const DESKTOP_NAMES: Record<(typeof DESKTOPS)[number], string> = {
  none: 'None (terminal only)',
  plasma: 'KDE Plasma',
  gnome: 'GNOME',
};

export const SERVICE_NAMES: Record<(typeof SERVICES)[number], string> = {
  openssh: 'SSH server',
  tailscale: 'Tailscale',
  docker: 'Docker',
  podman: 'Podman',
  printing: 'Printing (CUPS)',
  bluetooth: 'Bluetooth',
  'remote-desktop': 'Remote desktop',
  flatpak: 'Flatpak',
};
