import { NixstrapFailure } from '../../../common/failure';
import { shellCommand } from '../../../common/shell-word';
import { hostNameProblem, newestAnswers } from '../../core/generate';
import { openLedger, type RecordedAnswers, recordedAnswers } from '../../core/ledger';
import { expandUserPath, resolveDataDir } from '../../core/platform';
import { print, requiredFlag, stringFlag, usageFailure, type VerbContext } from '../context';

/** `--commit` as git names a commit: all 40 hex digits, or the first few (at least 4). */
function commitFlag(ctx: VerbContext): string | null {
  const commit = stringFlag(ctx, 'commit');
  if (commit === undefined) return null;
  if (!/^[0-9a-f]{4,40}$/i.test(commit)) {
    throw usageFailure(
      `--commit must be a commit id (4 to 40 hex digits), not ${JSON.stringify(commit)}.`,
      'Give the commit `plan` or `add-host` named, or its first digits as `git log --oneline` shows them.',
    );
  }
  return commit;
}

/** An abbreviated `--commit` that names writes of several commits picks none of them. */
function assertOneCommit(ctx: VerbContext, commit: string, recorded: readonly RecordedAnswers[]) {
  const commits = [...new Set(recorded.map((row) => row.commit))].sort();
  if (commits.length <= 1) return;
  throw usageFailure(
    `--commit ${commit} is the start of ${commits.length} commits with recorded answers: ${commits.map((c) => c?.slice(0, 12)).join(', ')}.`,
    `Give more of the commit id. Usage: ${ctx.spec.usage}`,
  );
}

/**
 * `nixstrap answers --repo DIR --host NAME [--commit SHA]`: the answers the host was last
 * written with (or written with in that commit), as an answers file for `--answers`; its
 * password hash is null, the ledger keeps none.
 */
export async function run(ctx: VerbContext): Promise<number> {
  const repo = expandUserPath(requiredFlag(ctx, 'repo'));
  const host = requiredFlag(ctx, 'host');
  // Answers are recorded only for host names they validate with: any other has none to find.
  const problem = hostNameProblem(host);
  if (problem !== null) {
    throw usageFailure(
      `--host ${JSON.stringify(host)} is no host name Nixstrap writes: a host name ${problem}.`,
      `Run \`${shellCommand(['nixstrap', 'hosts', '--repo', repo])}\` for the names of the repo’s hosts.`,
    );
  }
  const commit = commitFlag(ctx);
  const ledger = openLedger(resolveDataDir(stringFlag(ctx, 'data-dir')));
  let recorded: RecordedAnswers[];
  try {
    recorded = recordedAnswers(ledger, repo, host, commit);
  } finally {
    ledger.close();
  }
  if (commit !== null) assertOneCommit(ctx, commit, recorded);
  const newest = newestAnswers(recorded, host);
  if (newest === null) {
    throw new NixstrapFailure(
      'ANSWERS_NOT_RECORDED',
      `Nixstrap has no answers recorded for host ${host} in ${repo}${commit ? ` at commit ${commit}` : ''}.`,
      'They are recorded when a host is written (init, add-host, or Write and commit in the app) with this data folder (--data-dir).',
    );
  }
  const found = newest;
  print(ctx, found, () => JSON.stringify(found.answers, null, 2));
  return 0;
}
