import { join, posix } from 'node:path';
import { NixstrapFailure } from '../../../../common/result';
import { planSecrets } from '../../secrets';
import { readText } from '../fs/read';
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
  const { candidates, warnings, steps } = await planSecrets({
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
    steps: [...plan.steps, ...steps],
  };
}

/**
 * With secrets off, a host's encrypted file already in the repo (secrets were on before) is
 * kept with its values, but the host's new configuration no longer reads it: say so, or the
 * owner's secrets stop reaching the machine unnoticed.
 */
export async function secretsLeftUnread(plan: PlanDraft): Promise<string[]> {
  const file = posix.join(plan.hostDir, 'secrets.yaml');
  if ((await readText(join(plan.repo, file))) === null) return [];
  return [
    `${file} stays as it is, with its values, but with secrets off host ${plan.hostName} no longer reads it: turn secrets on again to use them.`,
  ];
}
