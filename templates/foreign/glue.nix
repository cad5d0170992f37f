# What a Nixstrap flake adds to each of its hosts (lib/default.nix in a Nixstrap repo): the
# shared base module, Home Manager, and the commit each generation was built from. Hosts that
# Nixstrap adds to this repo import this file, so the repo's own flake needs no Nixstrap code.
# The host must receive `inputs` (specialArgs = { inherit inputs; }).
{ inputs, lib, ... }:
{
  imports = [
    @{baseModule}
#if flakeAddsHomeManager
    # Home Manager itself: this repo's flake.nix already adds it to its hosts.
#else
    @{homeManagerModule}
#endif
  ];

  home-manager.useGlobalPkgs = true;
  home-manager.useUserPackages = true;
  home-manager.extraSpecialArgs = { inherit inputs; };

  system.configurationRevision = lib.mkDefault (inputs.self.rev or inputs.self.dirtyRev or null);
}
