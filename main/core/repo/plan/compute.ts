import { join, resolve } from 'node:path';
import type { Answers } from '../../../../common/answers';
import type { Facts } from '../../../../common/facts';
import type { Plan } from '../../../../common/plan';
import { NixstrapFailure } from '../../../../common/result';
import { hostNotices } from '../../generate';
import { planAddHost } from '../add-host/plan-add-host';
import { readText } from '../fs/read';
import { planInit } from '../init/plan-init';
import { MANIFEST_PATH, readManifestState } from '../manifest';
import { nextCommand } from './next-command';
import { render } from './render';

export type PlanRequest = {
  journey: 'init' | 'add-host';
  repo: string;
  facts: Facts;
  answers: Answers;
};

/** Kernel file systems: nothing can be written there, so say so before planning anything. */
const VIRTUAL_ROOTS = ['/proc', '/sys', '/dev'];

function assertOrdinaryFolder(repo: string): void {
  const root = VIRTUAL_ROOTS.find((v) => repo === v || repo.startsWith(`${v}/`));
  if (root) {
    throw new NixstrapFailure(
      'WRITE_FAILED',
      `${repo} is inside ${root}, a kernel file system, not a place for a repo.`,
      'Choose a folder in your home directory, such as ~/nixos-config.',
    );
  }
}

/**
 * What `init` or `add-host` would write, file by file, with diffs against the disk. Writes
 * nothing; `applyPlan` does.
 */
export async function computePlan(req: PlanRequest): Promise<Plan> {
  const repo = resolve(req.repo);
  assertOrdinaryFolder(repo);
  const plan =
    req.journey === 'init'
      ? await planInit(repo, render(req.facts, req.answers))
      : await planAddHost(repo, req.facts, req.answers);
  const { damaged } = await readManifestState(repo);
  const manifestWarning = damaged
    ? [
        `${MANIFEST_PATH} is damaged, so Nixstrap cannot tell its own files from your edits: every file that differs is shown as a conflict.`,
      ]
    : [];
  const hasFlake =
    plan.files.some((f) => f.path === 'flake.nix') ||
    (await readText(join(repo, 'flake.nix'))) !== null;
  return {
    ...plan,
    warnings: [
      ...manifestWarning,
      ...plan.warnings,
      ...hostNotices(req.facts, req.answers, plan.hostDir),
    ],
    nextCommand: nextCommand(plan, req.facts, hasFlake),
  };
}
