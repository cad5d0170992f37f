# This machine's configuration: edit it freely. Shared settings are in ../../../modules,
# package sets in ../../../packages, and the user's own programs in ../../../home.
# Rebuild with: sudo nixos-rebuild switch --flake .#<this folder's name>
{
  config,
  inputs,
  lib,
  pkgs,
  ...
}:
{
  imports = @{imports};

  networking.hostName = @{hostName};
#if hasMachine

  @{machine}
#endif
#if bootSystemdBoot

  boot.loader.systemd-boot.enable = true;
  boot.loader.efi.canTouchEfiVariables = @{canTouchEfiVariables};
#endif
#if bootExtlinux

  # The board's firmware boots through extlinux, not GRUB.
  boot.loader.grub.enable = false;
  boot.loader.generic-extlinux-compatible.enable = true;
#endif
#if bootGrub

  boot.loader.grub.enable = true;
  # The disk whose boot sector GRUB is written to; `lsblk` lists the disks.
  boot.loader.grub.device = @{grubDevice};
#endif
#if bootGrubEfi

  boot.loader.grub = {
    enable = true;
    efiSupport = true;
    device = "nodev";
  };
  boot.loader.efi.canTouchEfiVariables = @{canTouchEfiVariables};
#endif
#if bootCloudImage

  # GRUB is set up by the cloud's image module that hardware-configuration.nix imports.
#endif

  time.timeZone = @{timeZone};
  i18n.defaultLocale = @{locale};
  services.xserver.xkb = {
    layout = @{keyboardLayout};
    variant = @{keyboardVariant};
  };

  users.users.@attr{userName} = {
    isNormalUser = true;
#if hasFullName
    description = @{fullName};
#endif
    extraGroups = @{extraGroups};
#if hasPasswordHash
    # The hash of the first password; `passwd` changes it on the machine.
    initialHashedPassword = @{passwordHash};
#endif
    openssh.authorizedKeys.keys = @{sshAuthorizedKeys};
#if hasShell
    shell = @{shellPackage};
#endif
  };
#if hasShell
  programs.@attr{shell}.enable = true;
#endif

  home-manager.users.@attr{userName} = {
    imports = [ @{homeModule} ];
    home.stateVersion = @{homeStateVersion};
  };
#if hasServices

  @{services}
#endif
#if hasPackages

  environment.systemPackages = @{packages};
#endif
#if allowUnfree

  nixpkgs.config.allowUnfree = true;
#endif
#if hasUnfreePackages

  # Unfree packages this machine needs, allowed by name.
#if unfreeOnOneLine
  nixpkgs.config.allowUnfreePredicate = pkg: builtins.elem (lib.getName pkg) @{unfreePackages};
#else
  nixpkgs.config.allowUnfreePredicate =
    pkg:
    builtins.elem (lib.getName pkg) @{unfreePackages};
#endif
#endif

  # The NixOS release this machine was first set up with. Keep it when you upgrade NixOS:
  # it tells NixOS which defaults the data on disk was created with.
  system.stateVersion = @{stateVersion};
}
