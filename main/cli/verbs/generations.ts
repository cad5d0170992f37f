import { listGenerations, listGenerationsJson } from '../../core/ledger/generations';
import { requireGeneration } from '../../core/ledger/history';
import { reconcileProfile } from '../../core/ledger/reconcile';
import { expandUserPath } from '../../core/platform/data-dir';
import { stringFlag, usageFailure, type VerbContext } from '../context';
import { formatGeneration, formatGenerations } from '../format-generations';
import { generationNumber, profileOptions, withLedger } from '../profile';
import { terminalText } from '../terminal-text';

/**
 * `nixstrap generations`: reconcile, then list. It loads the ledger and the profile reader
 * only (no schemas, no git, no pty), and `--json` comes straight from SQLite, one generation
 * a line, so it answers about as fast as `nix-env --list-generations`. `generations N` shows
 * one generation, and only it loads git, to say whether the commit is still in the repo.
 */
export async function run(ctx: VerbContext): Promise<number> {
  const [word] = ctx.words;
  const repo = stringFlag(ctx, 'repo');
  if (word === undefined && repo !== undefined) {
    throw usageFailure(
      '--repo is for one generation: it names the repo to look its commit up in.',
      `Usage: ${ctx.spec.usage}`,
    );
  }
  const number = word === undefined ? undefined : generationNumber(word, 'N');
  const output = await withLedger(ctx, async (ledger) => {
    const { targetId } = await reconcileProfile(ledger, profileOptions(ctx));
    if (number === undefined) {
      return ctx.flags.json
        ? listGenerationsJson(ledger, targetId)
        : formatGenerations(listGenerations(ledger, targetId));
    }
    const generation = requireGeneration(ledger, targetId, number);
    const { checkCommit } = await import('../../core/ledger/commit-check');
    const commitCheck = await checkCommit(generation, repo ? expandUserPath(repo) : null);
    // The repo's path, from the ledger or the command line, is shown safe for the terminal.
    if (ctx.flags.json) return JSON.stringify({ ...generation, commitCheck }, null, 2);
    const shown = formatGeneration(generation, listGenerations(ledger, targetId), commitCheck);
    // As rollback's refusal does: the repo was moved, and --repo with its new folder finds it.
    const movedHint = commitCheck.repoFolderGone
      ? `\nIf the repo was moved, pass --repo with the folder it was moved to: nixstrap generations ${generation.number} --repo DIR.`
      : '';
    return terminalText(`${shown}${movedHint}`);
  });
  ctx.io.out(output);
  return 0;
}
