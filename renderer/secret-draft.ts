/**
 * The secret the Secrets step named, before the repo exists to store it in: the screen after the
 * write offers it again. A name and who reads it; never a value.
 */
export interface SecretDraft {
  name: string;
  shared: boolean;
}

export const NO_SECRET_DRAFT: SecretDraft = { name: '', shared: false };

/** A draft read back from the tab's saved state, which may be from an older page or garbled. */
export function savedSecretDraft(value: unknown): SecretDraft {
  if (typeof value !== 'object' || value === null) return NO_SECRET_DRAFT;
  const { name, shared } = value as Partial<SecretDraft>;
  return typeof name === 'string' && typeof shared === 'boolean'
    ? { name, shared }
    : NO_SECRET_DRAFT;
}
