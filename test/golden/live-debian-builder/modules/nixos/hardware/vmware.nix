# A VMware guest (Workstation, Fusion, ESXi).
{ ... }:
{
  virtualisation.vmware.guest.enable = true;
}
