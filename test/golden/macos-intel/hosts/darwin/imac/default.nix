# This Mac's configuration: edit it freely. Shared settings are in ../../../modules/darwin,
# package sets in ../../../packages, and the user's own programs in ../../../home.
# Rebuild with: sudo darwin-rebuild switch --flake .#<this folder's name>
{
  lib,
  pkgs,
  ...
}:
{
  imports = [ ../../../packages/essential.nix ];

  networking.hostName = "imac";
  nixpkgs.hostPlatform = "x86_64-darwin";

  time.timeZone = "UTC";

  # The user that user-level settings (defaults, Homebrew, launchd agents) apply to.
  system.primaryUser = "alice";
  users.users.alice = {
    name = "alice";
    home = "/Users/alice";
    openssh.authorizedKeys.keys = [
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFKBdkfpjpZIyHH+XIPNWJ9GKLTMK9pWHsHvWSDpKZNn alice@laptop"
    ];
  };

  home-manager.users.alice = {
    imports = [ ../../../home/alice ];
    home.stateVersion = "26.05";
  };

  services.openssh.enable = true;

  # nix-darwin's state version for this Mac: keep it when you upgrade.
  system.stateVersion = 7;
}
