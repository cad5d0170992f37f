import { z } from 'zod';

/** Linux's PATH_MAX: no device path, mount point or model name a machine has is longer. */
export const FACT_TEXT_MAX = 4096;

/**
 * Text a machine reported. NUL and line breaks are refused here, with a sentence, rather than
 * deep in the Nix writer: no device path, model name or mount point a machine can have holds
 * one, so a value that does was made up or garbled. So was one longer than any path.
 */
const FactText = z
  .string()
  .max(FACT_TEXT_MAX)
  .refine((text) => !/[\0\n\r\u2028\u2029]/.test(text), {
    message: 'must not contain NUL characters or line breaks',
  });

/** A host id as `networking.hostId` takes it: exactly eight lowercase hex digits. */
export const HostIdSchema = z.string().regex(/^[0-9a-f]{8}$/, 'must be eight lowercase hex digits');

/** Nix system doubles Nixstrap can configure. */
export const SystemSchema = z.enum([
  'x86_64-linux',
  'aarch64-linux',
  'i686-linux',
  'armv6l-linux',
  'armv7l-linux',
  'riscv64-linux',
  'powerpc64le-linux',
  'aarch64-darwin',
  'x86_64-darwin',
]);
export type NixSystem = z.infer<typeof SystemSchema>;

export const MachineKindSchema = z.enum([
  'wsl',
  'apple-silicon-mac',
  'intel-mac',
  'apple-silicon-linux',
  'raspberry-pi',
  'vm',
  'container',
  'bare-metal',
]);
export type MachineKind = z.infer<typeof MachineKindSchema>;

export const FirmwareSchema = z.enum(['uefi', 'bios', 'device-tree', 'none']);
export const BootLoaderSchema = z.enum(['systemd-boot', 'grub', 'extlinux', 'none']);

/** Modules from nixpkgs' `modulesPath` that a hardware configuration may import. */
export const HardwareImportSchema = z.enum([
  'installer/scan/not-detected.nix',
  'profiles/qemu-guest.nix',
  'hardware/network/broadcom-43xx.nix',
  'hardware/cpu/intel-npu.nix',
  'virtualisation/amazon-image.nix',
  'virtualisation/google-compute-image.nix',
]);
export type HardwareImport = z.infer<typeof HardwareImportSchema>;

/**
 * Settings nixos-generate-config derives from PCI ids and virtualisation. An enum rather than
 * free Nix text, so a garbled or hostile fixture can never smuggle an expression into a file.
 */
export const HardwareSettingSchema = z.enum([
  'broadcom-sta',
  'intel-2200bg-firmware',
  'intel-3945abg-firmware',
  'intel-npu',
  'intel-microcode',
  'amd-microcode',
  'virtualbox-guest',
  'hyperv-guest',
  'parallels-guest',
  'vmware-guest',
  'spice-guest',
  'rosetta',
  'container',
  'swraid',
  'lvm-thin',
  'lvm-vdo',
]);
export type HardwareSetting = z.infer<typeof HardwareSettingSchema>;

export const FileSystemSchema = z.strictObject({
  device: FactText,
  fsType: FactText,
  options: z.array(FactText),
});
export type FileSystem = z.infer<typeof FileSystemSchema>;

/** A swap device or the device under a LUKS mapping, as the stable path NixOS should use. */
const DeviceSchema = z.strictObject({ device: FactText });

/**
 * A LUKS mapping: the device under it, and whether that device is an LVM volume (LUKS on
 * LVM), which must be opened after LVM is scanned rather than before.
 */
const LuksDeviceSchema = z.strictObject({
  device: FactText,
  insideLvm: z.literal(true).optional(),
});

export const GpuSchema = z.strictObject({
  vendor: z.enum(['nvidia', 'amd', 'intel', 'apple', 'broadcom', 'virtual', 'other']),
  pciId: FactText,
  /** PRIME bus id in the decimal form NixOS wants, e.g. `PCI:1:0:0`. */
  busId: FactText.nullable(),
  driver: FactText.nullable(),
  /** NVIDIA only: whether the open kernel modules support this card (Turing and newer). */
  nvidiaOpen: z.boolean().nullable(),
  name: FactText,
});
export type Gpu = z.infer<typeof GpuSchema>;

