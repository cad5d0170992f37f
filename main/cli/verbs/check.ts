import { nixUnusable } from '../../core/nix';
import { print, requiredFlag, stringFlag, type VerbContext } from '../context';
import { call, openApi } from '../engine';
import { formatCheck } from '../format';

/** Exits 1 when the check finds problems, so scripts and CI can gate on it. */
export async function run(ctx: VerbContext): Promise<number> {
  const host = stringFlag(ctx, 'host');
  const report = await call(ctx, openApi(ctx), 'repo.check', {
    repo: requiredFlag(ctx, 'repo'),
    ...(host ? { host } : {}),
  });
  const unusable = report.nixAvailable ? null : nixUnusable();
  if (unusable) throw unusable;
  print(ctx, report, () => formatCheck(report));
  return report.findings.length ? 1 : 0;
}
