/**
 * A word a POSIX shell reads back as exactly `word`: left bare when it holds only characters
 * the shell gives no meaning (`#` only after the first, where it would start a comment),
 * otherwise single-quoted.
 */
export function shellWord(word: string): string {
  return /^[\w./:@%+=,-][\w./#:@%+=,-]*$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

/** A command line as the user would type it, each word quoted where the shell needs it. */
export function shellCommand(argv: readonly string[]): string {
  return argv.map(shellWord).join(' ');
}

/**
 * A folder typed into the app, as a shell word naming the same folder. The app reads a leading
 * `~` as home and a relative path from home (there is no shell folder behind a text field), so
 * both come out under a bare `~/` the shell expands, with the rest quoted where it needs to be.
 */
export function shellTypedPath(input: string): string {
  if (input.startsWith('/')) return shellWord(input);
  const rest = input === '~' ? '' : input.startsWith('~/') ? input.slice(2) : input;
  return rest === '' ? '~' : `~/${shellWord(rest)}`;
}
