import type { Journey, PlannedFile, RepoLayout, Resolution } from '../../../../common/plan';
import { MANIFEST_PATH, type Manifest, manifestText, sha256 } from '../manifest';
import { classify } from './classify';
import { readCommitted } from './committed';

/**
 * The manifest an apply leaves: the previous one, plus every file of Nixstrap's that the
 * apply leaves as Nixstrap wrote it. A file in conflict stays out unless the user took
 * Nixstrap's version, so it is still known as theirs.
 */
export function manifestAfter(
  layout: RepoLayout,
  previous: Manifest | null,
  files: readonly PlannedFile[],
  resolutions: Readonly<Record<string, Resolution>> = {},
): string {
  const manifest: Manifest = {
    version: 1,
    layout: layout === 'empty' ? 'nixstrap' : layout,
    files: { ...(previous?.files ?? {}) },
  };
  for (const f of files) {
    if (f.path === MANIFEST_PATH || f.managed === false) continue;
    if (f.action === 'conflict' && resolutions[f.path] !== 'take') continue;
    manifest.files[f.path] = sha256(f.content);
  }
  return manifestText(manifest);
}

/** The manifest as one more file of the plan, so the plan shows everything the commit holds. */
export async function plannedManifest(
  journey: Journey,
  repo: string,
  layout: RepoLayout,
  previous: Manifest | null,
  files: readonly PlannedFile[],
): Promise<PlannedFile> {
  const committed = await readCommitted(journey, repo, [MANIFEST_PATH]);
  return classify(
    repo,
    previous,
    {
      path: MANIFEST_PATH,
      content: manifestAfter(layout, previous, files),
      managed: true,
      reason:
        "Nixstrap's record of the files it wrote, so a later plan can tell your edits from its own.",
    },
    committed,
  );
}
