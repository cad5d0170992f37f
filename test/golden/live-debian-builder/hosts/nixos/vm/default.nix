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
  ];

  networking.hostName = "vm";

  # A container: its host starts it, so it has no boot loader or kernel.
  boot.isContainer = true;

  time.timeZone = "UTC";
  i18n.defaultLocale = "en_US.UTF-8";
  services.xserver.xkb = {
    layout = "us";
    variant = "";
  };

  users.users.nixos = {
    isNormalUser = true;
    extraGroups = [ "wheel" ];
    # The hash of the first password; `passwd` changes it on the machine.
    initialHashedPassword = "$6$nixstrapgolden01$xgNe7W/DZZ9H2y2SgckGbcOJ/CBdQZtV2BnGAycGJBPrW/POaXjAAVrvCvH.int3N7duAVYmNyLL05Emi8CxW/";
    openssh.authorizedKeys.keys = [
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFKBdkfpjpZIyHH+XIPNWJ9GKLTMK9pWHsHvWSDpKZNn alice@laptop"
    ];
  };

  home-manager.users.nixos = {
    imports = [ ../../../home/nixos ];
    home.stateVersion = "26.05";
  };

  services.openssh.enable = true;

  # The NixOS release this machine was first set up with. Keep it when you upgrade NixOS:
  # it tells NixOS which defaults the data on disk was created with.
  system.stateVersion = "26.05";
}
