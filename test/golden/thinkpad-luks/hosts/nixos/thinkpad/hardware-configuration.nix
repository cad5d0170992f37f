# Do not modify this file! Nixstrap generated it from this machine's hardware, the way
# nixos-generate-config does, and overwrites it when the hardware is detected again.
# Make changes in ./default.nix instead.
{
  config,
  lib,
  pkgs,
  modulesPath,
  ...
}:

{
  imports = [
    (modulesPath + "/installer/scan/not-detected.nix")
  ];

  boot.initrd.availableKernelModules = [
    "xhci_pci"
    "nvme"
    "usb_storage"
    "sd_mod"
    "rtsx_pci_sdmmc"
  ];
  boot.initrd.kernelModules = [ ];
  boot.kernelModules = [
    "kvm-intel"
  ];
  boot.extraModulePackages = [ ];

  fileSystems."/" = {
    device = "/dev/disk/by-uuid/7e5d1f7a-1c4e-4a8b-9d2e-3f6a5b4c3d2e";
    fsType = "ext4";
  };

  boot.initrd.luks.devices.luks-9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d.device = "/dev/disk/by-uuid/9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d";

  boot.initrd.luks.devices.luks-1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9.device = "/dev/disk/by-uuid/1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9";

  fileSystems."/boot" = {
    device = "/dev/disk/by-uuid/A1B2-C3D4";
    fsType = "vfat";
    options = [
      "fmask=0077"
      "dmask=0077"
    ];
  };

  swapDevices = [
    {
      device = "/dev/disk/by-uuid/4f3e2d1c-0b9a-4876-a5b4-c3d2e1f0a9b8";
    }
  ];

  # Enables DHCP on each ethernet and wireless interface. In case of scripted networking
  # (the default) this is the recommended approach. When using systemd-networkd it's
  # still possible to use this option, but it's recommended to use it in conjunction
  # with explicit per-interface declarations with `networking.interfaces.<interface>.useDHCP`.
  networking.useDHCP = lib.mkDefault true;
  # networking.interfaces.enp0s31f6.useDHCP = lib.mkDefault true;
  # networking.interfaces.wlp3s0.useDHCP = lib.mkDefault true;

  nixpkgs.hostPlatform = lib.mkDefault "x86_64-linux";
  hardware.cpu.intel.updateMicrocode = lib.mkDefault config.hardware.enableRedistributableFirmware;
}
