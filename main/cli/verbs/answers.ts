import { NixstrapFailure } from '../../../common/failure';
import { shellCommand, shellWord } from '../../../common/shell-word';
import { hostNameProblem } from '../../core/generate';
import {
  type MovedAsideLedger,
  movedAsideLedgers,
  openLedger,
  type RecordedAnswers,
  recordedAnswers,
} from '../../core/ledger';
import { newestAnswers } from '../../core/ledger/previous-answers';
import { expandUserPath, resolveDataDir } from '../../core/platform';
import { print, requiredFlag, stringFlag, usageFailure, type VerbContext } from '../context';
import { utcMinute } from '../utc-minute';

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
 * No answers for the host: when a damaged ledger was moved aside (this start or an earlier
 * one), those written before are in it, not gone, and the sentence says where.
 */
function notRecorded(
  repo: string,
  host: string,
  commit: string | null,
  aside: readonly MovedAsideLedger[],
): NixstrapFailure {
  const what = `Nixstrap has no answers recorded for host ${host} in ${repo}${commit ? ` at commit ${commit}` : ''}`;
  const [newest] = aside;
  if (newest === undefined) {
    return new NixstrapFailure(
      'ANSWERS_NOT_RECORDED',
      `${what}.`,
      'They are recorded when a host is written (init, add-host, or Write and commit in the app) with this data folder (--data-dir).',
    );
  }
  const more = aside.length - 1;
  const older = more
    ? ` (${more} older damaged ${more === 1 ? 'ledger is' : 'ledgers are'} beside it)`
    : '';
  // Host and commit are checked to be a host name and hex digits: safe inside SQL quotes, and
  // the query has nothing a shell reads inside double quotes.
  const query = `SELECT w.written_at, a.answers_json FROM writes w JOIN answers_snapshots a ON a.id = w.answers_id WHERE w.host = '${host}'${commit ? ` AND w.commit_id LIKE '${commit.toLowerCase()}%'` : ''} ORDER BY w.written_at DESC LIMIT 1`;
  return new NixstrapFailure(
    'ANSWERS_NOT_RECORDED',
    `${what} since ${utcMinute(newest.movedAt)}: the ledger was found damaged then, and answers written before were in the ledger moved aside to ${newest.file}${older}.`,
    `Read them from that file with \`sqlite3 ${shellWord(newest.file)} "${query}"\` (if it is too damaged for that, \`${shellCommand(['sqlite3', newest.file, '.recover'])}\` saves what it can), or use the answers file the host was written with (--answers of init or add-host).`,
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
    throw notRecorded(repo, host, commit, movedAsideLedgers(ledger.file));
  }
  const found = newest;
  print(ctx, found, () => JSON.stringify(found.answers, null, 2));
  return 0;
}
