# Settings every Mac shares. A host overrides any of them in its own default.nix.
{ config, lib, ... }:
{
  nix.settings = lib.mkIf config.nix.enable {
    experimental-features = [
      "nix-command"
      "flakes"
    ];
    trusted-users = [
      "root"
      "@admin"
    ];
  };
  nix.gc = lib.mkIf config.nix.enable {
    automatic = true;
    interval = {
      Weekday = 0;
      Hour = 3;
      Minute = 15;
    };
    options = "--delete-older-than 30d";
  };
  nix.optimise.automatic = lib.mkIf config.nix.enable true;

  # Touch ID for sudo in the terminal.
  security.pam.services.sudo_local.touchIdAuth = lib.mkDefault true;

  programs.zsh.enable = lib.mkDefault true;
}
