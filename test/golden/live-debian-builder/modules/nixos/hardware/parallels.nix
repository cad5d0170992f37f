# A Parallels Desktop guest. Its tools are unfree; the host allows "prl-tools".
{ ... }:
{
  hardware.parallels.enable = true;
}
