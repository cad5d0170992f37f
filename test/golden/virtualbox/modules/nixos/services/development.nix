# Tools for writing software: per-project environments and running foreign binaries.
{ ... }:
{
  # `use flake` in an .envrc loads a project's dev shell on cd.
  programs.direnv.enable = true;
  # Prebuilt binaries (language servers, npm and pip downloads) find their libraries.
  programs.nix-ld.enable = true;
  documentation.dev.enable = true;
}
