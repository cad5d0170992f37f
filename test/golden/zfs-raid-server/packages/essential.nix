# Everyday command-line tools, on top of minimal.nix.
{ pkgs, ... }:
{
  imports = [ ./minimal.nix ];

  environment.systemPackages = with pkgs; [
    fd
    file
    htop
    jq
    ripgrep
    tree
    unzip
    wget
  ];
}
