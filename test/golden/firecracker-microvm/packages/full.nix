# Everything, on top of development.nix.
{ pkgs, ... }:
{
  imports = [ ./development.nix ];

  environment.systemPackages = with pkgs; [
    btop
    ffmpeg
    imagemagick
    nmap
    pandoc
    yt-dlp
  ];
}
