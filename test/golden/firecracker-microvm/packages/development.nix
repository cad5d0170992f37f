# Tools for building software, on top of essential.nix.
{ pkgs, ... }:
{
  imports = [ ./essential.nix ];

  environment.systemPackages = with pkgs; [
    gh
    gnumake
    nil
    nixfmt
    shellcheck
  ];
}
