# Remote desktop over RDP (port 3389): GNOME's own server, or xrdp for Plasma.
{ config, lib, ... }:
{
  services.gnome.gnome-remote-desktop.enable = lib.mkDefault config.services.desktopManager.gnome.enable;

  services.xrdp = lib.mkIf config.services.desktopManager.plasma6.enable {
    enable = true;
    defaultWindowManager = "startplasma-x11";
  };

  networking.firewall.allowedTCPPorts = [ 3389 ];
}
