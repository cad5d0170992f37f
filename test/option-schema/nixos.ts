import type { ExternalModule, OptionSpec } from './schema';

/**
 * Every NixOS option the templates and the generator can set, as upstream declares it at the
 * releases the generator pins (see UPSTREAM_REFS): nixpkgs `nixos/modules/…`, NixOS-WSL
 * `modules/…`, nixos-apple-silicon `apple-silicon-support/modules/…`, sops-nix `modules/sops`.
 */
const n = (path: string, type: OptionSpec['type'], file: string, extra: Partial<OptionSpec> = {}) =>
  ({ path, type, from: 'nixpkgs', file: `nixos/modules/${file}`, ...extra }) as OptionSpec;

/** Home Manager's home.stateVersion is an enum of its releases, up to the branch's own. */
const HM_RELEASES =
  '18.09|19.03|19.09|20.03|20.09|21.03|21.05|21.11|22.05|22.11|23.05|23.11|24.05|24.11|25.05|25.11|26.05';
export const HOME_STATE_VERSIONS = {
  stable: `enum:${HM_RELEASES}`,
  unstable: `enum:${HM_RELEASES}|26.11`,
} as const;

const LOADER = 'system/boot/loader';
const KERNEL = 'system/boot/kernel.nix';
const USERS = 'config/users-groups.nix';
const SSHD = 'services/networking/ssh/sshd.nix';

