import { NixstrapFailure } from './failure';

/**
 * NixOS's own rule for networking.hostName (nixos/modules/tasks/network-interfaces.nix:
 * `^[[:alnum:]]([[:alnum:]_-]{0,61}[[:alnum:]])?$`, its empty name aside, which only means "ask
 * DHCP"), so a name NixOS takes is never refused. Every such name also survives as
 * `<repo>#nixosConfigurations."<host>"`, the flake address Nix parses as a URL.
 */
export const HOST_NAME = /^[A-Za-z0-9]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?$/;

/** The host name field's help, in the wizard and where the Facts screen corrects the name. */
export const HOST_NAME_HELP =
  "Letters, digits, '-' and '_', starting and ending with a letter or digit, as NixOS takes for networking.hostName; it also names the host's folder in the repo.";

const MAX_LENGTH = 63;
const ALLOWED = /^[A-Za-z0-9_-]$/;
const EDGE = /^[A-Za-z0-9]$/;

/** A character as a sentence names it: one that prints, quoted; a space or control character, in words. */
function characterName(char: string): string {
  if (char === ' ') return 'a space';
  if (/^\p{Cc}$/u.test(char)) {
    return `a control character (U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`;
  }
  return char === "'" ? `"'"` : `'${char}'`;
}

/**
 * What is wrong with `name` as a host name, said to follow "a host name" (or the field name),
 * or null when NixOS takes it. The name is shown JSON-quoted, so a control character in it
 * shows as an escape rather than acting on the terminal.
 */
export function hostNameProblem(name: string): string | null {
  if (HOST_NAME.test(name)) return null;
  if (name === '') return 'cannot be empty';
  const shown = JSON.stringify(name);
  const chars = [...name];
  const bad = chars.find((char) => !ALLOWED.test(char));
  if (bad !== undefined) {
    return `may hold only letters, digits, '-' and '_' (NixOS's networking.hostName rule); ${shown} has ${characterName(bad)}`;
  }
  if (chars.length > MAX_LENGTH) {
    return `may be at most ${MAX_LENGTH} characters long (NixOS's networking.hostName rule); ${shown} has ${chars.length}`;
  }
  const first = chars[0]!;
  const last = chars[chars.length - 1]!;
  const edge = EDGE.test(first)
    ? `ends with ${characterName(last)}`
    : `starts with ${characterName(first)}`;
  return `must start and end with a letter or digit (NixOS's networking.hostName rule); ${shown} ${edge}`;
}

/**
 * The refusal of a host name no flake address can carry, before anything runs or is written:
 * otherwise Nix says only "not a valid URL", at build time. `hint` says where to find a good one.
 */
export function assertHostName(name: string, hint: string): void {
  const problem = hostNameProblem(name);
  if (problem === null) return;
  throw new NixstrapFailure('HOST_NAME_INVALID', `A host name ${problem}.`, hint);
}

/**
 * What Nix's flake-address parser takes inside the quoted `homeConfigurations."USER@HOST"`:
 * RFC 3986's fragment characters and a space. Anything else (`#`, `%`, a quote, `é`) gives only
 * "not a valid URL", at build time.
 */
const FLAKE_FRAGMENT_CHAR = /^[A-Za-z0-9._~!$&'()*+,;=:@/? -]$/;

/**
 * The refusal of a Home Manager user no flake address can carry, before anything runs. Unix user
 * names are freer than host names (`john.doe`), so only what Nix cannot parse is refused.
 */
export function assertFlakeUser(user: string, hint: string): void {
  const bad = [...user].find((char) => !FLAKE_FRAGMENT_CHAR.test(char));
  if (user !== '' && bad === undefined) return;
  const problem =
    bad === undefined
      ? 'cannot be empty'
      : `${JSON.stringify(user)} has ${characterName(bad)}, which a flake address cannot carry`;
  throw new NixstrapFailure('USAGE', `The Home Manager user ${problem}.`, hint);
}
