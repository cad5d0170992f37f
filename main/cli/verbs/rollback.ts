import { stringFlag, usageFailure, type VerbContext } from '../context';
import { call, openApi } from '../engine';

/** `--to` is a generation number as `nix-env --list-generations` prints it: plain decimal digits. */
function generationNumber(ctx: VerbContext): number | undefined {
  const to = stringFlag(ctx, 'to');
  if (to === undefined) return undefined;
  if (!/^[1-9]\d{0,8}$/.test(to)) {
    throw usageFailure(
      `--to must be a generation number such as 41, not ${JSON.stringify(to)}.`,
      'Run `nixstrap generations` to see the numbers.',
    );
  }
  return Number(to);
}

export async function run(ctx: VerbContext): Promise<number> {
  const profile = stringFlag(ctx, 'profile');
  const to = generationNumber(ctx);
  await call(ctx, openApi(ctx), 'generations.rollback', {
    ...(profile ? { profile } : {}),
    ...(to !== undefined ? { to } : {}),
  });
  return 0;
}
