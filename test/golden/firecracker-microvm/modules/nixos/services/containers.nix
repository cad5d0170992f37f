# Containers: whichever of virtualisation.podman / virtualisation.docker the host enables.
{ config, lib, ... }:
{
  virtualisation.podman = lib.mkIf config.virtualisation.podman.enable {
    # `docker` runs podman, unless real Docker is installed too.
    dockerCompat = lib.mkDefault (!config.virtualisation.docker.enable);
    defaultNetwork.settings.dns_enabled = true;
  };

  virtualisation.docker.autoPrune.enable = lib.mkDefault config.virtualisation.docker.enable;
}
