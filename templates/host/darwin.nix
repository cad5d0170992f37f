# This Mac's configuration: edit it freely. Shared settings are in ../../../modules/darwin,
# package sets in ../../../packages, and the user's own programs in ../../../home.
# Rebuild with: sudo darwin-rebuild switch --flake .#<this folder's name>
{
#if secrets
  inputs,
#endif
  lib,
  pkgs,
  ...
}:
{
  imports = @{imports};

  networking.hostName = @{hostName};
  nixpkgs.hostPlatform = @{system};
#if determinate

  # Determinate Nix manages the Nix installation itself, so nix-darwin leaves it alone.
  nix.enable = false;
#endif

  time.timeZone = @{timeZone};

  # The user that user-level settings (defaults, Homebrew, launchd agents) apply to.
  system.primaryUser = @{userName};
  users.users.@attr{userName} = {
    name = @{userName};
    home = @{homeDirectory};
#if hasFullName
    description = @{fullName};
#endif
    openssh.authorizedKeys.keys = @{sshAuthorizedKeys};
  };
#if hasShell
  programs.@attr{shell}.enable = true;
#endif

  home-manager.users.@attr{userName} = {
    imports = [ @{homeModule} ];
    home.stateVersion = @{homeStateVersion};
  };
#if secrets

  # Secrets: sops-nix decrypts ./secrets.yaml at activation. Add one with
  # `nixstrap secrets set NAME --host <this folder's name>` (or `sops ./secrets.yaml`) and use it
  # as `config.sops.secrets.NAME.path`; the repo's .sops.yaml says who can read which file.
  sops.defaultSopsFile = ./secrets.yaml;
#if secretsSshKey
  sops.age.sshKeyPaths = [ @{sshHostKeyPath} ];
#else
  # This machine had no SSH host key, so it reads its secrets with an age key of its own.
  sops.age.keyFile = @{hostAgeKeyPath};
#endif
  # Home Manager gets sops-nix too, for secrets of your own (set its sops.age.keyFile there).
  home-manager.sharedModules = [ inputs.sops-nix.homeManagerModules.sops ];
#endif
#if hasServices

  @{services}
#endif
#if hasPackages

  environment.systemPackages = @{packages};
#endif
#if allowUnfree

  nixpkgs.config.allowUnfree = true;
#endif
#if hasUnfreePackages

  # Unfree packages this machine needs, allowed by name.
#if unfreeOnOneLine
  nixpkgs.config.allowUnfreePredicate = pkg: builtins.elem (lib.getName pkg) @{unfreePackages};
#else
  nixpkgs.config.allowUnfreePredicate =
    pkg:
    builtins.elem (lib.getName pkg) @{unfreePackages};
#endif
#endif

  # nix-darwin's state version for this Mac: keep it when you upgrade.
  system.stateVersion = @{stateVersion};
}
