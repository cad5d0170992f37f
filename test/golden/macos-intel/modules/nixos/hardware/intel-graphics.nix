# Intel graphics: video decoding on Broadwell (2014) and newer.
{ lib, pkgs, ... }:
{
  hardware.graphics = {
    enable = true;
    extraPackages = [ pkgs.intel-media-driver ];
  };
  environment.sessionVariables.LIBVA_DRIVER_NAME = lib.mkDefault "iHD";
}
