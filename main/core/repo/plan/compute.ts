import { join, resolve } from 'node:path';
import type { Answers } from '../../../../common/answers';
import { detachedHeadNotice } from '../../../../common/detached-head';
import type { Facts } from '../../../../common/facts';
import type { Journey, Plan } from '../../../../common/plan';
import { writeWaitsFor } from '../../../../common/plan-waits';
import { hostNotices } from '../../generate';
import type { SecretsSetup } from '../../secrets';
import { planAddHost } from '../add-host/plan-add-host';
import { withRepoLock } from '../apply/lock';
import { settleInterruptedApply } from '../apply/settle';
import { readText } from '../fs/read';
import { commitTarget } from '../git/target';
import { planInit } from '../init/plan-init';
import { assertPathText, assertUsableFolder } from '../inspect/repo-path';
import { MANIFEST_PATH, readManifestState } from '../manifest';
import { flakeAddressNotice } from './address-notice';
import { plannedManifest } from './manifest-file';
import { nextCommand } from './next-command';
import { planId } from './plan-id';
import { render } from './render';
import { secretsLeftUnread, withSecrets } from './secrets';

export type PlanRequest = {
  journey: Journey;
  repo: string;
  facts: Facts;
  answers: Answers;
  /** Where the owner's and hosts' age keys live; needed when the answers turn secrets on. */
  secrets?: SecretsSetup;
};

/**
 * The plan for a repo folder whose interrupted write (if any) is settled; the caller holds the
 * repo's lock. `settled` is the sentence saying what settling did, shown first.
 */
export async function makePlan(req: PlanRequest, settled: string | null): Promise<Plan> {
  const repo = resolve(req.repo);
  await assertUsableFolder(repo);
  // Read before the files: a commit landing while they are read then shows as landed since the
  // base, and a refusal names it, instead of blaming the answers for what it changed.
  const target = await commitTarget(req.journey, repo);
  const baseCommit = target.head.oid;
  const drafted =
    req.journey === 'init'
      ? await planInit(repo, render(req.facts, req.answers))
      : await planAddHost(repo, req.facts, req.answers, req.secrets?.dataDir ?? null);
  const draft = req.answers.secrets
    ? await withSecrets(drafted, req)
    : { ...drafted, warnings: [...drafted.warnings, ...(await secretsLeftUnread(drafted))] };
  const { manifest, damaged } = await readManifestState(repo);
  const manifestFile = await plannedManifest(
    req.journey,
    repo,
    draft.layout,
    manifest,
    draft.files,
  );
  const files = [...draft.files, manifestFile].sort((a, b) =>
    a.path < b.path ? -1 : a.path > b.path ? 1 : 0,
  );
  const plan = { ...draft, files };
  // A commit on a detached HEAD is easy to lose: the next checkout leaves it reachable from nothing.
  const detachedWarning =
    target.repo !== null && target.head.ref === null && baseCommit
      ? [detachedHeadNotice(repo, baseCommit)]
      : [];
  const waits = writeWaitsFor(repo, files);
  const manifestWarning = damaged
    ? [
        `${MANIFEST_PATH} is damaged, so Nixstrap cannot tell its own files from your edits: every file that differs is shown as a conflict.`,
      ]
    : [];
  const address = flakeAddressNotice(repo);
  const host = hostNotices(req.facts, req.answers, plan.hostDir, repo);
  const hasFlake =
    plan.files.some((f) => f.path === 'flake.nix') ||
    (await readText(join(repo, 'flake.nix'))) !== null;
  return {
    id: planId(plan),
    ...plan,
    baseCommit,
    warnings: [
      ...(settled ? [settled] : []),
      ...detachedWarning,
      ...(address && 'warning' in address ? [address.warning] : []),
      ...(waits ? [waits] : []),
      ...manifestWarning,
      ...plan.warnings,
      ...host.warnings,
    ],
    steps: [...(address && 'step' in address ? [address.step] : []), ...plan.steps, ...host.steps],
    nextCommand: nextCommand(plan, req.facts, hasFlake),
  };
}

/**
 * What `init` or `add-host` would write, file by file, with diffs against the disk and the
 * last commit. Writes nothing of its own; an earlier write that was interrupted is settled
 * first, so the plan starts from a whole repo.
 */
export async function computePlan(req: PlanRequest): Promise<Plan> {
  const repo = resolve(req.repo);
  assertPathText(req.repo);
  await assertUsableFolder(repo);
  return withRepoLock(repo, async () => makePlan(req, await settleInterruptedApply(repo)));
}
