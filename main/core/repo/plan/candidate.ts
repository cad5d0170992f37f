import type { Plan } from '../../../../common/plan';

/** A file the plan proposes, before it is compared with the disk. */
export type Candidate = {
  path: string;
  content: string;
  /** True when Nixstrap owns the whole file (recorded in the manifest); false for an edit of the user's file. */
  managed: boolean;
  reason: string;
};

/** What a journey plans, before the parts that need the whole picture (notices, the next command). */
export type PlanDraft = Omit<Plan, 'id' | 'nextCommand'>;