export const NIXOS_OPTIONS: readonly OptionSpec[] = [
  n('networking.hostName', 'str', 'tasks/network-interfaces.nix'),
  n('networking.useDHCP', 'bool', 'tasks/network-interfaces.nix'),
  n('networking.hostId', 'str', 'tasks/network-interfaces.nix'),
  n('networking.firewall.enable', 'bool', 'services/networking/firewall.nix'),
  n('networking.firewall.allowedTCPPorts', 'list:port', 'services/networking/firewall.nix'),
  n('networking.firewall.allowedUDPPorts', 'list:port', 'services/networking/firewall.nix'),
  n('networking.firewall.trustedInterfaces', 'list:str', 'services/networking/firewall.nix'),
  n('networking.networkmanager.enable', 'bool', 'services/networking/networkmanager.nix'),
  n(
    'networking.networkmanager.wifi.backend',
    'enum:wpa_supplicant|iwd',
    'services/networking/networkmanager.nix',
  ),
  n('networking.wireless.iwd.enable', 'bool', 'services/networking/iwd.nix'),
  n('networking.enableIntel2200BGFirmware', 'bool', 'hardware/network/intel-2200bg.nix'),
  n('networking.enableIntel3945ABGFirmware', 'bool', 'hardware/all-firmware.nix', {
    gone: { in: ['stable', 'unstable'], use: 'hardware.enableRedistributableFirmware' },
  }),
  n('boot.loader.grub.enable', 'bool', `${LOADER}/grub/grub.nix`),
  n('boot.loader.grub.device', 'str', `${LOADER}/grub/grub.nix`),
  n('boot.loader.grub.efiSupport', 'bool', `${LOADER}/grub/grub.nix`),
  n('boot.loader.grub.configurationLimit', 'int', `${LOADER}/grub/grub.nix`),
  n('boot.loader.systemd-boot.enable', 'bool', `${LOADER}/systemd-boot/systemd-boot.nix`),
  n(
    'boot.loader.systemd-boot.configurationLimit',
    'oneOf:int,null',
    `${LOADER}/systemd-boot/systemd-boot.nix`,
  ),
  n('boot.loader.efi.canTouchEfiVariables', 'bool', `${LOADER}/efi.nix`),
  n('boot.loader.efi.efiSysMountPoint', 'str', `${LOADER}/efi.nix`),
  n(
    'boot.loader.generic-extlinux-compatible.enable',
    'bool',
    `${LOADER}/generic-extlinux-compatible/default.nix`,
  ),
  n(
    'boot.loader.generic-extlinux-compatible.configurationLimit',
    'int',
    `${LOADER}/generic-extlinux-compatible/default.nix`,
  ),
  n('boot.initrd.availableKernelModules', 'list:str', KERNEL),
  n('boot.initrd.kernelModules', 'list:str', KERNEL),
  n('boot.kernelModules', 'list:str', KERNEL),
  n('boot.extraModulePackages', 'list:package', KERNEL),
  n('boot.initrd.luks.devices.<name>.device', 'str', 'system/boot/luksroot.nix'),
  n('boot.initrd.luks.devices.<name>.preLVM', 'bool', 'system/boot/luksroot.nix'),
  n('boot.initrd.systemd.enable', 'bool', 'system/boot/systemd/initrd.nix'),
  n('boot.isContainer', 'bool', 'virtualisation/nixos-containers.nix'),
  n('boot.swraid.enable', 'bool', 'tasks/swraid.nix'),
  n('boot.swraid.mdadmConf', 'lines', 'tasks/swraid.nix'),
  n('services.lvm.boot.thin.enable', 'bool', 'tasks/lvm.nix'),
  n('services.lvm.boot.vdo.enable', 'bool', 'tasks/lvm.nix'),
  n('fileSystems.<name>.device', 'str', 'tasks/filesystems.nix'),
  n('fileSystems.<name>.fsType', 'str', 'tasks/filesystems.nix'),
  n('fileSystems.<name>.options', 'list:str', 'tasks/filesystems.nix'),
  n('swapDevices', 'list:set:swapDevice', 'config/swap.nix'),
  n('console.useXkbConfig', 'bool', 'config/console.nix'),
  n('time.timeZone', 'str', 'config/locale.nix'),
  n('i18n.defaultLocale', 'str', 'config/i18n.nix'),
  n('services.xserver.xkb.layout', 'str', 'services/x11/xserver.nix'),
  n('services.xserver.xkb.variant', 'str', 'services/x11/xserver.nix'),
  n('services.xserver.videoDrivers', 'list:str', 'services/x11/xserver.nix'),
  n('users.users.<name>.isNormalUser', 'bool', USERS),
  n('users.users.<name>.description', 'str', USERS),
  n('users.users.<name>.extraGroups', 'list:str', USERS),
  n('users.users.<name>.openssh.authorizedKeys.keys', 'list:str', SSHD),
  n('users.users.<name>.shell', 'oneOf:package,path', USERS),
  n('users.users.<name>.initialHashedPassword', 'str', USERS),
  n('users.users.<name>.hashedPasswordFile', 'str', USERS),
  n('programs.zsh.enable', 'bool', 'programs/zsh/zsh.nix'),
  n('programs.fish.enable', 'bool', 'programs/fish.nix'),
  n('programs.direnv.enable', 'bool', 'programs/direnv.nix'),
  n('programs.nix-ld.enable', 'bool', 'programs/nix-ld.nix'),
  n('documentation.dev.enable', 'bool', 'misc/documentation.nix'),
  n('environment.systemPackages', 'list:package', 'config/system-path.nix'),
  n('environment.sessionVariables.<name>', 'str', 'config/session-variables.nix'),
  n('nix.settings', 'attrs', 'config/nix.nix'),
  n('nix.gc.automatic', 'bool', 'services/misc/nix-gc.nix'),
  n('nix.gc.dates', 'str', 'services/misc/nix-gc.nix'),
  n('nix.gc.options', 'str', 'services/misc/nix-gc.nix'),
  n('nix.optimise.automatic', 'bool', 'services/misc/nix-optimise.nix'),
  n(
    'nixpkgs.hostPlatform',
    {
      stable:
        'enum:x86_64-linux|aarch64-linux|i686-linux|armv6l-linux|armv7l-linux|riscv64-linux|powerpc64le-linux',
      unstable:
        'enum:x86_64-linux|aarch64-linux|i686-linux|armv6l-linux|armv7l-linux|riscv64-linux|powerpc64le-linux',
    },
    'misc/nixpkgs.nix',
  ),
  n('nixpkgs.config.allowUnfree', 'bool', 'misc/nixpkgs.nix'),
  n('nixpkgs.config.allowUnfreePredicate', 'lambda', 'misc/nixpkgs.nix'),
  n('system.stateVersion', 'stateVersion', 'misc/version.nix'),
  n('system.configurationRevision', 'oneOf:str,null', 'misc/version.nix'),
  n('hardware.enableRedistributableFirmware', 'bool', 'hardware/all-firmware.nix'),
  n('hardware.cpu.intel.updateMicrocode', 'bool', 'hardware/cpu/intel-microcode.nix'),
  n('hardware.cpu.amd.updateMicrocode', 'bool', 'hardware/cpu/amd-microcode.nix'),
  n('hardware.cpu.intel.npu.enable', 'bool', 'hardware/cpu/intel-npu.nix'),
  n('hardware.graphics.enable', 'bool', 'hardware/graphics.nix'),
  n('hardware.graphics.enable32Bit', 'bool', 'hardware/graphics.nix'),
  n('hardware.graphics.extraPackages', 'list:package', 'hardware/graphics.nix'),
  n('hardware.amdgpu.initrd.enable', 'bool', 'hardware/amdgpu.nix'),
  n('hardware.nvidia.open', 'bool', 'hardware/video/nvidia.nix'),
  n('hardware.nvidia.package', 'package', 'hardware/video/nvidia.nix'),
  n('hardware.nvidia.modesetting.enable', 'bool', 'hardware/video/nvidia.nix'),
  n('hardware.nvidia.nvidiaSettings', 'bool', 'hardware/video/nvidia.nix', {
    unfree: ['nvidia-settings'],
  }),
  n('hardware.nvidia.prime.offload.enable', 'bool', 'hardware/video/nvidia.nix'),
  n('hardware.nvidia.prime.offload.enableOffloadCmd', 'bool', 'hardware/video/nvidia.nix'),
  n('hardware.nvidia.prime.intelBusId', 'str', 'hardware/video/nvidia.nix'),
  n('hardware.nvidia.prime.amdgpuBusId', 'str', 'hardware/video/nvidia.nix'),
  n('hardware.nvidia.prime.nvidiaBusId', 'str', 'hardware/video/nvidia.nix'),
  n('hardware.bluetooth.enable', 'bool', 'services/hardware/bluetooth.nix'),
  n('hardware.bluetooth.powerOnBoot', 'bool', 'services/hardware/bluetooth.nix'),
  n('hardware.parallels.enable', 'bool', 'virtualisation/parallels-guest.nix', {
    unfree: ['prl-tools'],
  }),
  n('virtualisation.virtualbox.guest.enable', 'bool', 'virtualisation/virtualbox-guest.nix'),
  n('virtualisation.hypervGuest.enable', 'bool', 'virtualisation/hyperv-guest.nix'),
  n('virtualisation.vmware.guest.enable', 'bool', 'virtualisation/vmware-guest.nix'),
  n('virtualisation.docker.enable', 'bool', 'virtualisation/docker.nix'),
  n('virtualisation.docker.autoPrune.enable', 'bool', 'virtualisation/docker.nix'),
  n('virtualisation.podman.enable', 'bool', 'virtualisation/podman/default.nix'),
  n('virtualisation.podman.dockerCompat', 'bool', 'virtualisation/podman/default.nix'),
  n('virtualisation.podman.defaultNetwork.settings', 'attrs', 'virtualisation/podman/default.nix'),
  n('zramSwap.enable', 'bool', 'config/zram.nix'),
  n('services.journald.extraConfig', 'lines', 'system/boot/systemd/journald.nix', {
    gone: { in: ['unstable'], use: 'services.journald.settings.Journal' },
  }),
  n('services.journald.settings', 'attrs', 'system/boot/systemd/journald.nix', {
    gone: { in: ['stable'], use: 'services.journald.extraConfig' },
  }),
  n('services.openssh.enable', 'bool', SSHD),
  n(
    'services.openssh.settings.PermitRootLogin',
    'enum:yes|without-password|prohibit-password|forced-commands-only|no',
    SSHD,
  ),
  n('services.openssh.settings.PasswordAuthentication', 'bool', SSHD),
  n('services.openssh.settings.KbdInteractiveAuthentication', 'bool', SSHD),
  n('services.tailscale.enable', 'bool', 'services/networking/tailscale.nix'),
  n('services.thermald.enable', 'bool', 'services/hardware/thermald.nix'),
  n('services.power-profiles-daemon.enable', 'bool', 'services/hardware/power-profiles-daemon.nix'),
  n('services.upower.enable', 'bool', 'services/hardware/upower.nix'),
  n('services.fstrim.enable', 'bool', 'services/misc/fstrim.nix'),
  n('services.qemuGuest.enable', 'bool', 'virtualisation/qemu-guest-agent.nix'),
  n('services.spice-vdagentd.enable', 'bool', 'services/misc/spice-vdagentd.nix'),
  n('virtualisation.rosetta.enable', 'bool', 'virtualisation/rosetta.nix'),
  n('services.printing.enable', 'bool', 'services/printing/cupsd.nix'),
  n('services.avahi.enable', 'bool', 'services/networking/avahi-daemon.nix'),
  n('services.avahi.nssmdns4', 'bool', 'services/networking/avahi-daemon.nix'),
  n('services.avahi.openFirewall', 'bool', 'services/networking/avahi-daemon.nix'),
  n('services.flatpak.enable', 'bool', 'services/desktops/flatpak.nix'),
  n('services.desktopManager.gnome.enable', 'bool', 'services/desktop-managers/gnome.nix'),
  n('services.desktopManager.plasma6.enable', 'bool', 'services/desktop-managers/plasma6.nix'),
  n('services.displayManager.gdm.enable', 'bool', 'services/display-managers/gdm.nix'),
  n('services.displayManager.sddm.enable', 'bool', 'services/display-managers/sddm.nix'),
  n('services.displayManager.sddm.wayland.enable', 'bool', 'services/display-managers/sddm.nix'),
  n(
    'services.gnome.gnome-remote-desktop.enable',
    'bool',
    'services/desktops/gnome/gnome-remote-desktop.nix',
  ),
  n('services.xrdp.enable', 'bool', 'services/networking/xrdp.nix'),
  n('services.xrdp.defaultWindowManager', 'str', 'services/networking/xrdp.nix'),
  n('services.pipewire.enable', 'bool', 'services/desktops/pipewire/pipewire.nix'),
  n('services.pipewire.alsa.enable', 'bool', 'services/desktops/pipewire/pipewire.nix'),
  n('services.pipewire.pulse.enable', 'bool', 'services/desktops/pipewire/pipewire.nix'),
  n('security.rtkit.enable', 'bool', 'security/rtkit.nix'),
  {
    path: 'home-manager.users.<name>.imports',
    type: 'list:module',
    from: 'home-manager',
    file: 'nixos/common.nix',
  },
  {
    path: 'home-manager.users.<name>.home.stateVersion',
    type: HOME_STATE_VERSIONS,
    from: 'home-manager',
    file: 'modules/misc/version.nix',
  },
  {
    path: 'home-manager.useGlobalPkgs',
    type: 'bool',
    from: 'home-manager',
    file: 'nixos/common.nix',
  },
  {
    path: 'home-manager.useUserPackages',
    type: 'bool',
    from: 'home-manager',
    file: 'nixos/common.nix',
  },
  {
    path: 'home-manager.extraSpecialArgs',
    type: 'attrs',
    from: 'home-manager',
    file: 'nixos/common.nix',
  },
  {
    path: 'home-manager.sharedModules',
    type: 'list:module',
    from: 'home-manager',
    file: 'nixos/common.nix',
  },
  { path: 'wsl.enable', type: 'bool', from: 'nixos-wsl', file: 'modules/wsl-distro.nix' },
  { path: 'wsl.defaultUser', type: 'str', from: 'nixos-wsl', file: 'modules/wsl-distro.nix' },
  {
    path: 'wsl.startMenuLaunchers',
    type: 'bool',
    from: 'nixos-wsl',
    file: 'modules/wsl-distro.nix',
  },
  { path: 'wsl.interop.includePath', type: 'bool', from: 'nixos-wsl', file: 'modules/interop.nix' },
  {
    path: 'hardware.asahi.enable',
    type: 'bool',
    from: 'nixos-apple-silicon',
    file: 'apple-silicon-support/modules/default.nix',
  },
  {
    path: 'hardware.asahi.setupAsahiSound',
    type: 'bool',
    from: 'nixos-apple-silicon',
    file: 'apple-silicon-support/modules/sound/default.nix',
  },
  {
    path: 'hardware.asahi.peripheralFirmwareDirectory',
    type: 'oneOf:path,null',
    from: 'nixos-apple-silicon',
    file: 'apple-silicon-support/modules/peripheral-firmware/default.nix',
  },
  {
    path: 'sops.defaultSopsFile',
    type: 'path',
    from: 'sops-nix',
    file: 'modules/sops/default.nix',
  },
  {
    path: 'sops.age.sshKeyPaths',
    type: 'list:str',
    from: 'sops-nix',
    file: 'modules/sops/default.nix',
  },
  { path: 'sops.age.keyFile', type: 'str', from: 'sops-nix', file: 'modules/sops/default.nix' },
  {
    path: 'sops.secrets.<name>.neededForUsers',
    type: 'bool',
    from: 'sops-nix',
    file: 'modules/sops/default.nix',
  },
];

