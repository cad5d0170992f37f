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
    ../../../packages/development.nix
    inputs.sops-nix.darwinModules.sops
  ];

  networking.hostName = "alices-macbook-air";
  nixpkgs.hostPlatform = "aarch64-darwin";

  # Determinate Nix manages the Nix installation itself, so nix-darwin leaves it alone.
  nix.enable = false;

  time.timeZone = "Europe/Berlin";

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

  # Secrets: sops-nix decrypts ./secrets.yaml at activation. Add one with
  # `nixstrap secrets set NAME --host <this folder's name>` (or `sops ./secrets.yaml`) and use it
  # as `config.sops.secrets.NAME.path`; the repo's .sops.yaml says who can read which file.
  sops.defaultSopsFile = ./secrets.yaml;
  sops.age.sshKeyPaths = [ "/etc/ssh/ssh_host_ed25519_key" ];
  # Home Manager gets sops-nix too, for secrets of your own (set its sops.age.keyFile there).
  home-manager.sharedModules = [ inputs.sops-nix.homeManagerModules.sops ];

  services.tailscale.enable = true;

  environment.systemPackages = [
    pkgs.go
    pkgs.gopls
  ];

  # nix-darwin's state version for this Mac: keep it when you upgrade.
  system.stateVersion = 7;
}
