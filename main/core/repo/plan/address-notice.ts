/**
 * What the repo's path means for building its flake, said before anything is written: in a
 * flake's address "#" starts the attribute and "?" the options wherever they stand, so no Nix
 * builds from such a path; a space ends the address for older Nix (2.8 among them). The rebuild
 * explains either when it fails; this says it while the folder can still be chosen again: a
 * step to take for the marks, something to know for a space.
 */
export function flakeAddressNotice(repo: string): { step: string } | { warning: string } | null {
  const mark = /[#?]/.exec(repo)?.[0];
  if (mark) {
    return {
      step: `Nix cannot build a flake from ${repo}: its path has a "${mark}", which in a flake's address starts ${mark === '#' ? 'the name of what to build' : "the flake's options"}. Choose a folder without "#" or "?" (e.g. ~/nixos-config), or move the repo there before its first rebuild.`,
    };
  }
  if (/\s/.test(repo)) {
    return {
      warning: `${repo} has a space in its path, which older Nix versions (2.8 among them) read as the end of a flake's address: if the first rebuild says so, move the repo (or link it) to a path without spaces, e.g. ~/nixos-config.`,
    };
  }
  return null;
}
