import { NixstrapFailure } from '../../../../common/result';
import { planSecrets } from '../../secrets';
import { readManifest } from '../manifest';
import type { PlanDraft } from './candidate';
import { classifyAll } from './classify';
import type { PlanRequest } from './compute';

/** The plan with the host's secrets: `.sops.yaml`, its encrypted file, shared files re-keyed. */
export async function withSecrets(plan: PlanDraft, req: PlanRequest): Promise<PlanDraft> {
  if (!req.secrets) {
    throw new NixstrapFailure(
      'INTERNAL',
      'Secrets are on in the answers, but the plan was asked for without a place for age keys.',
      'This is a bug in Nixstrap; please report it.',
    );
  }
  const { candidates, warnings } = await planSecrets({
    repo: plan.repo,
    hostDir: plan.hostDir,
    hostName: plan.hostName,
    facts: req.facts,
    answers: req.answers,
    ownLayout: plan.layout === 'nixstrap' || plan.layout === 'empty',
    setup: req.secrets,
  });
  const summaries = new Map(candidates.map((c) => [c.path, c.encrypted]));
  const classified = await classifyAll(
    plan.journey,
    plan.repo,
    await readManifest(plan.repo),
    candidates,
  );
  const files = classified.map((file) => {
    const encrypted = summaries.get(file.path);
    return encrypted ? { ...file, diff: '', encrypted } : file;
  });
  return {
    ...plan,
    files: [...plan.files, ...files].sort((a, b) =>
      a.path < b.path ? -1 : a.path > b.path ? 1 : 0,
    ),
    warnings: [...plan.warnings, ...warnings],
  };
}
