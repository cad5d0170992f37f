import { NixstrapFailure } from '../../../common/failure';
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
  if (!report.nixAvailable) {
    throw new NixstrapFailure(
      'NIX_NOT_INSTALLED',
      'Nix is not installed here, so the .nix files cannot be parsed.',
      'Install Nix (https://nixos.org/download) and run the check again.',
    );
  }
  print(ctx, report, () => formatCheck(report));
  return report.findings.length ? 1 : 0;
}
