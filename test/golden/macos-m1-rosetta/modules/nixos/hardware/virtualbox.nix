# A VirtualBox guest: shared clipboard, folders and screen resizing.
{ ... }:
{
  virtualisation.virtualbox.guest.enable = true;
}
