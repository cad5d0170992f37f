# NixOS on Apple Silicon (Asahi). The host imports nixos-apple-silicon's
# apple-silicon-support module and points it at the firmware copied into its folder.
{ lib, ... }:
{
  hardware.asahi.enable = true;
  hardware.asahi.setupAsahiSound = lib.mkDefault true;

  # The Broadcom Wi-Fi on these machines works best with iwd.
  networking.networkmanager.wifi.backend = lib.mkDefault "iwd";
  networking.wireless.iwd.enable = lib.mkDefault true;
}
