import type { Journey } from '../../../../common/plan';
import { listDir } from '../fs/read';
import { readManifest } from '../manifest';

/**
 * Which journey a repo folder implies for a host, for `nixstrap plan` without a journey flag:
 * `init` for a new or empty folder and for a Nixstrap repo made for this host alone (planning
 * it again shows what changed), `add-host` for any other existing repo.
 */
export async function journeyFor(repo: string, hostName: string): Promise<Journey> {
  if ((await listDir(repo)).length === 0) return 'init';
  const manifest = await readManifest(repo);
  const hosts = new Set(
    Object.keys(manifest?.files ?? {})
      .map((path) => path.match(/^hosts\/(?:nixos|darwin)\/([^/]+)\//)?.[1])
      .filter((name): name is string => name !== undefined),
  );
  return hosts.size === 1 && hosts.has(hostName) ? 'init' : 'add-host';
}
