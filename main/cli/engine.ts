import path from 'node:path';
import type { Channel, ChannelRequest, ChannelValue } from '../../common/api';
import { NixstrapFailure } from '../../common/failure';
import { type Api, type ApiContext, createApi } from '../api';
import { resolveDataDir } from '../core/platform';
import { stringFlag, usageFailure, type VerbContext } from './context';

/** The API as a verb sees it: data dir, fixture and profile come from the verb's own flags. */
export function openApi(
  ctx: VerbContext,
  shell: 'cli' | 'browser' = 'cli',
  extra: Pick<ApiContext, 'keepSeconds'> = {},
): Api {
  const fixture = stringFlag(ctx, 'fixture');
  const profile = stringFlag(ctx, 'profile');
  return createApi({
    shell,
    dataDir: resolveDataDir(stringFlag(ctx, 'data-dir')),
    ...(fixture ? { fixture } : {}),
    // A path typed on the command line means what the shell meant, even in browser mode.
    ...(profile ? { profile: path.resolve(profile) } : {}),
    ...extra,
  });
}

/**
 * One call through the contract, typed by its channel. A refused request here was built from
 * flags, so it is the user's usage error, told with the verb's usage instead of the contract.
 */
export async function call<C extends Channel>(
  ctx: VerbContext,
  api: Api,
  channel: C,
  request: ChannelRequest<C>,
): Promise<ChannelValue<C>> {
  const result = await api.invoke(channel, request);
  if (result.ok) return result.value;
  const { code, message, hint } = result.error;
  if (code === 'INVALID_REQUEST') {
    const detail = message.replace(/^The request for \S+ is invalid: /, '').replace(/\.$/, '');
    throw usageFailure(
      `\`nixstrap ${ctx.verb}\` cannot use these flags (${detail}).`,
      `Usage: ${ctx.spec.usage}`,
    );
  }
  throw new NixstrapFailure(code, message, hint);
}
