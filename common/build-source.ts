/** What a build held beyond its commit, as words; null when the commit holds it all (or unknown). */
export function uncommittedWords(source: {
  dirty: boolean | null;
  lockWritten: boolean | null;
}): string | null {
  // A lock the build wrote is the likelier cause, and the one a rebuild of the commit would redo.
  if (source.lockWritten) return 'flake.lock written by its build, not committed';
  return source.dirty ? 'uncommitted changes' : null;
}
