import { z } from 'zod';
import { ErrorCodeSchema } from './errors';
import type { NixstrapError } from './failure';

export type { NixstrapError, Result } from './failure';
export { fail, NixstrapFailure, ok } from './failure';

export const NixstrapErrorSchema: z.ZodType<NixstrapError> = z.strictObject({
  code: ErrorCodeSchema,
  message: z.string(),
  hint: z.string(),
});

export function resultSchema<T extends z.ZodType>(value: T) {
  return z.discriminatedUnion('ok', [
    z.strictObject({ ok: z.literal(true), value }),
    z.strictObject({ ok: z.literal(false), error: NixstrapErrorSchema }),
  ]);
}
