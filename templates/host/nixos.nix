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
  # Each boot entry keeps its kernel and initrd on the EFI partition, which fills up (a switch
  # then fails to install the boot loader). Older generations stay in the profile for rollbacks.
  boot.loader.systemd-boot.configurationLimit = 10;
  boot.loader.efi.canTouchEfiVariables = @{canTouchEfiVariables};
#if hasEfiSysMountPoint
  # The EFI system partition is mounted here, not at /boot.
  boot.loader.efi.efiSysMountPoint = @{efiSysMountPoint};
#endif
#endif
#if bootExtlinux

  # The board's firmware boots through extlinux, not GRUB.
  boot.loader.grub.enable = false;
  boot.loader.generic-extlinux-compatible.enable = true;
  # Each menu entry keeps its kernel, initrd and device trees in /boot, which fills up (a switch
  # then fails to install the boot loader). Older generations stay in the profile for rollbacks.
  boot.loader.generic-extlinux-compatible.configurationLimit = 10;
#endif
#if bootGrub

  boot.loader.grub.enable = true;
  # The disk whose boot sector GRUB is written to; `lsblk` lists the disks.
  boot.loader.grub.device = @{grubDevice};
  # Each menu entry keeps its kernel and initrd in /boot, which fills up (a switch then fails to
  # install the boot loader). Older generations stay in the profile for rollbacks.
  boot.loader.grub.configurationLimit = 10;
#endif
#if bootGrubEfi

  boot.loader.grub = {
    enable = true;
    efiSupport = true;
    device = "nodev";
    # Each menu entry keeps its kernel and initrd in /boot, which fills up (a switch then fails
    # to install the boot loader). Older generations stay in the profile for rollbacks.
    configurationLimit = 10;
  };
  boot.loader.efi.canTouchEfiVariables = @{canTouchEfiVariables};
#if hasEfiSysMountPoint
  # The EFI system partition is mounted here, not at /boot.
  boot.loader.efi.efiSysMountPoint = @{efiSysMountPoint};
#endif
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
#if hasPasswordSecret
    # The first password's hash, encrypted in ./secrets.yaml; `passwd` changes it on the machine.
    hashedPasswordFile = config.sops.secrets.@attr{passwordSecret}.path;
#endif
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
#if secrets

  # Secrets: sops-nix decrypts ./secrets.yaml at activation. Add one with
  # `nixstrap secrets set NAME --host <this folder's name>` (or `sops ./secrets.yaml`) and use it
  # as `config.sops.secrets.NAME.path`; the repo's .sops.yaml says who can read which file.
  sops.defaultSopsFile = ./secrets.yaml;
#if hasPasswordSecret
  # Decrypted before users are created, so the password is there at first boot.
  sops.secrets.@attr{passwordSecret}.neededForUsers = true;
#endif
#if secretsSshKey
  sops.age.sshKeyPaths = [ @{sshHostKeyPath} ];
#else
  # This machine had no SSH host key, so it reads its secrets with an age key of its own.
  sops.age.keyFile = @{hostAgeKeyPath};
#endif
  # Home Manager gets sops-nix too, for secrets of your own (set its sops.age.keyFile there).
  home-manager.sharedModules = [ inputs.sops-nix.homeManagerModules.sops ];
#endif
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
