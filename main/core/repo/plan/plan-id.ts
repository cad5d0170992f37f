import type { Plan, PlannedFile } from '../../../../common/plan';
import { sha256 } from '../manifest';

/**
 * What the user reviewed of one file: its action, its content (for an encrypted file, what
 * the plan shows of it, since each encryption is new ciphertext) and the disk it was made on.
 */
export function fileFingerprint(f: PlannedFile): string {
  const shown = f.encrypted ? JSON.stringify(f.encrypted) : sha256(f.content);
  return JSON.stringify([
    f.path,
    f.action,
    shown,
    f.diskSha256 ?? null,
    f.committed ?? false,
    f.managed ?? true,
  ]);
}

/**
 * The id of a plan: a hash over what it would do and the disk it was made against (each
 * file's fingerprint), so the same plan made again on an unchanged repo has the same id and
 * any change gives another.
 */
export function planId(plan: Omit<Plan, 'id' | 'warnings' | 'steps' | 'nextCommand'>): string {
  const files = plan.files.map(fileFingerprint);
  const what = [plan.journey, plan.repo, plan.hostName, plan.hostDir, plan.layout, files];
  return sha256(JSON.stringify(what)).slice(0, 32);
}
