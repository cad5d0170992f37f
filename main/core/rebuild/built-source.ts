import fs from 'node:fs';
import path from 'node:path';
import { shellCommand } from '../../../common/shell-word';
import type { BuiltSource } from '../ledger/runs';
import { uncommitted, uncommittedBeside, workTreeState } from '../repo';

const LOCK_FILE = 'flake.lock';

/** The repo's flake.lock as it is now, byte for byte; null when there is none. */
export function lockText(repo: string): string | null {
  try {
    return fs.readFileSync(path.join(repo, LOCK_FILE), 'utf8');
  } catch {
    return null;
  }
}

/**
 * What a build was made from, read once Nix has run: Nix writes flake.lock when it has none or an
 * input is new, and builds with it, so a commit that was clean before the build no longer holds
 * what was built. `before` is the commit and the lock as they were when the run started. Null
 * when the repo moved to another commit meanwhile: what Nix copied is then not known better than
 * it was at the start, whose record stands.
 */
export async function builtSource(
  repo: string,
  before: { commit: string | null; lock: string | null },
): Promise<BuiltSource | null> {
  const state = await workTreeState(repo);
  if (state.commit !== before.commit) return null;
  const lockAfter = lockText(repo);
  const lockWritten =
    state.commit === null
      ? null
      : lockAfter !== null && lockAfter !== before.lock && (await uncommitted(repo, LOCK_FILE));
  // Told apart for commit-lock: committing the lock leaves the build clean only if nothing else differed.
  const dirtyBesideLock = lockWritten ? await uncommittedBeside(repo, LOCK_FILE) : null;
  return { ...state, lockWritten, dirtyBesideLock };
}

/** The sentence a run ends with when its build wrote a lock the commit lacks. */
export function lockWrittenNotice(repo: string, runId: string): string {
  const verb = shellCommand(['nixstrap', 'commit-lock', runId]);
  const command = shellCommand(['git', '-C', repo, 'commit', '-m', 'Lock flake inputs', LOCK_FILE]);
  return `This build wrote ${LOCK_FILE}, which is not committed, so the generation is recorded as built from uncommitted changes: \`${verb}\` commits it and records the generation as built from that commit (\`${command}\` commits it too, but the ledger keeps the old commit), and the next rebuild of that commit builds the same.`;
}
