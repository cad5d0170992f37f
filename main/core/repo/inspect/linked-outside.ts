import { readlink, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import type { Host } from '../../../../common/plan';

/**
 * The first folder on the way to `path` that is a link leading out of the repo, with where it
 * leads; null when the path stays inside (or is not there). Nix copies the repo and does not
 * follow such a link out of the copy: what lies beyond is as good as missing.
 */
export async function linkedOutside(
  repo: string,
  root: string,
  path: string,
): Promise<{ link: string; target: string } | null> {
  const steps = path.split('/');
  for (let i = 1; i <= steps.length; i++) {
    const link = steps.slice(0, i).join('/');
    const resolved = await realpath(join(repo, link)).catch(() => null);
    if (resolved === null) return null;
    if (resolved === root || resolved.startsWith(`${root}/`)) continue;
    return { link, target: await readlink(join(repo, link)).catch(() => resolved) };
  }
  return null;
}

/** A host whose folder lies beyond a link out of the repo: listed by its flake, built by no Nix. */
export interface HostBeyondLink {
  host: string;
  link: string;
  target: string;
}

/** The repo's hosts that lie beyond a link out of it, each with the link that leads away. */
export async function hostsBeyondLinks(repo: string, hosts: Host[]): Promise<HostBeyondLink[]> {
  const root = await realpath(repo);
  const beyond: HostBeyondLink[] = [];
  for (const host of hosts) {
    if (host.path === '.') continue;
    const out = await linkedOutside(repo, root, host.path);
    if (out) beyond.push({ host: host.name, ...out });
  }
  return beyond;
}
