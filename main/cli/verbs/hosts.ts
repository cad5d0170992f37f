import path from 'node:path';
import type { Host } from '../../../common';
import { hostNameProblem } from '../../../common/host-name';
import { type HostBeyondLink, hostsBeyondLinks, unfinishedWrite } from '../../core/repo';
import { print, requiredFlag, type VerbContext } from '../context';
import { call, openApi } from '../engine';
import { formatHosts } from '../format';
import { terminalText } from '../terminal-text';

/** One sentence per link out of the repo, naming the hosts that lie beyond it. */
function beyondSentences(beyond: HostBeyondLink[]): string[] {
  const byLink = new Map<string, HostBeyondLink[]>();
  for (const b of beyond) byLink.set(b.link, [...(byLink.get(b.link) ?? []), b]);
  return [...byLink.values()].map((hosts) => {
    const { link, target } = hosts[0]!;
    const one = hosts.length === 1;
    const names = hosts.map((h) => h.host).join(', ');
    return `${one ? 'Host' : 'Hosts'} ${names} ${one ? 'lies' : 'lie'} beyond ${link}, a link to ${target} outside the repo: Nix builds from a copy of the repo, where that link leads nowhere, so ${one ? 'it does' : 'they do'} not build. Move the folder itself into the repo.`;
  });
}

/** One sentence per host whose name no flake address carries: Nix would say only "not a valid URL". */
function unbuildableSentences(hosts: readonly Host[]): string[] {
  return hosts.flatMap((host) => {
    const problem = hostNameProblem(host.name);
    return problem === null
      ? []
      : [
          `Host ${JSON.stringify(host.name)} cannot be built: a host name ${problem}. Rename its folder (and its networking.hostName) to such a name.`,
        ];
  });
}

export async function run(ctx: VerbContext): Promise<number> {
  const repo = requiredFlag(ctx, 'repo');
  const hosts = await call(ctx, openApi(ctx), 'hosts.list', { repo });
  print(ctx, hosts, () => formatHosts(hosts));
  // Listed, since the flake names them, but told on stderr: no Nix can build them as they lie.
  const beyond = beyondSentences(await hostsBeyondLinks(path.resolve(repo), hosts));
  for (const sentence of [...unbuildableSentences(hosts), ...beyond]) {
    ctx.io.err(`nixstrap: ${terminalText(sentence)}`);
  }
  // The hosts may be read from half a cut write: told on stderr, so --json stays a list.
  const unfinished = await unfinishedWrite(path.resolve(repo));
  if (unfinished) ctx.io.err(`nixstrap: ${terminalText(unfinished.message)}`);
  return 0;
}
