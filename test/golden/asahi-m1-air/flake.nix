{
  description = "Machines managed with Nix, set up by Nixstrap";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
    home-manager = {
      url = "github:nix-community/home-manager/master";
      inputs.nixpkgs.follows = "nixpkgs";
    };
    # A release tag, following its own nixpkgs: the Asahi kernel is built and cached against it.
    nixos-apple-silicon.url = "github:nix-community/nixos-apple-silicon/release-2026-07-30";
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
      ];
    in
    {
      # Every folder in hosts/nixos/ is a NixOS machine: `nixos-rebuild switch --flake .#<name>`.
      nixosConfigurations = hosts.nixosHosts ./hosts/nixos;

      # `nix fmt` formats the repo the way these files are already formatted.
      formatter = forAllSystems (system: nixpkgs.legacyPackages.${system}.nixfmt);
    };
}
