import { z } from 'zod';
import { ErrorCodeSchema } from './errors';
import type { NixstrapError, PreviousChoices } from './failure';

export type { NixstrapError, PreviousChoices, Result } from './failure';
export { fail, NixstrapFailure, ok } from './failure';

export const PreviousChoicesSchema: z.ZodType<PreviousChoices> = z.strictObject({
  running: z.number().int(),
  bootDefault: z.number().int(),
  beforeRunning: z.number().int().nullable(),
  beforeBootDefault: z.number().int().nullable(),
});

export const NixstrapErrorSchema: z.ZodType<NixstrapError> = z.strictObject({
  code: ErrorCodeSchema,
  message: z.string(),
  hint: z.string(),
  previousChoices: PreviousChoicesSchema.optional(),
});

export function resultSchema<T extends z.ZodType>(value: T) {
  return z.discriminatedUnion('ok', [
    z.strictObject({ ok: z.literal(true), value }),
    z.strictObject({ ok: z.literal(false), error: NixstrapErrorSchema }),
  ]);
}
