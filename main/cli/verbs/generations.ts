import { stringFlag, type VerbContext } from '../context';
import { call, openApi } from '../engine';

export async function run(ctx: VerbContext): Promise<number> {
  const profile = stringFlag(ctx, 'profile');
  await call(ctx, openApi(ctx), 'generations.list', profile ? { profile } : {});
  return 0;
}
