# Settings every NixOS host shares. A host overrides any of them in its own default.nix.
{ lib, ... }:
{
  nix = {
    settings = {
      experimental-features = [
        "nix-command"
        "flakes"
      ];
      trusted-users = [
        "root"
        "@wheel"
      ];
    };
    gc = {
      automatic = true;
      dates = "weekly";
      options = "--delete-older-than 30d";
    };
    optimise.automatic = true;
  };

  # The console follows the keyboard layout the host sets in services.xserver.xkb,
  # so a password typed at boot and one typed on the desktop use the same keys.
  console.useXkbConfig = lib.mkDefault true;

  i18n.defaultLocale = lib.mkDefault "en_US.UTF-8";
  time.timeZone = lib.mkDefault "UTC";

  # Users are declared by the hosts, each with the hash of its first password;
  # users.mutableUsers keeps its NixOS default, so `passwd` changes it later.

  # SSH is off unless a host enables it; when it is on, only keys log in, and never as root.
  # Defaults only: a host that allows passwords, or a cloud image module, decides otherwise.
  services.openssh.settings = {
    PasswordAuthentication = lib.mkDefault false;
    KbdInteractiveAuthentication = lib.mkDefault false;
    PermitRootLogin = lib.mkDefault "no";
  };
}
