# Networking every NixOS host shares: the firewall is on, and Tailscale is trusted when a
# host enables it (services.tailscale.enable = true).
{ config, lib, ... }:
{
  networking.firewall = {
    enable = lib.mkDefault true;
    trustedInterfaces = lib.mkIf config.services.tailscale.enable [ "tailscale0" ];
    allowedUDPPorts = lib.mkIf config.services.tailscale.enable [ config.services.tailscale.port ];
  };
}
