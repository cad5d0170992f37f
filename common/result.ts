import { z } from 'zod';
import { type ErrorCode, ErrorCodeSchema } from './errors';

/** An error as a value: a code tests assert, a sentence people read, a hint for what to do next. */
export const NixstrapErrorSchema = z
  .object({
    code: ErrorCodeSchema,
    message: z.string(),
    hint: z.string(),
  })
  .strict();
export type NixstrapError = z.infer<typeof NixstrapErrorSchema>;

/** Results cross every boundary (IPC, WebSocket, CLI) as values, because thrown errors lose their fields there. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: NixstrapError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(code: ErrorCode, message: string, hint: string): Result<T> {
  return { ok: false, error: { code, message, hint } };
}

export function resultSchema<T extends z.ZodType>(value: T) {
  return z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), value }).strict(),
    z.object({ ok: z.literal(false), error: NixstrapErrorSchema }).strict(),
  ]);
}

export { NixstrapFailure } from './failure';
