# Networking every NixOS host shares: the firewall stays on (NixOS's default, which machine
# modules such as WSL's may change), and Tailscale is trusted when a host enables it
# (services.tailscale.enable = true).
{ config, lib, ... }:
{
  networking.firewall = {
    trustedInterfaces = lib.mkIf config.services.tailscale.enable [ "tailscale0" ];
    allowedUDPPorts = lib.mkIf config.services.tailscale.enable [ config.services.tailscale.port ];
  };
}
