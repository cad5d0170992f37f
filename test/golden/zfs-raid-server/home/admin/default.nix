# This user's own programs and dotfiles, managed by Home Manager and shared by every host
# the user is on. Options: https://nix-community.github.io/home-manager/options.xhtml
{ pkgs, ... }:
{
  programs.bash.enable = true;

  programs.git.enable = true;

  programs.neovim = {
    enable = true;
    defaultEditor = true;
  };
}
