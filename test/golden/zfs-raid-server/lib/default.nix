# Turns the folders under hosts/ into system configurations, so adding a host never edits
# flake.nix: create hosts/nixos/<name>/default.nix (or hosts/darwin/<name>/) and rebuild.
{ inputs, self }:
let
  inherit (inputs.nixpkgs) lib;

  # Folders below `dir` that hold a default.nix, by name; none when `dir` does not exist.
  hostNames =
    dir:
    if builtins.pathExists dir then
      builtins.attrNames (
        lib.filterAttrs (
          name: type: type == "directory" && builtins.pathExists (dir + "/${name}/default.nix")
        ) (builtins.readDir dir)
      )
    else
      [ ];

  # Modules every host gets, NixOS or nix-darwin alike.
  common = kind: [
    {
      # Each generation records the commit it was built from (`nixos-version --configuration-revision`).
      system.configurationRevision = self.rev or self.dirtyRev or null;
    }
    {
      home-manager.useGlobalPkgs = true;
      home-manager.useUserPackages = true;
      home-manager.extraSpecialArgs = { inherit inputs; };
    }
    ../modules/${kind}/base.nix
  ];
in
{
  nixosHosts =
    dir:
    lib.genAttrs (hostNames dir) (
      name:
      lib.nixosSystem {
        specialArgs = { inherit inputs self; };
        modules = [
          (dir + "/${name}")
          inputs.home-manager.nixosModules.home-manager
        ]
        ++ common "nixos";
      }
    );

  darwinHosts =
    dir:
    lib.genAttrs (hostNames dir) (
      name:
      inputs.nix-darwin.lib.darwinSystem {
        specialArgs = { inherit inputs self; };
        modules = [
          (dir + "/${name}")
          inputs.home-manager.darwinModules.home-manager
        ]
        ++ common "darwin";
      }
    );
}
