# This Mac's configuration: edit it freely. Shared settings are in ../../../modules/darwin,
# package sets in ../../../packages, and the user's own programs in ../../../home.
# Rebuild with: sudo darwin-rebuild switch --flake .#<this folder's name>
{
  lib,
  pkgs,
  ...
}:
{
  imports = [ ../../../packages/development.nix ];

  networking.hostName = "alices-macbook-air";
  nixpkgs.hostPlatform = "aarch64-darwin";

  # Determinate Nix manages the Nix installation itself, so nix-darwin leaves it alone.
  nix.enable = false;

  time.timeZone = "UTC";

  # The user that user-level settings (defaults, Homebrew, launchd agents) apply to.
  system.primaryUser = "alice";
  users.users.alice = {
    name = "alice";
    home = "/Users/alice";
    description = "Alice Example";
    openssh.authorizedKeys.keys = [ ];
  };
  programs.zsh.enable = true;

  home-manager.users.alice = {
    imports = [ ../../../home/alice ];
    home.stateVersion = "26.05";
  };

  services.tailscale.enable = true;

  environment.systemPackages = [
    pkgs.go
    pkgs.gopls
  ];

  # nix-darwin's state version for this Mac: keep it when you upgrade.
  system.stateVersion = 7;
}