export const FactsSchema = z.strictObject({
  system: SystemSchema,
  kind: MachineKindSchema,
  virtualisation: FactText,
  /** Cloud or hypervisor product refined from DMI, e.g. `hetzner`, `ec2`, `utm`; null when not a VM. */
  vmVendor: FactText.nullable(),
  model: FactText,
  cpu: z.strictObject({
    vendor: FactText,
    model: FactText,
    cores: z.number().int().nonnegative(),
    virtualisationExtensions: z.enum(['vmx', 'svm']).nullable(),
  }),
  memoryBytes: z.number().nonnegative(),
  boot: z.strictObject({
    firmware: FirmwareSchema,
    loader: BootLoaderSchema,
    /** Apple Silicon has EFI but no writable EFI variables. */
    canTouchEfiVariables: z.boolean(),
    /** With GRUB on a BIOS machine: the whole disk holding /boot (or /), where GRUB goes. */
    disk: FactText.nullable().optional(),
  }),
  kernelModules: z.strictObject({
    initrdAvailable: z.array(FactText),
    initrd: z.array(FactText),
    kernel: z.array(FactText),
  }),
  hardwareImports: z.array(HardwareImportSchema),
  hardwareSettings: z.array(HardwareSettingSchema),
  fileSystems: z.record(FactText, FileSystemSchema),
  swapDevices: z.array(DeviceSchema),
  luksDevices: z.record(FactText, LuksDeviceSchema),
  networkInterfaces: z.array(FactText),
  gpus: z.array(GpuSchema),
  isLaptop: z.boolean(),
  bluetooth: z.boolean(),
  board: z
    .strictObject({
      compatible: z.array(FactText),
      /** e.g. `raspberry-pi-4`, `apple-t8103`: the key the generator maps to a hardware module. */
      family: FactText,
    })
    .nullable(),
  wsl: z
    .strictObject({
      version: z.union([z.literal(1), z.literal(2)]),
      distroName: FactText.nullable(),
      systemd: z.boolean().nullable(),
    })
    .nullable(),
  mac: z
    .strictObject({
      translated: z.boolean(),
      hardwareModel: FactText,
      macosVersion: FactText,
    })
    .nullable(),
  nix: z.strictObject({
    installed: z.boolean(),
    version: FactText.nullable(),
    daemon: z.boolean(),
    determinate: z.boolean(),
  }),
  os: z.strictObject({
    id: FactText,
    version: FactText.nullable(),
    prettyName: FactText.nullable(),
  }),
  hostName: FactText,
  userName: FactText,
  /**
   * `/etc/ssh/ssh_host_ed25519_key.pub` as `ssh-ed25519 AAAA…` (the public half only): the key
   * sops-nix decrypts with. Null when the machine has none; absent in older captures.
   */
  sshHostKey: FactText.nullable().default(null),
  /**
   * The id ZFS imported this machine's pools with (`/etc/hostid`), as the eight lowercase hex
   * digits `hostid` prints and `networking.hostId` takes; only where ZFS holds a file system.
   * Optional: captures and scripts from before it still parse.
   */
  hostId: HostIdSchema.nullable().optional(),
  /**
   * Detection ran in the NixOS installer: the file systems are those of the system mounted at
   * /mnt, which nixos-install installs; a rebuild would change only the installer, in memory.
   */
  installer: z.literal(true).optional(),
  /**
   * The machine's own time zone (an IANA name such as `Europe/Berlin`), default locale
   * (`de_DE.UTF-8`) and keyboard (an XKB layout and variant, `de` and `nodeadkeys`): what the
   * answers propose. Optional fields, an additive change to the contract: captures and scripts
   * from before them still parse. Null when the machine says nothing Nixstrap can use.
   */
  timeZone: FactText.nullable().optional(),
  locale: FactText.nullable().optional(),
  keyboard: z.strictObject({ layout: FactText, variant: FactText }).nullable().optional(),
  /** Whether Nixstrap was started from an SSH session: the owner is not at the console. */
  remoteSession: z.boolean().default(false),
  warnings: z.array(FactText),
});
export type Facts = z.infer<typeof FactsSchema>;
