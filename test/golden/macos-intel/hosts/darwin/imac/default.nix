# This Mac's configuration: edit it freely. Shared settings are in ../../../modules/darwin,
# package sets in ../../../packages, and the user's own programs in ../../../home.
# Rebuild with: sudo darwin-rebuild switch --flake .#<this folder's name>
{
  inputs,
  lib,
  pkgs,
  ...
}:
{
  imports = [
    ../../../packages/essential.nix
    inputs.sops-nix.darwinModules.sops
  ];

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

  # Secrets: sops-nix decrypts ./secrets.yaml at activation. Add one with
  # `nixstrap secrets set NAME --host <this folder's name>` (or `sops ./secrets.yaml`) and use it
  # as `config.sops.secrets.NAME.path`; the repo's .sops.yaml says who can read which file.
  sops.defaultSopsFile = ./secrets.yaml;
  # This machine had no SSH host key, so it reads its secrets with an age key of its own.
  sops.age.keyFile = "/var/lib/sops-nix/key.txt";
  # Home Manager gets sops-nix too, for secrets of your own (set its sops.age.keyFile there).
  home-manager.sharedModules = [ inputs.sops-nix.homeManagerModules.sops ];

  services.openssh.enable = true;

  # nix-darwin's state version for this Mac: keep it when you upgrade.
  system.stateVersion = 7;
}
