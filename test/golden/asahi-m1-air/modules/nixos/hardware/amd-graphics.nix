# AMD graphics with the open amdgpu driver.
{ lib, pkgs, ... }:
{
  hardware.graphics = {
    enable = true;
    enable32Bit = lib.mkDefault pkgs.stdenv.hostPlatform.isx86_64;
  };
  # Load the driver early so the boot screen already runs at full resolution.
  hardware.amdgpu.initrd.enable = lib.mkDefault true;
}
