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
    ../../../modules/nixos/hardware/nvidia.nix
    ../../../modules/nixos/services/networking.nix
    ../../../modules/nixos/services/development.nix
    ../../../modules/nixos/services/flatpak.nix
    ../../../modules/nixos/desktop/gnome.nix
    ../../../modules/nixos/desktop/remote-access.nix
    ../../../packages/full.nix
  ];

  networking.hostName = "tower";

  # This card supports the open kernel modules.
  hardware.nvidia.open = true;

  boot.loader.systemd-boot.enable = true;
  boot.loader.efi.canTouchEfiVariables = true;

  time.timeZone = "America/New_York";
  i18n.defaultLocale = "en_US.UTF-8";
  services.xserver.xkb = {
    layout = "us";
    variant = "";
  };

  users.users.sam = {
    isNormalUser = true;
    description = "Alice Example";
    extraGroups = [
      "wheel"
      "networkmanager"
    ];
    # The hash of the first password; `passwd` changes it on the machine.
    initialHashedPassword = "$6$nixstrapgolden01$xgNe7W/DZZ9H2y2SgckGbcOJ/CBdQZtV2BnGAycGJBPrW/POaXjAAVrvCvH.int3N7duAVYmNyLL05Emi8CxW/";
    openssh.authorizedKeys.keys = [
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFKBdkfpjpZIyHH+XIPNWJ9GKLTMK9pWHsHvWSDpKZNn alice@laptop"
    ];
    shell = pkgs.fish;
  };
  programs.fish.enable = true;

  home-manager.users.sam = {
    imports = [ ../../../home/sam ];
    home.stateVersion = "26.05";
  };

  services.openssh.enable = true;

  # Unfree packages this machine needs, allowed by name.
  nixpkgs.config.allowUnfreePredicate =
    pkg:
    builtins.elem (lib.getName pkg) [
      "nvidia-x11"
      "nvidia-settings"
      "vscode"
    ];

  # The NixOS release this machine was first set up with. Keep it when you upgrade NixOS:
  # it tells NixOS which defaults the data on disk was created with.
  system.stateVersion = "25.11";
}
