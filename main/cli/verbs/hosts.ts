import path from 'node:path';
import { unfinishedWrite } from '../../core/repo';
import { print, requiredFlag, type VerbContext } from '../context';
import { call, openApi } from '../engine';
import { formatHosts } from '../format';
import { terminalText } from '../terminal-text';

export async function run(ctx: VerbContext): Promise<number> {
  const repo = requiredFlag(ctx, 'repo');
  const hosts = await call(ctx, openApi(ctx), 'hosts.list', { repo });
  print(ctx, hosts, () => formatHosts(hosts));
  // The hosts may be read from half a cut write: told on stderr, so --json stays a list.
  const unfinished = await unfinishedWrite(path.resolve(repo));
  if (unfinished) ctx.io.err(`nixstrap: ${terminalText(unfinished.message)}`);
  return 0;
}
