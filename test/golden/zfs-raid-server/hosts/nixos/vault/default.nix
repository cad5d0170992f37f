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
    ../../../modules/nixos/services/networking.nix
    ../../../packages/essential.nix
    inputs.sops-nix.nixosModules.sops
  ];

  networking.hostName = "vault";

  boot.loader.systemd-boot.enable = true;
  # Each boot entry keeps its kernel and initrd on the EFI partition, which fills up (a switch
  # then fails to install the boot loader). Older generations stay in the profile for rollbacks.
  boot.loader.systemd-boot.configurationLimit = 10;
  boot.loader.efi.canTouchEfiVariables = true;

  time.timeZone = "UTC";
  i18n.defaultLocale = "en_US.UTF-8";
  services.xserver.xkb = {
    layout = "us";
    variant = "";
  };

  users.users.admin = {
    isNormalUser = true;
    extraGroups = [ "wheel" ];
    openssh.authorizedKeys.keys = [
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFKBdkfpjpZIyHH+XIPNWJ9GKLTMK9pWHsHvWSDpKZNn alice@laptop"
    ];
    # The first password's hash, encrypted in ./secrets.yaml; `passwd` changes it on the machine.
    hashedPasswordFile = config.sops.secrets.admin-password.path;
  };

  home-manager.users.admin = {
    imports = [ ../../../home/admin ];
    home.stateVersion = "26.05";
  };

  # Secrets: sops-nix decrypts ./secrets.yaml at activation. Add one with
  # `nixstrap secrets set NAME --host <this folder's name>` (or `sops ./secrets.yaml`) and use it
  # as `config.sops.secrets.NAME.path`; the repo's .sops.yaml says who can read which file.
  sops.defaultSopsFile = ./secrets.yaml;
  # Decrypted before users are created, so the password is there at first boot.
  sops.secrets.admin-password.neededForUsers = true;
  # This machine had no SSH host key, so it reads its secrets with an age key of its own.
  sops.age.keyFile = "/var/lib/sops-nix/key.txt";
  # Home Manager gets sops-nix too, for secrets of your own (set its sops.age.keyFile there).
  home-manager.sharedModules = [ inputs.sops-nix.homeManagerModules.sops ];

  services.openssh.enable = true;

  # The NixOS release this machine was first set up with. Keep it when you upgrade NixOS:
  # it tells NixOS which defaults the data on disk was created with.
  system.stateVersion = "25.05";
}