/**
 * Modules from nixpkgs and the flake inputs that a host may import, with what they define at
 * a priority the templates' own definitions can meet.
 */
export const NIXOS_EXTERNALS: Readonly<Record<string, ExternalModule>> = {
  '<modulesPath>/virtualisation/amazon-image.nix': {
    from: 'nixpkgs',
    file: 'nixos/modules/virtualisation/amazon-image.nix',
    defines: [
      { path: 'boot.loader.grub.device', priority: 100, value: null },
      { path: 'boot.loader.grub.efiSupport', priority: 100, value: null },
      { path: 'services.openssh.enable', priority: 100, value: true },
      {
        path: 'services.openssh.settings.PermitRootLogin',
        priority: 100,
        value: 'prohibit-password',
      },
      { path: 'networking.hostName', priority: 1000, value: '' },
      { path: 'fileSystems./.device', priority: 1000, value: '/dev/disk/by-label/nixos' },
      { path: 'fileSystems./.fsType', priority: 1000, value: 'ext4' },
    ],
  },
  '<modulesPath>/virtualisation/google-compute-image.nix': {
    from: 'nixpkgs',
    file: 'nixos/modules/virtualisation/google-compute-config.nix (imported by google-compute-image.nix)',
    defines: [
      { path: 'boot.loader.grub.device', priority: 100, value: '/dev/sda' },
      { path: 'services.openssh.enable', priority: 100, value: true },
      {
        path: 'services.openssh.settings.PermitRootLogin',
        priority: 1000,
        value: 'prohibit-password',
      },
      { path: 'services.openssh.settings.PasswordAuthentication', priority: 1000, value: false },
      { path: 'networking.firewall.enable', priority: 1000, value: false },
      { path: 'networking.hostName', priority: 1000, value: '' },
      { path: 'fileSystems./.device', priority: 100, value: '/dev/disk/by-label/nixos' },
      { path: 'fileSystems./.fsType', priority: 100, value: 'ext4' },
    ],
  },
  '<modulesPath>/installer/scan/not-detected.nix': {
    from: 'nixpkgs',
    file: 'nixos/modules/installer/scan/not-detected.nix',
    defines: [{ path: 'hardware.enableRedistributableFirmware', priority: 1000, value: true }],
  },
  '<modulesPath>/profiles/qemu-guest.nix': {
    from: 'nixpkgs',
    file: 'nixos/modules/profiles/qemu-guest.nix',
    defines: [],
  },
  '<modulesPath>/hardware/network/broadcom-43xx.nix': {
    from: 'nixpkgs',
    file: 'nixos/modules/hardware/network/broadcom-43xx.nix',
    defines: [{ path: 'hardware.enableRedistributableFirmware', priority: 100, value: true }],
  },
  '<modulesPath>/hardware/cpu/intel-npu.nix': {
    from: 'nixpkgs',
    file: 'nixos/modules/hardware/cpu/intel-npu.nix',
    defines: [],
  },
  'nixos-wsl': {
    from: 'nixos-wsl',
    file: 'modules/wsl-distro.nix',
    defines: [{ path: 'security.sudo.wheelNeedsPassword', priority: 1000, value: false }],
  },
  'nixos-apple-silicon': {
    from: 'nixos-apple-silicon',
    file: 'apple-silicon-support/modules/default.nix',
    defines: [],
  },
  'home-manager/nixos': { from: 'home-manager', file: 'nixos/default.nix', defines: [] },
  'sops-nix/nixos': { from: 'sops-nix', file: 'modules/sops/default.nix', defines: [] },
  'sops-nix/home': { from: 'sops-nix', file: 'modules/home-manager/sops.nix', defines: [] },
};

export const SUBMODULES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  swapDevice: { device: 'str' },
};
