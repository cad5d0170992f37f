import { z } from 'zod';
import { ErrorCodeSchema } from './errors';
import type { BusyRun, HeldElsewhere, NixstrapError, PreviousChoices } from './failure';
import { REBUILD_ACTIONS } from './rebuild-actions';

export type { BusyRun, HeldElsewhere, NixstrapError, PreviousChoices, Result } from './failure';
export { fail, NixstrapFailure, ok } from './failure';

export const PreviousChoicesSchema: z.ZodType<PreviousChoices> = z.strictObject({
  running: z.number().int(),
  bootDefault: z.number().int(),
  beforeRunning: z.number().int().nullable(),
  beforeBootDefault: z.number().int().nullable(),
});

export const BusyRunSchema: z.ZodType<BusyRun> = z.strictObject({
  runId: z.string(),
  action: z.enum(REBUILD_ACTIONS),
  repo: z.string(),
  host: z.string(),
  startedAt: z.string(),
});

export const HeldElsewhereSchema: z.ZodType<HeldElsewhere> = z.strictObject({
  runId: z.string(),
  pid: z.number().int(),
});

export const NixstrapErrorSchema: z.ZodType<NixstrapError> = z.strictObject({
  code: ErrorCodeSchema,
  message: z.string(),
  hint: z.string(),
  previousChoices: PreviousChoicesSchema.optional(),
  busyRun: BusyRunSchema.optional(),
  heldElsewhere: HeldElsewhereSchema.optional(),
});

export function resultSchema<T extends z.ZodType>(value: T) {
  return z.discriminatedUnion('ok', [
    z.strictObject({ ok: z.literal(true), value }),
    z.strictObject({ ok: z.literal(false), error: NixstrapErrorSchema }),
  ]);
}
