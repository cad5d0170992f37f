# NixOS inside WSL2. The host imports NixOS-WSL and sets wsl.enable and wsl.defaultUser.
{ lib, ... }:
{
  # Windows programs appear in the Start menu; Windows' PATH stays out of Linux's.
  wsl.startMenuLaunchers = lib.mkDefault true;
  wsl.interop.includePath = lib.mkDefault false;

  # Windows already runs a firewall in front of WSL.
  networking.firewall.enable = lib.mkDefault false;
}
