import { REBUILD_ACTIONS } from '../../../common/rebuild';
import { choiceFlag, requiredFlag, type VerbContext } from '../context';
import { call, openApi } from '../engine';

export async function run(ctx: VerbContext): Promise<number> {
  const action = choiceFlag(ctx, 'action', REBUILD_ACTIONS);
  await call(ctx, openApi(ctx), 'rebuild.start', {
    repo: requiredFlag(ctx, 'repo'),
    host: requiredFlag(ctx, 'host'),
    ...(action ? { action } : {}),
  });
  return 0;
}
