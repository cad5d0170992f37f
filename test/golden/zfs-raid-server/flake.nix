{
  description = "Machines managed with Nix, set up by Nixstrap";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-26.05";
    home-manager = {
      url = "github:nix-community/home-manager/release-26.05";
      inputs.nixpkgs.follows = "nixpkgs";
    };
    # Decrypts each host's secrets at activation (see .sops.yaml).
    sops-nix = {
      url = "github:Mic92/sops-nix";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs =
    { self, nixpkgs, ... }@inputs:
    let
      hosts = import ./lib { inherit inputs self; };
      forAllSystems = nixpkgs.lib.genAttrs [
        "x86_64-linux"
        "aarch64-linux"
        "aarch64-darwin"
        "x86_64-darwin"
      ];
    in
    {
      # Every folder in hosts/nixos/ is a NixOS machine: `nixos-rebuild switch --flake .#<name>`.
      nixosConfigurations = hosts.nixosHosts ./hosts/nixos;

      # `nix fmt` formats the repo the way these files are already formatted.
      formatter = forAllSystems (system: nixpkgs.legacyPackages.${system}.nixfmt);
    };
}
