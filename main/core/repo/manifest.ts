import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import { RepoLayoutSchema } from '../../../common/plan';
import { readText } from './fs/read';

/**
 * What Nixstrap last wrote, committed with the repo: path → sha256 of the content written.
 * A file whose hash matches was not touched by hand and may be updated; any other difference
 * is the user's work, only overwritten when the user takes Nixstrap's version of that file.
 */
export const MANIFEST_PATH = '.nixstrap/manifest.json';

const ManifestSchema = z.strictObject({
  version: z.literal(1),
  layout: RepoLayoutSchema,
  files: z.record(z.string(), z.string()),
});
export type Manifest = z.infer<typeof ManifestSchema>;

export function sha256(content: string): string {
  return createHash('sha256').update(content, 'utf8').digest('hex');
}

/**
 * The manifest of `repo` and whether a manifest file is there but unreadable. A damaged
 * manifest counts as none: every differing file then shows as a conflict, the safe reading.
 */
export async function readManifestState(
  repo: string,
): Promise<{ manifest: Manifest | null; damaged: boolean }> {
  const text = await readText(join(repo, MANIFEST_PATH));
  if (text === null) return { manifest: null, damaged: false };
  try {
    const parsed = ManifestSchema.safeParse(JSON.parse(text));
    return parsed.success
      ? { manifest: parsed.data, damaged: false }
      : { manifest: null, damaged: true };
  } catch {
    return { manifest: null, damaged: true };
  }
}

/** The manifest of `repo`, or null when there is none or it is damaged. */
export async function readManifest(repo: string): Promise<Manifest | null> {
  return (await readManifestState(repo)).manifest;
}

/** Stable text (sorted paths, trailing newline) so the manifest diffs well in git. */
export function manifestText(manifest: Manifest): string {
  const files = Object.fromEntries(
    Object.entries(manifest.files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
  return `${JSON.stringify({ ...manifest, files }, null, 2)}\n`;
}
