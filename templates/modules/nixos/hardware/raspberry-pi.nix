# Raspberry Pi. The host imports the nixos-hardware module for its board.
{ lib, ... }:
{
  # Wi-Fi and Bluetooth firmware for the board's Broadcom chips.
  hardware.enableRedistributableFirmware = lib.mkDefault true;

  # Compressed swap in RAM rather than on the SD card, which wears out.
  zramSwap.enable = lib.mkDefault true;
  # The journal on the card is kept small for the same reason.
#if journaldSettings
  services.journald.settings.Journal.SystemMaxUse = lib.mkDefault "100M";
#else
  services.journald.extraConfig = lib.mkDefault "SystemMaxUse=100M";
#endif
}
