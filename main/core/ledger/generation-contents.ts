import fs from 'node:fs';
import path from 'node:path';
import type { TargetKind } from '../../../common/rebuild';

/** What a generation's store path tells about itself, without running anything from it. */
export interface GenerationContents {
  kind: TargetKind | null;
  /** `nixos-version`, nix-darwin's label, or Home Manager's release. */
  version: string | null;
  kernelVersion: string | null;
  /** The flake revision the configuration was built from (`<rev>` or `<rev>-dirty`). */
  revision: string | null;
}

/** A generation's specialisations: each name and the store path its toplevel resolves to. */
export type Specialisations = Record<string, string>;

/**
 * `specialisation/<name>` of a generation, each resolved: NixOS links it to a toplevel of its own,
 * and `/run/current-system` points there while that specialisation runs. Sorted by name.
 */
export function readSpecialisations(storePath: string): Specialisations {
  let names: string[];
  try {
    names = fs.readdirSync(path.join(storePath, 'specialisation')).sort();
  } catch {
    return {};
  }
  const found: Specialisations = {};
  for (const name of names) {
    try {
      found[name] = fs.realpathSync(path.join(storePath, 'specialisation', name));
    } catch {
      // A dangling entry is no system to run.
    }
  }
  return found;
}

function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8').trim() || null;
  } catch {
    return null;
  }
}

function exists(file: string): boolean {
  return fs.existsSync(file);
}

function readJson(file: string): Record<string, unknown> | null {
  const text = readText(file);
  if (!text) return null;
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** NixOS: `kernel-modules/lib/modules/<version>`, else the version in the kernel's store name. */
function kernelVersion(storePath: string): string | null {
  try {
    const [version] = fs.readdirSync(path.join(storePath, 'kernel-modules/lib/modules'));
    if (version) return version;
  } catch {
    // No modules folder: fall back to the kernel link below.
  }
  try {
    const kernel = fs.readlinkSync(path.join(storePath, 'kernel'));
    return /-linux-(\d[^/]*)\//.exec(kernel)?.[1] ?? null;
  } catch {
    return null;
  }
}

/**
 * NixOS writes the revision into the `nixos-version` script it ships (read as text, never
 * run); a `configuration-revision` file, where a configuration adds one, is read first.
 */
function nixosRevision(storePath: string): string | null {
  const file = readText(path.join(storePath, 'configuration-revision'));
  if (file) return file;
  const script = readText(path.join(storePath, 'sw/bin/nixos-version'));
  return script ? (/"configurationRevision"\s*:\s*"([^"]+)"/.exec(script)?.[1] ?? null) : null;
}

/** The kind is read from what the generation contains, as each tool lays its generations out. */
export function readGenerationContents(storePath: string): GenerationContents {
  if (
    exists(path.join(storePath, 'bin/switch-to-configuration')) ||
    exists(path.join(storePath, 'nixos-version'))
  ) {
    return {
      kind: 'nixos',
      version: readText(path.join(storePath, 'nixos-version')),
      kernelVersion: kernelVersion(storePath),
      revision: nixosRevision(storePath),
    };
  }
  const darwin = readJson(path.join(storePath, 'darwin-version.json'));
  if (
    darwin ||
    (exists(path.join(storePath, 'activate')) && exists(path.join(storePath, 'systemConfig')))
  ) {
    const revision = darwin?.configurationRevision;
    return {
      kind: 'nix-darwin',
      version: typeof darwin?.darwinLabel === 'string' ? darwin.darwinLabel : null,
      kernelVersion: null,
      revision: typeof revision === 'string' && revision ? revision : null,
    };
  }
  if (exists(path.join(storePath, 'activate')) && exists(path.join(storePath, 'home-path'))) {
    return {
      kind: 'home-manager',
      version: readText(path.join(storePath, 'hm-version')),
      kernelVersion: null,
      revision: null,
    };
  }
  return { kind: null, version: null, kernelVersion: null, revision: null };
}

/**
 * The system to activate for a generation: its specialisation's own toplevel when one is named
 * and the generation has it, else the generation itself.
 */
export function activatedPath(
  storePath: string,
  specialisation: string | null | undefined,
): string {
  if (!specialisation) return storePath;
  return readSpecialisations(storePath)[specialisation] ?? storePath;
}

/** `nixos-system-atlas-25.05…` → atlas: the host NixOS names its system after. */
export function hostFromStoreName(storePath: string): string | null {
  return /^[0-9a-z]{32}-nixos-system-(.+?)-\d[^-]*$/.exec(path.basename(storePath))?.[1] ?? null;
}
