# The smallest useful set of tools. Each larger profile imports the one before it:
# minimal, essential, development, full.
{ pkgs, ... }:
{
  environment.systemPackages = with pkgs; [
    curl
    git
  ];
}
