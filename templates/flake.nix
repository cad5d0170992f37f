{
  description = "Machines managed with Nix, set up by Nixstrap";

  inputs = {
    nixpkgs.url = @{nixpkgsUrl};
    home-manager = {
      url = @{homeManagerUrl};
      inputs.nixpkgs.follows = "nixpkgs";
    };
#if nixDarwin
    nix-darwin = {
      url = @{nixDarwinUrl};
      inputs.nixpkgs.follows = "nixpkgs";
    };
#endif
#if nixosHardware
    nixos-hardware.url = "github:NixOS/nixos-hardware/master";
#endif
#if nixosWsl
    nixos-wsl = {
      url = @{nixosWslUrl};
      inputs.nixpkgs.follows = "nixpkgs";
    };
#endif
#if nixosAppleSilicon
    # A release tag, following its own nixpkgs: the Asahi kernel is built and cached against it.
    nixos-apple-silicon.url = @{appleSiliconUrl};
#endif
#if sopsNix
    # Decrypts each host's secrets at activation (see .sops.yaml).
    sops-nix = {
      url = "github:Mic92/sops-nix";
      inputs.nixpkgs.follows = "nixpkgs";
    };
#endif
  };

  outputs =
    { self, nixpkgs, ... }@inputs:
    let
#if discoversHosts
      hosts = import ./lib { inherit inputs self; };
#endif
      forAllSystems = nixpkgs.lib.genAttrs @{systems};
    in
    {
#if discoversHosts
      # Every folder in hosts/nixos/ is a NixOS machine: `nixos-rebuild switch --flake .#<name>`.
      nixosConfigurations = hosts.nixosHosts ./hosts/nixos;
#if nixDarwin

      # Every folder in hosts/darwin/ is a Mac: `darwin-rebuild switch --flake .#<name>`.
      darwinConfigurations = hosts.darwinHosts ./hosts/darwin;
#endif
#else
      # Every machine of this repo is one entry below: `sudo nixos-rebuild switch --flake .#<name>`.
      nixosConfigurations = @{nixosHosts};
#if listsDarwinHosts

      # Every Mac of this repo: `darwin-rebuild switch --flake .#<name>`.
      darwinConfigurations = @{darwinHosts};
#endif
#endif

      # `nix fmt` formats the repo the way these files are already formatted.
      formatter = forAllSystems (system: nixpkgs.legacyPackages.${system}.nixfmt);
    };
}
