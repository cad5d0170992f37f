# Flatpak, for desktop apps from Flathub: `flatpak remote-add --if-not-exists flathub
# https://dl.flathub.org/repo/flathub.flatpakrepo`.
{ ... }:
{
  services.flatpak.enable = true;
}
