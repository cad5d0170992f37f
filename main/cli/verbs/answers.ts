import { NixstrapFailure } from '../../../common/failure';
import { newestAnswers } from '../../core/generate';
import { openLedger, recordedAnswers } from '../../core/ledger';
import { expandUserPath, resolveDataDir } from '../../core/platform';
import { print, requiredFlag, stringFlag, type VerbContext } from '../context';

/**
 * `nixstrap answers --repo DIR --host NAME [--commit SHA]`: the answers the host was last
 * written with (or written with in that commit), as an answers file for `--answers`; its
 * password hash is null, the ledger keeps none.
 */
export async function run(ctx: VerbContext): Promise<number> {
  const repo = expandUserPath(requiredFlag(ctx, 'repo'));
  const host = requiredFlag(ctx, 'host');
  const commit = stringFlag(ctx, 'commit') ?? null;
  const ledger = openLedger(resolveDataDir(stringFlag(ctx, 'data-dir')));
  let newest: ReturnType<typeof newestAnswers>;
  try {
    newest = newestAnswers(recordedAnswers(ledger, repo, host, commit), host);
  } finally {
    ledger.close();
  }
  if (newest === null) {
    throw new NixstrapFailure(
      'ANSWERS_NOT_RECORDED',
      `Nixstrap has no answers recorded for host ${host} in ${repo}${commit ? ` at commit ${commit}` : ''}.`,
      'They are recorded when a host is written (init, add-host, or Write and commit in the app) with this data folder (--data-dir).',
    );
  }
  const recorded = newest;
  print(ctx, recorded, () => JSON.stringify(recorded.answers, null, 2));
  return 0;
}
