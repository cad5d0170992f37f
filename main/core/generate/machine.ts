import type { Facts, Gpu, HardwareImport } from '../../../common/facts';
import { type NixBinding, type NixExpr, nixExpr, nixPath } from '../nix/literal';
import { hardwareModelModule } from './hardware-models';

/** What the kind of machine (WSL, a Pi, a VM, a laptop…) adds to its host file. */
export interface MachineChoices {
  imports: NixExpr[];
  settings: NixBinding[];
  unfreePackages: string[];
  /** WSL and macOS have no hardware-configuration.nix. */
  hardwareConfiguration: boolean;
  /** Whether Wi-Fi is managed by NetworkManager (laptops), so the user joins its group. */
  networkManager: boolean;
}

const RASPBERRY_PI_MODULES: Readonly<Record<string, NixExpr>> = {
  'raspberry-pi-2': nixExpr('inputs.nixos-hardware.nixosModules.raspberry-pi-2'),
  'raspberry-pi-3': nixExpr('inputs.nixos-hardware.nixosModules.raspberry-pi-3'),
  'raspberry-pi-4': nixExpr('inputs.nixos-hardware.nixosModules.raspberry-pi-4'),
  'raspberry-pi-5': nixExpr('inputs.nixos-hardware.nixosModules.raspberry-pi-5'),
};

/** The nixos-hardware module for this board, or null for a board it has none for. */
export function raspberryPiModule(facts: Facts): NixExpr | null {
  const family = facts.board?.family;
  return family !== undefined && Object.hasOwn(RASPBERRY_PI_MODULES, family)
    ? (RASPBERRY_PI_MODULES[family] ?? null)
    : null;
}

/** The hardware modules every Nixstrap repo ships in modules/nixos/hardware/. */
export const HARDWARE_MODULES = [
  'wsl',
  'raspberry-pi',
  'apple-silicon',
  'qemu-guest',
  'hetzner',
  'hyperv',
  'virtualbox',
  'vmware',
  'parallels',
  'laptop',
  'nvidia',
  'amd-graphics',
  'intel-graphics',
] as const;
type HardwareModule = (typeof HARDWARE_MODULES)[number];

function hardwareModule(name: HardwareModule): NixExpr {
  return nixPath(`../../../modules/nixos/hardware/${name}.nix`);
}

/** The shared module for a virtual machine, by hypervisor and (for clouds) vendor. */
function vmModule(facts: Facts): HardwareModule | null {
  if (facts.vmVendor === 'hetzner') return 'hetzner';
  switch (facts.virtualisation) {
    case 'kvm':
    case 'qemu':
    case 'bochs':
    case 'apple':
      return 'qemu-guest';
    case 'oracle':
      return 'virtualbox';
    case 'microsoft':
      return 'hyperv';
    case 'vmware':
      return 'vmware';
    case 'parallels':
      return 'parallels';
    default:
      return null;
  }
}

/**
 * Intel graphics before Broadwell (Gen 8): GMA, Ironlake, Sandy and Ivy Bridge, Haswell, Bay
 * Trail. Their PCI device ids are below 0x1600 (Broadwell's) or GMA's 0x25xx–0x2exx; every
 * later generation's are higher.
 */
function isPreBroadwellIntel(gpu: Gpu): boolean {
  const id = Number.parseInt(gpu.pciId.split(':')[1] ?? '', 16);
  return Number.isFinite(id) && (id < 0x1600 || (id >= 0x2500 && id <= 0x2eff));
}

