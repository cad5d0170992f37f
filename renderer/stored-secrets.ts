import { type SetSecretResult, SetSecretResultSchema } from '../common';

/**
 * The secrets stored on the Written screen, newest first: where each went and the Nix line that
 * reads it, never a value. Kept with the tab's saved state so leaving the screen and coming back
 * still shows them.
 */
export type StoredSecrets = SetSecretResult[];

/** The list with `result` first; storing a name again in the same file replaces its entry. */
export function withStored(before: StoredSecrets, result: SetSecretResult): StoredSecrets {
  return [result, ...before.filter((s) => s.name !== result.name || s.file !== result.file)];
}

/** A list read back from the tab's saved state, which may be from an older page or garbled. */
export function savedStoredSecrets(value: unknown): StoredSecrets {
  const parsed = SetSecretResultSchema.array().safeParse(value);
  return parsed.success ? parsed.data : [];
}
