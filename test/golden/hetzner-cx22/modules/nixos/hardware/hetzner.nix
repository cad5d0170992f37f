# A Hetzner Cloud server.
{ ... }:
{
  imports = [ ./qemu-guest.nix ];

  # IPv4 comes from DHCP. For IPv6, add the address shown in the Hetzner console to the host:
  #   networking.interfaces.<interface>.ipv6.addresses = [ { address = "<prefix>::1"; prefixLength = 64; } ];
  #   networking.defaultGateway6 = { address = "fe80::1"; interface = "<interface>"; };
}