function graphics(
  facts: Facts,
  modules: HardwareModule[],
  settings: NixBinding[],
  unfree: string[],
): void {
  const vendors = new Set(facts.gpus.map((gpu) => gpu.vendor));
  if (vendors.has('intel')) modules.push('intel-graphics');
  if (facts.gpus.some((gpu) => gpu.vendor === 'intel' && isPreBroadwellIntel(gpu))) {
    settings.push(
      {
        comment:
          'This Intel GPU predates Broadwell: video decoding needs the older VA-API driver (i965).',
      },
      {
        path: ['hardware', 'graphics', 'extraPackages'],
        value: [nixExpr('pkgs.intel-vaapi-driver')],
      },
      { path: ['environment', 'sessionVariables', 'LIBVA_DRIVER_NAME'], value: 'i965' },
    );
  }
  if (vendors.has('amd')) modules.push('amd-graphics');
  const nvidia = facts.gpus.find((gpu) => gpu.vendor === 'nvidia');
  if (!nvidia) return;
  modules.push('nvidia');
  unfree.push('nvidia-x11', 'nvidia-settings');
  settings.push(
    { blank: true },
    nvidia.nvidiaOpen === null
      ? { comment: 'Open kernel modules need a Turing (RTX 20xx, GTX 16xx) or newer card.' }
      : {
          comment: nvidia.nvidiaOpen
            ? 'This card supports the open kernel modules.'
            : 'This card predates Turing: it needs the closed kernel modules.',
        },
    { path: ['hardware', 'nvidia', 'open'], value: nvidia.nvidiaOpen ?? false },
  );
  if (nvidia.nvidiaOpen === false) {
    settings.push(
      {
        comment:
          'Drivers after the 580 series dropped pre-Turing cards; 580 is maintained until 2028.',
      },
      {
        path: ['hardware', 'nvidia', 'package'],
        value: nixExpr('config.boot.kernelPackages.nvidiaPackages.legacy_580'),
      },
    );
  }
  const integrated = facts.gpus.find(
    (gpu): gpu is Gpu & { busId: string } =>
      (gpu.vendor === 'intel' || gpu.vendor === 'amd') && gpu.busId !== null,
  );
  if (facts.isLaptop && integrated && nvidia.busId !== null) {
    const busKey = integrated.vendor === 'intel' ? 'intelBusId' : 'amdgpuBusId';
    settings.push(
      {
        comment:
          'Hybrid graphics: the integrated GPU drives the screen; `nvidia-offload <app>` uses NVIDIA.',
      },
      {
        path: ['hardware', 'nvidia', 'prime'],
        value: {
          offload: { enable: true, enableOffloadCmd: true },
          [busKey]: integrated.busId,
          nvidiaBusId: nvidia.busId,
        },
      },
    );
  }
}

export function machineChoices(facts: Facts, userName: string): MachineChoices {
  const imports: NixExpr[] = [];
  const modules: HardwareModule[] = [];
  const settings: NixBinding[] = [];
  const unfree: string[] = [];
  let hardwareConfiguration = true;

  switch (facts.kind) {
    case 'wsl':
      hardwareConfiguration = false;
      imports.push(nixExpr('inputs.nixos-wsl.nixosModules.default'));
      modules.push('wsl');
      settings.push(
        { path: ['wsl', 'enable'], value: true },
        { path: ['wsl', 'defaultUser'], value: userName },
        { path: ['nixpkgs', 'hostPlatform'], value: facts.system },
      );
      break;
    case 'raspberry-pi': {
      const board = raspberryPiModule(facts);
      if (board) imports.push(board);
      modules.push('raspberry-pi');
      break;
    }
    case 'apple-silicon-linux':
      imports.push(nixExpr('inputs.nixos-apple-silicon.nixosModules.apple-silicon-support'));
      modules.push('apple-silicon');
      settings.push(
        {
          comment:
            'Copy /boot/vendorfw/firmware.cpio (left there by the Asahi installer) into ./firmware and `git add` it.',
        },
        {
          path: ['hardware', 'asahi', 'peripheralFirmwareDirectory'],
          value: nixPath('./firmware'),
        },
      );
      break;
    case 'vm': {
      const module = vmModule(facts);
      if (module) modules.push(module);
      if (module === 'parallels') unfree.push('prl-tools');
      if (facts.hardwareImports.includes('virtualisation/google-compute-image.nix')) {
        settings.push(
          {
            comment:
              'google-compute-config.nix lets root in with a key by default; this host keeps root out.',
          },
          { path: ['services', 'openssh', 'settings', 'PermitRootLogin'], value: 'no' },
        );
      }
      break;
    }
    case 'container':
      // nixos-generate-config marks only systemd-nspawn; any container lacks a boot loader.
      if (!facts.hardwareSettings.includes('container')) {
        settings.push(
          { comment: 'A container: its host starts it, so it has no boot loader or kernel.' },
          { path: ['boot', 'isContainer'], value: true },
        );
      }
      break;
    default:
      break;
  }

  const model = hardwareModelModule(facts);
  if (model) imports.push(model);

  if (facts.kind !== 'wsl' && facts.kind !== 'container') {
    if (facts.isLaptop && !modules.includes('laptop')) modules.push('laptop');
    // Detection names the vendor `Intel`; hand-written facts may keep cpuinfo's `GenuineIntel`.
    if (facts.isLaptop && /^(Intel|GenuineIntel)$/.test(facts.cpu.vendor)) {
      settings.push({ path: ['services', 'thermald', 'enable'], value: true });
    }
    graphics(facts, modules, settings, unfree);
  }

  return {
    imports: [...imports, ...modules.map(hardwareModule)],
    settings,
    unfreePackages: unfree,
    hardwareConfiguration,
    networkManager: facts.isLaptop,
  };
}

