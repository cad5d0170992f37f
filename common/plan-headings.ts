// Kept apart from plan.ts, whose schemas need zod: the CLI's formatting reads these, and `help`
// loads no dependency at all (test/integration/cli-loading).

/** The headings of a plan's `steps` and `warnings`, one wording for the CLI and the UI. */
export const PLAN_STEPS_HEADING = 'Before the first rebuild';
export const PLAN_WARNINGS_HEADING = 'Good to know';
