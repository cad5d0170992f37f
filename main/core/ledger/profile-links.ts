import fs from 'node:fs';
import path from 'node:path';
import { NixstrapFailure } from '../../../common/failure';

/** The system profile NixOS and nix-darwin switch (`--profile` defaults to it). */
export const SYSTEM_PROFILE = '/nix/var/nix/profiles/system';

/** One `<name>-N-link` in a profile's folder: a generation as Nix keeps it. */
export interface ProfileLink {
  number: number;
  storePath: string;
  /** The link itself, whose mtime is when Nix made the generation. */
  link: string;
}

export interface ProfileState {
  profile: string;
  links: ProfileLink[];
  /** The number the profile link points at; null when the profile link is missing. */
  current: number | null;
}

function linkPattern(name: string): RegExp {
  return new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-(\\d+)-link$`);
}

/** Where a link points, made absolute against the folder it sits in. */
function target(link: string): string | null {
  try {
    return path.resolve(path.dirname(link), fs.readlinkSync(link));
  } catch {
    return null;
  }
}

/**
 * Reads a profile the way Nix's profiles.cc lays it out: `P` → `P-N-link` → store path.
 * The folder is read once and each link once; the store is not touched.
 */
export function readProfile(profile: string): ProfileState {
  const dir = path.dirname(profile);
  const name = path.basename(profile);
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch {
    throw profileMissing(profile);
  }
  const pattern = linkPattern(name);
  const links: ProfileLink[] = [];
  for (const entry of entries) {
    const match = pattern.exec(entry);
    if (!match) continue;
    const link = path.join(dir, entry);
    const storePath = target(link);
    if (!storePath) continue;
    links.push({ number: Number(match[1]), storePath, link });
  }
  const currentLink = target(profile);
  if (!currentLink && !links.length) throw profileMissing(profile);
  const current = currentLink ? pattern.exec(path.basename(currentLink)) : null;
  links.sort((a, b) => a.number - b.number);
  return { profile, links, current: current ? Number(current[1]) : null };
}

/** Entries newer than this may still be changing within the file system's timestamp tick. */
const SETTLED_NS = 2_000_000_000n;

/**
 * The profile folder's mtime in nanoseconds, or null when it is too recent to vouch for. Nix
 * adds, removes and re-points links by creating and renaming entries in that folder, so an
 * unchanged stamp means unchanged links (the same trick git uses for its index).
 */
export function profileStamp(profile: string): string | null {
  try {
    const { mtimeNs } = fs.statSync(path.dirname(profile), { bigint: true });
    return BigInt(Date.now()) * 1_000_000n - mtimeNs > SETTLED_NS ? String(mtimeNs) : null;
  } catch {
    return null;
  }
}

/**
 * When a generation was made, as `nix-env --list-generations` shows it: the link's own mtime
 * (not the store path's, which may predate it). Read only for links new to the ledger.
 */
export function linkCreatedAt(link: string): string | null {
  try {
    return fs.lstatSync(link).mtime.toISOString();
  } catch {
    return null;
  }
}

/** The store path a link like `/run/current-system` points at, or null where there is none. */
export function resolveSystemLink(link: string | null): string | null {
  if (!link) return null;
  try {
    return fs.realpathSync(link);
  } catch {
    return null;
  }
}

function profileMissing(profile: string): NixstrapFailure {
  return new NixstrapFailure(
    'PROFILE_NOT_FOUND',
    `There is no Nix profile at ${profile}.`,
    profile === SYSTEM_PROFILE
      ? 'This machine has no system profile yet; choose another profile (Home Manager keeps one in ~/.local/state/nix/profiles/home-manager).'
      : 'Check the path: it is the profile link itself, e.g. /nix/var/nix/profiles/system.',
  );
}
