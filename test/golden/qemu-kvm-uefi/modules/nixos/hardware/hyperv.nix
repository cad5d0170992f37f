# A Hyper-V or Azure guest.
{ ... }:
{
  virtualisation.hypervGuest.enable = true;
}
