import path from 'node:path';
import { NixstrapFailure } from '../../../common/failure';
import type { RemoveSecretResult } from '../../../common/secrets';
import { commitRepoFiles } from '../repo/apply/commit-files';
import { assertRepoExists } from '../repo/inspect/hosts';
import { type KeyPlaces, localIdentities } from './age-keys';
import { readText, type SecretTarget, targetFile } from './repo-secrets';
import { filesUsingSecret } from './secret-uses';
import { openSops, removeSopsValue, summarizeSops } from './sops-file';

/**
 * Takes one secret out of its file, re-encrypted for the same readers, and commits that. Earlier
 * commits still hold its value, encrypted: only a new value (the password changed at its
 * source) undoes a leak. The .nix files that still name it are told, since sops-nix fails a
 * switch for a secret its file lacks.
 */
export async function removeSecret(
  repo: string,
  target: SecretTarget,
  name: string,
  places: KeyPlaces,
): Promise<RemoveSecretResult> {
  await assertRepoExists(repo);
  const file = await targetFile(repo, target);
  const disk = await readText(path.join(repo, file));
  if (disk === null || !summarizeSops(disk, file).names.includes(name)) {
    throw new NixstrapFailure(
      'SECRET_NOT_FOUND',
      `${file} holds no secret called ${name}, so nothing was removed.`,
      '`nixstrap secrets list` (or Secrets in the app) names the secrets of each file.',
    );
  }
  const opened = await openSops(disk, await localIdentities(places), file);
  const content = await removeSopsValue(opened, name);
  const commit = await commitRepoFiles(
    repo,
    [{ path: file, content }],
    `nixstrap: remove secret ${name} from ${file}\n`,
  );
  return { file, name, commit, stillUsedIn: await filesUsingSecret(repo, name) };
}
