import { z } from 'zod';

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
  'container',
  'swraid',
]);
export type HardwareSetting = z.infer<typeof HardwareSettingSchema>;

export const FileSystemSchema = z
  .object({
    device: z.string(),
    fsType: z.string(),
    options: z.array(z.string()),
  })
  .strict();
export type FileSystem = z.infer<typeof FileSystemSchema>;

export const GpuSchema = z
  .object({
    vendor: z.enum(['nvidia', 'amd', 'intel', 'apple', 'broadcom', 'virtual', 'other']),
    pciId: z.string(),
    /** PRIME bus id in the decimal form NixOS wants, e.g. `PCI:1:0:0`. */
    busId: z.string().nullable(),
    driver: z.string().nullable(),
    /** NVIDIA only: whether the open kernel modules support this card (Turing and newer). */
    nvidiaOpen: z.boolean().nullable(),
    name: z.string(),
  })
  .strict();
export type Gpu = z.infer<typeof GpuSchema>;

export const FactsSchema = z
  .object({
    system: SystemSchema,
    kind: MachineKindSchema,
    virtualisation: z.string(),
    /** Cloud or hypervisor product refined from DMI, e.g. `hetzner`, `ec2`, `utm`; null when not a VM. */
    vmVendor: z.string().nullable(),
    model: z.string(),
    cpu: z
      .object({
        vendor: z.string(),
        model: z.string(),
        cores: z.number().int().nonnegative(),
        virtualisationExtensions: z.enum(['vmx', 'svm']).nullable(),
      })
      .strict(),
    memoryBytes: z.number().nonnegative(),
    boot: z
      .object({
        firmware: FirmwareSchema,
        loader: BootLoaderSchema,
        /** Apple Silicon has EFI but no writable EFI variables. */
        canTouchEfiVariables: z.boolean(),
      })
      .strict(),
    kernelModules: z
      .object({
        initrdAvailable: z.array(z.string()),
        initrd: z.array(z.string()),
        kernel: z.array(z.string()),
      })
      .strict(),
    hardwareImports: z.array(HardwareImportSchema),
    hardwareSettings: z.array(HardwareSettingSchema),
    fileSystems: z.record(z.string(), FileSystemSchema),
    swapDevices: z.array(z.object({ device: z.string() }).strict()),
    luksDevices: z.record(z.string(), z.object({ device: z.string() }).strict()),
    networkInterfaces: z.array(z.string()),
    gpus: z.array(GpuSchema),
    isLaptop: z.boolean(),
    bluetooth: z.boolean(),
    board: z
      .object({
        compatible: z.array(z.string()),
        /** e.g. `raspberry-pi-4`, `apple-t8103`: the key the generator maps to a hardware module. */
        family: z.string(),
      })
      .strict()
      .nullable(),
    wsl: z
      .object({
        version: z.union([z.literal(1), z.literal(2)]),
        distroName: z.string().nullable(),
        systemd: z.boolean().nullable(),
      })
      .strict()
      .nullable(),
    mac: z
      .object({
        translated: z.boolean(),
        hardwareModel: z.string(),
        macosVersion: z.string(),
      })
      .strict()
      .nullable(),
    nix: z
      .object({
        installed: z.boolean(),
        version: z.string().nullable(),
        daemon: z.boolean(),
        determinate: z.boolean(),
      })
      .strict(),
    os: z
      .object({
        id: z.string(),
        version: z.string().nullable(),
        prettyName: z.string().nullable(),
      })
      .strict(),
    hostName: z.string(),
    userName: z.string(),
    /**
     * `/etc/ssh/ssh_host_ed25519_key.pub` as `ssh-ed25519 AAAA…` (the public half only): the key
     * sops-nix decrypts with. Null when the machine has none; absent in older captures.
     */
    sshHostKey: z.string().nullable().default(null),
    warnings: z.array(z.string()),
  })
  .strict();
export type Facts = z.infer<typeof FactsSchema>;
