import type { ErrorCode } from './errors';
import type { NixstrapError } from './result';

/**
 * Thrown inside the engine where unwinding is simpler; converted to a Result at the API edge.
 * Kept apart from the schemas so a light CLI verb can raise one without loading zod.
 */
export class NixstrapFailure extends Error {
  readonly error: NixstrapError;
  constructor(code: ErrorCode, message: string, hint: string) {
    super(message);
    this.name = 'NixstrapFailure';
    this.error = { code, message, hint };
  }
}
