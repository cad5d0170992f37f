import { print, requiredFlag, type VerbContext } from '../context';
import { call, openApi } from '../engine';
import { formatHosts } from '../format';

export async function run(ctx: VerbContext): Promise<number> {
  const hosts = await call(ctx, openApi(ctx), 'hosts.list', { repo: requiredFlag(ctx, 'repo') });
  print(ctx, hosts, () => formatHosts(hosts));
  return 0;
}
