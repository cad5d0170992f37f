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
  imports = [
    ./hardware-configuration.nix
    ../../../modules/nixos/hardware/qemu-guest.nix
    ../../../modules/nixos/services/networking.nix
    ../../../packages/essential.nix
    inputs.sops-nix.nixosModules.sops
  ];

  networking.hostName = "fc-builder";

  boot.loader.grub.enable = true;
  # The disk whose boot sector GRUB is written to; `lsblk` lists the disks.
  boot.loader.grub.device = "/dev/vda";
  # Each menu entry keeps its kernel and initrd in /boot, which fills up (a switch then fails to
  # install the boot loader). Older generations stay in the profile for rollbacks.
  boot.loader.grub.configurationLimit = 10;

  time.timeZone = "UTC";
  i18n.defaultLocale = "en_US.UTF-8";
  services.xserver.xkb = {
    layout = "us";
    variant = "";
  };

  users.users.nixos = {
    isNormalUser = true;
    extraGroups = [ "wheel" ];
    openssh.authorizedKeys.keys = [
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFKBdkfpjpZIyHH+XIPNWJ9GKLTMK9pWHsHvWSDpKZNn alice@laptop"
    ];
    # The first password's hash, encrypted in ./secrets.yaml; `passwd` changes it on the machine.
    hashedPasswordFile = config.sops.secrets.nixos-password.path;
  };

  home-manager.users.nixos = {
    imports = [ ../../../home/nixos ];
    home.stateVersion = "26.05";
  };

  # Secrets: sops-nix decrypts ./secrets.yaml at activation. Add one with
  # `nixstrap secrets set NAME --host <this folder's name>` (or `sops ./secrets.yaml`) and use it
  # as `config.sops.secrets.NAME.path`; the repo's .sops.yaml says who can read which file.
  sops.defaultSopsFile = ./secrets.yaml;
  # Decrypted before users are created, so the password is there at first boot.
  sops.secrets.nixos-password.neededForUsers = true;
  # This machine had no SSH host key, so it reads its secrets with an age key of its own.
  sops.age.keyFile = "/var/lib/sops-nix/key.txt";
  # Home Manager gets sops-nix too, for secrets of your own (set its sops.age.keyFile there).
  home-manager.sharedModules = [ inputs.sops-nix.homeManagerModules.sops ];

  services.openssh.enable = true;

  # The NixOS release this machine was first set up with. Keep it when you upgrade NixOS:
  # it tells NixOS which defaults the data on disk was created with.
  system.stateVersion = "26.05";
}
