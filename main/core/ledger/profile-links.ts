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
    const to = fs.readlinkSync(link);
    // Nix writes absolute store paths; only a hand-made relative link needs resolving.
    return to.startsWith('/') ? to : path.resolve(path.dirname(link), to);
  } catch {
    return null;
  }
}

/** What Nix links a generation to: a top-level path in its store. */
const STORE_PATH = /^\/nix\/store\/[0-9a-df-np-sv-z]{32}-[^/]+$/;

/** A link as the ledger last read it: where it pointed and the link's mtime then. */
export interface SeenLink {
  storePath: string;
  createdAt: string | null;
}

/**
 * Reads a profile the way Nix's profiles.cc lays it out: `P` → `P-N-link` → store path.
 * The folder is read once; links are read newest first, and once the newest link the ledger
 * has seen is found unchanged (same target, same mtime), the older ones it has seen are taken
 * from `seen` unread. That is sound because Nix numbers a new generation one above the highest
 * existing: to remake an older number it must first delete every newer one, and remaking that
 * newest seen link would have given it a new mtime.
 */
export function readProfile(
  profile: string,
  seen: ReadonlyMap<number, SeenLink> = new Map(),
): ProfileState {
  const dir = path.dirname(profile);
  const name = path.basename(profile);
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch {
    throw profileMissing(profile);
  }
  const pattern = linkPattern(name);
  const named: { number: number; link: string }[] = [];
  for (const entry of entries) {
    const match = pattern.exec(entry);
    if (match) named.push({ number: Number(match[1]), link: `${dir}/${entry}` });
  }
  named.sort((a, b) => b.number - a.number);
  const links: ProfileLink[] = [];
  let anchored = false;
  for (const { number, link } of named) {
    const before = seen.get(number);
    if (anchored && before) {
      links.push({ number, storePath: before.storePath, link });
      continue;
    }
    const storePath = target(link);
    // A link made by hand to another place is not a generation, and the store cannot be asked
    // about it: one such link must not stop every other generation from being listed.
    if (!storePath || !STORE_PATH.test(storePath)) continue;
    links.push({ number, storePath, link });
    anchored =
      before !== undefined &&
      before.storePath === storePath &&
      before.createdAt !== null &&
      before.createdAt === linkCreatedAt(link);
  }
  links.reverse();
  const currentLink = target(profile);
  if (!currentLink && !links.length) throw profileEmpty(profile);
  const current = currentLink ? pattern.exec(path.basename(currentLink)) : null;
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

/**
 * A profile whose folder is there but holds no generation of it: a scratch profile nothing has
 * switched to yet (`serve --profile`) is no wrong path, and its first switch makes it.
 */
function profileEmpty(profile: string): NixstrapFailure {
  if (profile === SYSTEM_PROFILE) return profileMissing(profile);
  return new NixstrapFailure(
    'PROFILE_NOT_FOUND',
    `The profile ${profile} has no generation yet.`,
    'Its first switch makes one; if you meant another profile, check the path: it is the profile link itself, e.g. /nix/var/nix/profiles/system.',
  );
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