/**
 * Which boot loader block the host gets, and GRUB's disk when it needs one. `cloud-image`: the
 * cloud's image module (amazon-image.nix, google-compute-config.nix) sets GRUB's device itself
 * at normal priority, so a second definition from the host would not evaluate.
 */
export type BootChoice =
  | { loader: 'systemd-boot'; canTouchEfiVariables: boolean; efiSysMountPoint: string | null }
  | { loader: 'extlinux' }
  | { loader: 'grub'; device: string }
  | { loader: 'grub-efi'; canTouchEfiVariables: boolean; efiSysMountPoint: string | null }
  | { loader: 'cloud-image' }
  | { loader: 'none' };

/** nixpkgs modules that configure the boot loader of their cloud's images. */
const CLOUD_IMAGE_MODULES: readonly HardwareImport[] = [
  'virtualisation/amazon-image.nix',
  'virtualisation/google-compute-image.nix',
];

/**
 * Where the EFI system partition is mounted when it is not NixOS's default /boot (Debian,
 * Ubuntu, Fedora and older NixOS installs use /boot/efi): the loader would look for it at /boot
 * and fail to install.
 */
function efiSysMountPoint(facts: Facts): string | null {
  const isEsp = (mount: string) => facts.fileSystems[mount]?.fsType === 'vfat';
  if (isEsp('/boot')) return null;
  return ['/boot/efi', '/efi'].find(isEsp) ?? null;
}

export function bootChoice(facts: Facts): BootChoice {
  if (facts.kind === 'wsl' || facts.kind === 'container') return { loader: 'none' };
  if (facts.hardwareImports.some((path) => CLOUD_IMAGE_MODULES.includes(path))) {
    return { loader: 'cloud-image' };
  }
  switch (facts.boot.loader) {
    case 'systemd-boot':
      return {
        loader: 'systemd-boot',
        canTouchEfiVariables: facts.boot.canTouchEfiVariables,
        efiSysMountPoint: efiSysMountPoint(facts),
      };
    case 'extlinux':
      return { loader: 'extlinux' };
    case 'grub': {
      if (facts.boot.firmware === 'uefi') {
        return {
          loader: 'grub-efi',
          canTouchEfiVariables: facts.boot.canTouchEfiVariables,
          efiSysMountPoint: efiSysMountPoint(facts),
        };
      }
      if (facts.boot.disk) return { loader: 'grub', device: facts.boot.disk };
      // Without the disk: virtio-blk disks are /dev/vda; SATA, SCSI and virtio-scsi ones /dev/sda.
      const modules = facts.kernelModules.initrdAvailable;
      const virtioBlk = modules.includes('virtio_blk') && !modules.includes('virtio_scsi');
      return { loader: 'grub', device: virtioBlk ? '/dev/vda' : '/dev/sda' };
    }
    default:
      return { loader: 'none' };
  }
}
