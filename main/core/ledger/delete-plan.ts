import { NixstrapFailure } from '../../../common/failure';
import type { DeletePlan } from '../../../common/generations';
import type { Generation } from '../../../common/rebuild';
import { recordedHere } from '../platform/machine-id';
import { activationArgv, deleteGenerationsArgv, readPlatform } from '../rebuild/commands';
import { queryClosures } from '../store';
import type { Ledger } from './database';
import { listGenerations } from './generations';
import { requireGeneration } from './history';
import { type ReconcileOptions, reconcileProfile } from './reconcile';

export interface DeleteRequest extends ReconcileOptions {
  /** The generations to delete by number; or, with `keep`, all but the newest `keep`. */
  numbers?: number[];
  keep?: number;
}

/**
 * The generations a "Keep this configuration?" trial of this profile goes back to when nobody
 * keeps it: deleting one would leave the revert nothing to go back to. Another machine's trial
 * of the same profile path counts in its own profile, not here.
 */
function revertTargets(ledger: Ledger, profile: string): Set<number> {
  const rows = ledger.db
    .prepare('SELECT machine, revert_to AS number FROM keep_trials WHERE profile = ?')
    .all(profile) as { machine: string; number: number }[];
  return new Set(rows.filter((row) => recordedHere(row.machine)).map((row) => row.number));
}

/** Why a generation may not go: it is what boots, runs, was booted, or what a trial reverts to. */
function protectedAs(g: Generation, reverts: Set<number>): string[] {
  return [
    g.current ? 'the current one (the boot default)' : null,
    g.running ? 'the running one' : null,
    g.booted ? 'the booted one' : null,
    reverts.has(g.number) ? 'the one an unanswered "Keep this configuration?" goes back to' : null,
  ].filter((why): why is string => why !== null);
}

/**
 * The other generations never deleted, each named once ("generation 3, the booted one"), since
 * the refusal itself named the one asked for; then where to choose from.
 */
function protectedHint(generations: Generation[], reverts: Set<number>, refused: number): string {
  const others = generations
    .filter((g) => g.present && g.number !== refused && protectedAs(g, reverts).length > 0)
    .map((g) => `generation ${g.number}, ${protectedAs(g, reverts).join(' and ')}`);
  const choose = 'Choose others from the list of generations.';
  return others.length > 0 ? `Never deleted either: ${others.join('; ')}. ${choose}` : choose;
}

/**
 * Bytes that only the deleted generations' closures hold: the store paths no kept generation
 * needs. Other garbage-collector roots may still hold some, so this is what a collection frees
 * at most; null when the store cannot be asked.
 */
async function bytesOnlyIn(gone: Generation[], kept: Generation[]): Promise<number | null> {
  try {
    const closures = await queryClosures([...gone, ...kept].map((g) => g.storePath));
    const keptPaths = new Set(kept.flatMap((g) => closures.paths.get(g.storePath) ?? []));
    const gonePaths = new Set(gone.flatMap((g) => closures.paths.get(g.storePath) ?? []));
    let bytes = 0;
    for (const p of gonePaths) if (!keptPaths.has(p)) bytes += closures.narSize.get(p) ?? 0;
    return bytes;
  } catch {
    return null;
  }
}

function chosen(ledger: Ledger, targetId: number, request: DeleteRequest, all: Generation[]) {
  const reverts = revertTargets(ledger, request.profile);
  if (request.keep !== undefined) {
    const present = all.filter((g) => g.present).sort((a, b) => b.number - a.number);
    return present.slice(request.keep).filter((g) => protectedAs(g, reverts).length === 0);
  }
  const numbers = [...new Set(request.numbers ?? [])];
  const picked = numbers.map((n) => requireGeneration(ledger, targetId, n));
  for (const g of picked) {
    if (!g.present) {
      throw new NixstrapFailure(
        'GENERATION_NOT_FOUND',
        `Generation ${g.number} was deleted from the profile already.`,
        'The list of generations marks the deleted ones; choose present ones.',
      );
    }
    const why = protectedAs(g, reverts);
    if (why.length > 0) {
      throw new NixstrapFailure(
        'GENERATION_PROTECTED',
        `Generation ${g.number} is ${why.join(' and ')}, so it is never deleted.`,
        protectedHint(all, reverts, g.number),
      );
    }
  }
  return picked;
}

/**
 * What deleting generations will do, worked out before anything changes: the profile's
 * current generation, the running one and the booted one are never among them. On NixOS the
 * current generation's `switch-to-configuration boot` follows, so the boot menu lists no
 * generation whose link is gone (its closure could be collected, and its entry not boot).
 */
export async function planDelete(ledger: Ledger, request: DeleteRequest): Promise<DeletePlan> {
  const report = await reconcileProfile(ledger, request);
  const all = listGenerations(ledger, report.targetId);
  const doomed = chosen(ledger, report.targetId, request, all).sort((a, b) => a.number - b.number);
  const current = all.find((g) => g.current) ?? null;
  const kind = current?.kind ?? report.kind ?? null;
  const gone = new Set(doomed.map((g) => g.number));
  const kept = all.filter((g) => g.present && !gone.has(g.number));
  const platform = readPlatform();
  const rebuildsBootMenu = kind === 'nixos' && current !== null && doomed.length > 0;
  const commands = doomed.length
    ? [
        deleteGenerationsArgv(
          kind,
          request.profile,
          doomed.map((g) => g.number),
          platform,
        ),
      ]
    : [];
  if (rebuildsBootMenu && current) {
    commands.push(activationArgv('nixos', current.storePath, 'boot', platform));
  }
  return {
    profile: request.profile,
    kind,
    delete: doomed,
    current,
    rebuildsBootMenu,
    freedBytes: doomed.length ? await bytesOnlyIn(doomed, kept) : 0,
    commands,
  };
}
