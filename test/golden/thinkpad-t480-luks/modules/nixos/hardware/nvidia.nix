# NVIDIA graphics with the proprietary driver (unfree). The host sets
# hardware.nvidia.open: true for Turing (RTX 20xx, GTX 16xx) and newer, false for older cards.
{ config, lib, ... }:
{
  hardware.graphics.enable = true;
  services.xserver.videoDrivers = [ "nvidia" ];

  hardware.nvidia = {
    modesetting.enable = true;
    nvidiaSettings = lib.mkDefault true;
    package = lib.mkDefault config.boot.kernelPackages.nvidiaPackages.stable;
  };
}
