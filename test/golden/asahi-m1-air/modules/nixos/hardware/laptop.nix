# Laptops: power profiles, battery reporting, and Wi-Fi managed from the desktop.
{ lib, ... }:
{
  services.power-profiles-daemon.enable = lib.mkDefault true;
  services.upower.enable = lib.mkDefault true;
  services.fstrim.enable = lib.mkDefault true;
  networking.networkmanager.enable = lib.mkDefault true;
}
