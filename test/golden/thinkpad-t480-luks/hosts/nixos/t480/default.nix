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
    inputs.nixos-hardware.nixosModules.lenovo-thinkpad-t480
    ../../../modules/nixos/hardware/laptop.nix
    ../../../modules/nixos/hardware/intel-graphics.nix
    ../../../modules/nixos/services/networking.nix
    ../../../modules/nixos/services/development.nix
    ../../../modules/nixos/services/containers.nix
    ../../../modules/nixos/services/printing.nix
    ../../../modules/nixos/services/bluetooth.nix
    ../../../modules/nixos/desktop/plasma.nix
    ../../../packages/development.nix
    inputs.sops-nix.nixosModules.sops
  ];

  networking.hostName = "t480";

  services.thermald.enable = true;

  boot.loader.systemd-boot.enable = true;
  # Each boot entry keeps its kernel and initrd on the EFI partition, which fills up (a switch
  # then fails to install the boot loader). Older generations stay in the profile for rollbacks.
  boot.loader.systemd-boot.configurationLimit = 10;
  boot.loader.efi.canTouchEfiVariables = true;

  time.timeZone = "Europe/Berlin";
  i18n.defaultLocale = "de_DE.UTF-8";
  services.xserver.xkb = {
    layout = "de";
    variant = "nodeadkeys";
  };

  users.users.alice = {
    isNormalUser = true;
    description = "Alice Example";
    extraGroups = [
      "wheel"
      "networkmanager"
      "docker"
    ];
    openssh.authorizedKeys.keys = [ ];
    # The first password's hash, encrypted in ./secrets.yaml; `passwd` changes it on the machine.
    hashedPasswordFile = config.sops.secrets.alice-password.path;
    shell = pkgs.zsh;
  };
  programs.zsh.enable = true;

  home-manager.users.alice = {
    imports = [ ../../../home/alice ];
    home.stateVersion = "26.05";
  };

  # Secrets: sops-nix decrypts ./secrets.yaml at activation. Add one with
  # `nixstrap secrets set NAME --host <this folder's name>` (or `sops ./secrets.yaml`) and use it
  # as `config.sops.secrets.NAME.path`; the repo's .sops.yaml says who can read which file.
  sops.defaultSopsFile = ./secrets.yaml;
  # Decrypted before users are created, so the password is there at first boot.
  sops.secrets.alice-password.neededForUsers = true;
  sops.age.sshKeyPaths = [ "/etc/ssh/ssh_host_ed25519_key" ];
  # Home Manager gets sops-nix too, for secrets of your own (set its sops.age.keyFile there).
  home-manager.sharedModules = [ inputs.sops-nix.homeManagerModules.sops ];

  virtualisation.docker.enable = true;

  environment.systemPackages = [
    pkgs.cargo
    pkgs.rustc
    pkgs.rust-analyzer
    pkgs.clippy
    pkgs.rustfmt
    pkgs.nil
    pkgs.nixfmt
    pkgs.nix-tree
  ];

  # The NixOS release this machine was first set up with. Keep it when you upgrade NixOS:
  # it tells NixOS which defaults the data on disk was created with.
  system.stateVersion = "25.05";
}
